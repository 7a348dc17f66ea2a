"""The home page and the user's own work.

    setup    the first-run checklist of a new organisation, and the target working days
"""
