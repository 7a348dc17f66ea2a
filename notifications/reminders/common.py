"""What every reminder source shares: the run's settings, the kinds, the reminder key, texts."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Protocol

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Row
from werkzeug.routing import BuildError

import clock
import thai
from extensions import db
from models import Reminder

DUE_TODAY = "due_today"
OVERDUE = "overdue"
UPDATE_MISSING = "update_missing"
WAITING = "waiting"
ESCALATION = "escalation"

# The overdue reminder is sent on the first run after the due date, if that run comes within
# this many days; an older missed deadline is not announced when the system is first switched on.
OVERDUE_WINDOW_DAYS = 30


def due_kind(days_before: int) -> str:
    return f"due_{days_before}"


def kind_label(kind: str) -> str:
    """Thai name of a kind, for the run's summary."""
    if kind.startswith("due_") and kind != DUE_TODAY:
        return f"ใกล้ครบกำหนดส่งรายงาน (อีก {kind[4:]} วัน)"
    return {
        DUE_TODAY: "ครบกำหนดส่งรายงานวันนี้",
        OVERDUE: "เลยกำหนดส่งรายงาน",
        UPDATE_MISSING: "มาตรการยังไม่รายงานความก้าวหน้า",
        WAITING: "เอกสารรอพิจารณานานเกินกำหนด",
        ESCALATION: "แจ้งผู้พิจารณาขั้นถัดไปว่าเอกสารค้าง",
    }.get(kind, kind)


@dataclass(frozen=True)
class Settings:
    today: date
    days_before: tuple[int, ...]  # descending, e.g. (14, 3)
    waiting_days: int
    escalate_days: int
    base_url: str

    @classmethod
    def from_app(cls, app: Flask, today: date) -> "Settings":
        cfg = app.config
        return cls(
            today=today,
            days_before=tuple(
                sorted({int(d) for d in cfg["REMINDER_DAYS_BEFORE"] if int(d) > 0}, reverse=True)
            ),
            waiting_days=int(cfg["REMINDER_WAITING_DAYS"]),
            escalate_days=int(cfg["REMINDER_ESCALATE_DAYS"]),
            base_url=cfg["BASE_URL"].rstrip("/"),
        )


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    url: str  # a path inside the app; e-mails prefix BASE_URL


# A restriction turns a source's candidate subquery into the statement to run: either only
# candidates not yet recorded (new claims) or only those this run holds (re-checking retries).
Restrict = Callable[[sa.Subquery], sa.Select]


class Source(Protocol):
    item_type: str

    def batches(self, settings: Settings, restrict: Restrict) -> Iterator[Sequence[Row]]: ...

    def render(self, row: Row, settings: Settings, links: "Links") -> Message: ...


def same_key(c: sa.Subquery) -> list:
    """Candidate columns equal to a Reminder's unique key."""
    return [
        Reminder.item_type == c.c.item_type,
        Reminder.item_id == c.c.item_id,
        Reminder.round_key == c.c.round_key,
        Reminder.kind == c.c.kind,
        Reminder.recipient_id == c.c.recipient_id,
    ]


def not_recorded(c: sa.Subquery) -> sa.Select:
    """Candidates with no Reminder row yet (the anti-join that makes a quiet run cheap), in
    key order, so that concurrent runs insert their claims in one order (see ledger)."""
    return (
        sa.select(c)
        .where(~sa.exists().where(*same_key(c)))
        .order_by(c.c.item_id, c.c.round_key, c.c.kind, c.c.recipient_id)
    )


def held_by(token: str) -> Restrict:
    """Candidates whose Reminder row is unsent and claimed by this run, with that row's id."""

    def restrict(c: sa.Subquery) -> sa.Select:
        mine = sa.and_(*same_key(c), Reminder.claim_token == token, Reminder.sent_at.is_(None))
        return sa.select(c, Reminder.id.label("reminder_id")).select_from(c).join(Reminder, mine)

    return restrict


def without_jit() -> None:
    """PostgreSQL: no JIT compilation for the rest of this transaction. The candidates' cost
    estimates (a correlated log lookup per memo in review) are far past jit_above_cost, and
    compiling the memo statement took as long as running it (7.8 s of a 16.4 s EXPLAIN ANALYZE,
    national dataset, loaded machine); a once-a-day statement never repays the compilation.

    Also room for the candidates' sorts and hashes (tens of thousands of rows nationally),
    which the default 4 MB of work_mem sent to disk: this transaction only."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL jit = off"))
        db.session.execute(sa.text(f"SET LOCAL work_mem = '{WORK_MEM}'"))


WORK_MEM = "64MB"


class Links:
    """Paths to the pages reminders point at, built from the URL map without a request."""

    def __init__(self, app: Flask) -> None:
        self.adapter = app.url_map.bind("localhost")

    def path(self, endpoint: str, fallback: str, **values) -> str:
        """The page's path, or the area's index while that page does not exist."""
        try:
            return self.adapter.build(endpoint, values)
        except BuildError:
            return self.adapter.build(fallback, {})


@lru_cache(maxsize=4096)
def be_date(day: date, thai_digits: bool) -> str:
    """'30 เมษายน 2569' with the organisation's digits (cached: a run formats few dates)."""
    return thai.format_date(day, thai_digits)


@lru_cache(maxsize=256)
def fixed(text: str, thai_digits: bool) -> str:
    """A fixed phrase (a label) in the organisation's digits, converted once per run."""
    return thai.digits(text, thai_digits)


def be_number(value, thai_digits: bool) -> str:
    return thai.digits(str(value), thai_digits)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def local_date(moment: datetime) -> date:
    return clock.local(moment).date()


def const(value: str) -> sa.ColumnElement:
    """A string constant written into the SQL (a bound parameter of unknown type trips up
    PostgreSQL inside UNION and CASE)."""
    return sa.literal_column("'" + value.replace("'", "''") + "'", sa.String)


def recordset(param: str, columns: dict) -> sa.TableValuedAlias:
    """PostgreSQL: rows passed as one JSON parameter, unpacked by json_to_recordset. One short
    statement per batch, instead of thousands of bound parameters for the driver to convert."""
    json_param = sa.cast(sa.bindparam(param, type_=sa.Text), postgresql.JSON)
    return (
        sa.func.json_to_recordset(json_param)
        .table_valued(*(sa.column(name, type_) for name, type_ in columns.items()))
        .render_derived(name="batch", with_types=True)
    )
