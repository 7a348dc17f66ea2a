"""Moved to tests/support/ita.py; this name stays an alias of it for older imports."""

import sys

from support import ita

sys.modules[__name__] = ita
