"""What the tests share: the demo template, the app's helpers, factories and served apps.

The old top-level modules (tests/helpers.py, tests/factories*.py, tests/served.py, and `login`
in tests/conftest.py) re-export from here so that older imports keep working.
"""
