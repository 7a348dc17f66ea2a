"""Moved to tests/support/reminders.py; this name stays an alias of it for older imports."""

import sys

from support import reminders

sys.modules[__name__] = reminders
