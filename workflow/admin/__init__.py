"""Organisation set-up services for the organisation admin.

Every public function takes the acting user, checks `require_admin` itself and loads records
only from the actor's organisation (others raise NotFound). Services flush; the view commits.
"""

from workflow.admin.numbers import renumber_document

__all__ = ["renumber_document"]
