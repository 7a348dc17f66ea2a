"""All models, importable from one place (Alembic and the app import this package)."""

from models.audit import Action, AppendOnlyViolation, DecisionLog
from models.chain import DOC_TYPE_LABELS, ChainStep, DocType
from models.document import (
    DEFAULT_CLOSING,
    DEFAULT_SECTIONS,
    Attachment,
    DocState,
    Document,
    DocumentSection,
    DocumentStep,
    NumberCounter,
)
from models.org import (
    ActingAssignment,
    ActingKind,
    Organisation,
    OrgKind,
    Position,
    Unit,
    User,
)

__all__ = [
    "Action",
    "ActingAssignment",
    "ActingKind",
    "AppendOnlyViolation",
    "Attachment",
    "ChainStep",
    "DEFAULT_CLOSING",
    "DEFAULT_SECTIONS",
    "DOC_TYPE_LABELS",
    "DecisionLog",
    "DocState",
    "DocType",
    "Document",
    "DocumentSection",
    "DocumentStep",
    "NumberCounter",
    "OrgKind",
    "Organisation",
    "Position",
    "Unit",
    "User",
]
