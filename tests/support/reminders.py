"""Builders for the reminder tests, straight from the models, and an SMTP server on loopback.

Each builder opens its own short app context and commits. Dates are Bangkok dates; moments
are Bangkok wall-clock times stored as UTC.
"""

import asyncio
import socket
from datetime import UTC, date, datetime, time
from email import message_from_bytes, policy
from email.message import EmailMessage
from unittest import mock

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

import clock
from extensions import db
from models import (
    DocState,
    DocType,
    Document,
    Holiday,
    Measure,
    MeasurePlan,
    MeasureStatus,
    Organisation,
    ProgressEntry,
    ReportRound,
    ReportSnapshot,
    Rhythm,
    RoundKind,
    User,
)
from workflow import documents
from workflow.calendar import default_rounds

FY = 2569  # 1 October 2025 - 30 September 2026


def bangkok(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), clock.BANGKOK).astimezone(UTC)


def user_id(username: str) -> int:
    return db.session.scalar(sa.select(User.id).where(User.username == username))


def org_id() -> int:
    return db.session.scalar(sa.select(Organisation.id).order_by(Organisation.id).limit(1))


def make_plan(app, fiscal_year: int = FY, coordinator: str | None = "nattanipa") -> int:
    """The year's plan (the demo may have made it already) with `coordinator` as coordinator."""
    with app.app_context():
        plan = db.session.scalar(
            sa.select(MeasurePlan).where(
                MeasurePlan.org_id == org_id(), MeasurePlan.fiscal_year == fiscal_year
            )
        )
        if plan is None:
            plan = MeasurePlan(
                org_id=org_id(), fiscal_year=fiscal_year, title=f"มาตรการ ปี {fiscal_year}"
            )
            db.session.add(plan)
        plan.coordinator_id = user_id(coordinator) if coordinator else None
        db.session.commit()
        return plan.id


def make_measure(
    app,
    plan_id: int,
    title: str,
    rhythm: Rhythm,
    *,
    start: date,
    end: date,
    people: tuple[str, ...] = (),
    status: MeasureStatus = MeasureStatus.IN_PROGRESS,
) -> int:
    """A measure running from the month of `start` to the month of `end`."""
    with app.app_context():
        plan = db.session.get(MeasurePlan, plan_id)
        responsible = [db.session.get(User, user_id(u)) for u in people]
        measure = Measure(
            org_id=plan.org_id,
            plan_id=plan.id,
            title=title,
            rhythm=rhythm,
            status=status,
            start_month=start.replace(day=1),
            end_month=end.replace(day=1),
            cancel_reason="ยกเลิกตามมติผู้บริหาร" if status == MeasureStatus.CANCELLED else None,
        )
        measure.people = responsible
        db.session.add(measure)
        db.session.commit()
        return measure.id


def add_entry(app, measure_id: int, day: date, author: str = "nattanipa") -> None:
    with app.app_context():
        db.session.add(
            ProgressEntry(
                measure_id=measure_id,
                entry_date=day,
                text="ดำเนินการตามแผน",
                author_id=user_id(author),
            )
        )
        db.session.commit()


def make_round(app, kind: RoundKind, due: date | None = None, fiscal_year: int = FY) -> int:
    """A saved round with the default period, due on `due` (default: the default due date)."""
    period = default_rounds(fiscal_year)[kind]
    with app.app_context():
        found = ReportRound(
            org_id=org_id(),
            fiscal_year=fiscal_year,
            kind=kind,
            period_start=period.start,
            period_end=period.end,
            due_date=due or period.due,
        )
        db.session.add(found)
        db.session.commit()
        return found.id


def make_report(app, round_id: int, plan_id: int, state: DocState) -> int:
    """A progress-report document of the round, in the given state."""
    with app.app_context():
        report_round = db.session.get(ReportRound, round_id)
        doc = Document(
            org_id=report_round.org_id,
            doc_type=DocType.PROGRESS_REPORT,
            state=state,
            drafter_id=user_id("nattanipa"),
            issuing_unit="สำนักปลัด",
            doc_date=date(2026, 4, 20),
            subject="รายงานความก้าวหน้า",
            addressee="นายก",
            current_step=1 if state == DocState.IN_REVIEW else None,
        )
        if state != DocState.DRAFT:
            doc.fiscal_year, doc.number_seq = FY, 9000 + round_id
        if state in (DocState.APPROVED, DocState.REJECTED):
            doc.finished_at = clock.now()
        doc.report_snapshot = ReportSnapshot(round_id=round_id, plan_id=plan_id, data={})
        db.session.add(doc)
        db.session.commit()
        return doc.id


def set_report_state(app, doc_id: int, state: DocState) -> None:
    with app.app_context():
        doc = db.session.get(Document, doc_id)
        doc.state = state
        doc.current_step = 1 if state == DocState.IN_REVIEW else None
        final = state in (DocState.APPROVED, DocState.REJECTED)
        doc.finished_at = clock.now() if final else None
        if state != DocState.DRAFT and doc.number_seq is None:
            doc.fiscal_year, doc.number_seq = FY, 9000 + doc.id
        db.session.commit()


def at(moment: datetime):
    """Run a block as if it were `moment` (clock.now and clock.today follow)."""
    return mock.patch.object(clock, "now", lambda: moment)


def submit_memo(app, memo_id: int, moment: datetime) -> None:
    """The drafter sends the demo memo to its first step (section head) at `moment`."""
    with app.app_context(), at(moment):
        documents.submit(memo_id, db.session.get(User, user_id("nattanipa")))
        db.session.commit()


def sign(app, memo_id: int, username: str, moment: datetime) -> None:
    """`username` signs the current step forward at `moment`."""
    with app.app_context(), at(moment):
        actor = db.session.get(User, user_id(username))
        doc = db.session.get(Document, memo_id)
        documents.decide(memo_id, actor, decision=doc.step().forward_decisions[0])
        db.session.commit()


def add_holiday(app, day: date, name: str = "วันสงกรานต์") -> None:
    with app.app_context():
        db.session.add(Holiday(org_id=org_id(), day=day, name=name))
        db.session.commit()


# aiosmtpd warns (in its own thread, on each connection) when AUTH is allowed without TLS.
AUTH_WITHOUT_TLS = "ignore:Requiring AUTH while not requiring TLS"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps what arrives (or refuses it when told to).

    With `login`, it demands AUTH (without TLS, as loopback tests allow) for that user/password;
    aiosmtpd warns about that on every connection, so such a test carries AUTH_WITHOUT_TLS.
    """

    def __init__(self, port: int | None = None, login: tuple[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.received: list[EmailMessage] = []
        self.connections: set = set()  # client (host, port) pairs: one per SMTP connection
        self.refuse: str | None = None  # e.g. "550 5.1.1 mailbox unavailable"
        self.delay = 0.0
        self.login = login
        options = {}
        if login:
            options = {
                "auth_required": True,
                "auth_require_tls": False,
                "authenticator": self._authenticate,
            }
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)

    def _authenticate(self, server, session, envelope, mechanism, data) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and (data.login.decode(), data.password.decode()) == self.login
        )
        return AuthResult(success=ok, handled=False)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.connections.add(session.peer)
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if address in m["To"]]


def point_mail_at(app, port: int) -> None:
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        MAIL_USERNAME="",
        MAIL_PASSWORD="",
    )
