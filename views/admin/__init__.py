"""Organisation set-up pages for the organisation admin: settings, units, positions, people,
signature chains, the register of acting officials, document numbers, LINE and the e-seal.

Each page calls a service in `workflow.admin`, which checks the admin right and the organisation
itself; the pages only turn forms into calls and refusals into messages.
"""

from views.admin import (  # noqa: F401  (routes)
    acting,
    chains,
    home,
    line,
    numbers,
    org,
    people,
    seal,
)
from views.admin.blueprint import bp

__all__ = ["bp"]
