"""End-to-end journeys in a real browser (Playwright driving Debian's headless Chromium).

A package, so its conftest and modules do not collide with `tests/conftest.py` by name.
"""
