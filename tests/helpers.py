"""Moved to tests/support/pages.py; this name stays an alias of it for older imports."""

import sys

from support import pages

sys.modules[__name__] = pages
