"""All models, importable from one place (Alembic and the app import this package)."""

from models.audit import DECISION_ACTIONS, Action, AppendOnlyViolation, DecisionLog, DecisionSeal
from models.auth import LoginFailure
from models.chain import DOC_TYPE_LABELS, ChainStep, DocType
from models.circulation import CirculationRecipient, Revocation, RevocationKind
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
from models.ita import (
    AnalysisSnapshot,
    ItaCatalogue,
    ItaIndicatorScore,
    ItaItemScore,
    ItaResult,
    ItaToolScore,
)
from models.measures import (
    MEASURE_STATUS_LABELS,
    RHYTHM_LABELS,
    Evidence,
    Measure,
    MeasureEvent,
    MeasurePlan,
    MeasureStatus,
    ProgressEntry,
    Rhythm,
)
from models.notifications import Notification, Reminder
from models.oit import OitEvidence, OitItem, Publication
from models.org import (
    ActingAssignment,
    ActingChange,
    ActingKind,
    Organisation,
    OrgKind,
    Position,
    Unit,
    User,
)
from models.outbox import (
    DigestRun,
    LineChannel,
    LineLink,
    LineMeter,
    NotifyDelivery,
    NotifyEvent,
    NotifyPreference,
)
from models.pdf import FrozenPdf, OrgSeal, PendingPdf
from models.reports import ReportSnapshot
from models.rounds import ROUND_LABELS, Holiday, ReportRound, RoundKind
from models.search import SearchEntry

__all__ = [
    "DECISION_ACTIONS",
    "Action",
    "ActingAssignment",
    "ActingChange",
    "ActingKind",
    "AnalysisSnapshot",
    "AppendOnlyViolation",
    "Attachment",
    "ChainStep",
    "CirculationRecipient",
    "DEFAULT_CLOSING",
    "DEFAULT_SECTIONS",
    "DOC_TYPE_LABELS",
    "DecisionLog",
    "DecisionSeal",
    "DigestRun",
    "DocState",
    "DocType",
    "Document",
    "DocumentSection",
    "DocumentStep",
    "Evidence",
    "FrozenPdf",
    "OrgSeal",
    "PendingPdf",
    "Revocation",
    "RevocationKind",
    "Holiday",
    "ItaCatalogue",
    "ItaIndicatorScore",
    "ItaItemScore",
    "ItaResult",
    "ItaToolScore",
    "LineChannel",
    "LineLink",
    "LineMeter",
    "LoginFailure",
    "MEASURE_STATUS_LABELS",
    "Measure",
    "MeasureEvent",
    "MeasurePlan",
    "MeasureStatus",
    "Notification",
    "NotifyDelivery",
    "NotifyEvent",
    "NotifyPreference",
    "ProgressEntry",
    "RHYTHM_LABELS",
    "ROUND_LABELS",
    "SearchEntry",
    "Reminder",
    "ReportRound",
    "ReportSnapshot",
    "Rhythm",
    "RoundKind",
    "NumberCounter",
    "OitEvidence",
    "OitItem",
    "Publication",
    "OrgKind",
    "Organisation",
    "Position",
    "Unit",
    "User",
]
