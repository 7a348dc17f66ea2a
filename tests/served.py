"""Moved to tests/support/served.py; this name stays an alias of it for older imports."""

import sys

from support import served

sys.modules[__name__] = served
