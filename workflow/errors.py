"""Domain errors. Services raise them with a Thai message; views turn them into responses."""


class WorkflowError(Exception):
    """Base: a refused action. Nothing was changed."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(WorkflowError):
    status = 404


class NotAllowed(WorkflowError):
    """The user may not do this (not their turn, not their document, not their organisation)."""

    status = 403


class InvalidTransition(WorkflowError):
    """The document's state does not allow this action."""

    status = 409


class AlreadyDecided(InvalidTransition):
    """Someone else acted on this step first."""


class ValidationFailed(WorkflowError):
    """Input the service refuses; `field` names the form field it belongs beside."""

    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
