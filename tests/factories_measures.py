"""Moved to tests/support/measures.py; this name stays an alias of it for older imports."""

import sys

from support import measures

sys.modules[__name__] = measures
