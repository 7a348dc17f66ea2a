"""Moved to tests/support/faults.py; this name stays an alias of it for older imports."""

import sys

from support import faults

sys.modules[__name__] = faults
