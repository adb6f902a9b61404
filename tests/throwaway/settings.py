"""The project's settings with a throwaway app whose permission the Editors group is given."""

import os

from newsroom.settings import *  # noqa: F403
from newsroom.settings import INSTALLED_APPS
from reviews import roles

INSTALLED_APPS = [*INSTALLED_APPS, "tests.throwaway.apps.ThrowawayConfig"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["THROWAWAY_DB"]}}
roles.GROUP_PERMISSIONS[roles.EDITORS].append("throwaway.use_gadget")
