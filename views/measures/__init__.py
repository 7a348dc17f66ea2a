"""Measures pages: the plan of a fiscal year, each measure with its progress, evidence and history.

Every page calls a service in `workflow.measures`, which checks the organisation and the user's
right; the pages only turn forms into calls and refusals into messages.
"""

from views.measures import items, plans, progress  # noqa: F401  (routes)
from views.measures.blueprint import bp

__all__ = ["bp"]
