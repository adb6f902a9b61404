"""Who may use the API: the admin's people with the admin's roles.

A request needs an active staff member (as the admin does) holding the permission the view
names for its method; what a person may do to a claim is then the declared workflow's to say.
"""

from rest_framework import permissions


class HasRole(permissions.BasePermission):
    message = "You have no role that allows this."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not (user.is_active and user.is_staff):
            self.message = f"{user.get_username()} has no access to the newsroom's review."
            return False
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        needed = getattr(view, "required_perms", {}).get(method)
        if not needed or not all(user.has_perm(p) for p in needed):
            doing = getattr(view, "doing", {}).get(method, "do this")
            self.message = f"{user.get_username()} may not {doing}."
            return False
        return True
