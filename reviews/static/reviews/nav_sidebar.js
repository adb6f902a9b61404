'use strict';
// The admin's menu beside every page takes 276 px: on a window under 1600 px the work lists
// (claims, flags, articles) need that room for their columns. Until the person opens or closes
// the menu themselves (the admin remembers that choice), it starts closed on such a window.
// Runs before the admin's nav_sidebar.js, which is deferred and reads this setting.
if (localStorage.getItem('django.admin.navSidebarIsOpen') === null && window.innerWidth < 1600) {
    localStorage.setItem('django.admin.navSidebarIsOpen', 'false');
}
