"""Moved to tests/support/factories.py; this name stays an alias of it for older imports."""

import sys

from support import factories

sys.modules[__name__] = factories
