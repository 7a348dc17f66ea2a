"""No N+1: the key pages run as many SQL statements for many rows as for a few.

Each case opens its page once (the first request loads what every request caches), counts the
statements of a second visit with a little data, adds many more of the rows the page lists, and
counts again. The paged lists are filled past their page size, so the second count is of a full
page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from support.client import login
from support.factories import PDF, memo_content
from support.measures import _entry, _evidence, _measure, bangkok
from support.pages import count_statements

import clock
from extensions import db
from models import (
    DocState,
    DocType,
    Document,
    MeasurePlan,
    ReportSnapshot,
    RoundKind,
    Unit,
    User,
)
from workflow import attachments
from workflow import documents as service
from workflow.lists.documents import PAGE_SIZE as LIST_PAGE
from workflow.rounds import saved_round

SUBJECT = "บันทึกนับคำสั่ง"


def person(username: str) -> User:
    return db.session.scalars(sa.select(User).where(User.username == username)).one()


def memos(app, count: int, *, submit: bool = True, returned: bool = False) -> list[int]:
    """`count` general memos by the drafter: drafts, or sent to the section head, or sent and
    returned to her."""
    with app.app_context():
        drafter, head = person("nattanipa"), person("thanyarat")
        ids = []
        for n in range(count):
            doc = service.create_draft(
                drafter, memo_content(f"{SUBJECT} {n + 1}", doc_date=clock.today())
            )
            if submit or returned:
                service.submit(doc.id, drafter)
            if returned:
                service.return_for_revision(doc.id, head, reason="แก้ไขตัวเลข")
            ids.append(doc.id)
        db.session.commit()
        return ids


def demo_plan(app) -> tuple[int, int]:
    """The demo's plan: (id, fiscal year)."""
    with app.app_context():
        plan = db.session.scalars(sa.select(MeasurePlan).order_by(MeasurePlan.id)).first()
        return plan.id, plan.fiscal_year


def ita_years(app, count: int) -> None:
    """Results (overall and tools) for `count` more years of the shipped catalogues."""
    from workflow.ita import results, store

    with app.app_context():
        clerk = person("nattanipa")
        have = {r.fiscal_year for r in results.results_of(clerk)}
        years = [y for y in sorted(store.available_years()) if y not in have][:count]
        for n, year in enumerate(years):
            tools = {t.code: f"{80 + n}.00" for t in store.get_catalogue(year).tools}
            results.save_scores(clerk, year, {"ITA": f"{80 + n}.00", **tools})
        db.session.commit()


def measures(app, count: int) -> None:
    """`count` measures in the demo's plan, the drafter's, each late, with two progress entries
    and two pieces of evidence."""
    plan_id, _ = demo_plan(app)
    with app.app_context():
        plan = db.session.get(MeasurePlan, plan_id)
        drafter = person("nattanipa")
        units = db.session.scalars(sa.select(Unit).where(Unit.org_id == plan.org_id)).all()
        start = len(plan.measures)
        for n in range(count):
            measure = _measure(
                plan, start + n + 1, f"มาตรการนับคำสั่ง {n}", [1], ["i1"], units[n % 2], drafter
            )
            measure.end_month = date(2025, 11, 1)  # past: the measure is late
            db.session.flush()
            for k in range(2):
                _entry(measure, drafter, date(2025, 10, 10 + k), f"ดำเนินการครั้งที่ {k}")
                _evidence(
                    measure,
                    drafter,
                    f"หลักฐาน {k}",
                    f"https://x.go.th/{n}/{k}",
                    bangkok(date(2025, 10, 11)),
                )
        db.session.commit()


def reports(app, count: int) -> None:
    """`count` withdrawn progress reports on each of the year's rounds."""
    plan_id, fiscal_year = demo_plan(app)
    with app.app_context():
        drafter = person("nattanipa")
        rounds = [saved_round(drafter.org_id, fiscal_year, kind) for kind in RoundKind]
        number = 9000 + db.session.scalar(sa.select(sa.func.count(Document.id)))
        for report_round in rounds:
            for _ in range(count):
                number += 1
                doc = Document(
                    org_id=report_round.org_id,
                    doc_type=DocType.PROGRESS_REPORT,
                    state=DocState.WITHDRAWN,
                    drafter_id=drafter.id,
                    issuing_unit="สำนักปลัด",
                    doc_date=report_round.period_end,
                    subject="รายงานผลการดำเนินการ",
                    addressee="นายก",
                    fiscal_year=fiscal_year,
                    number_seq=number,
                )
                doc.report_snapshot = ReportSnapshot(
                    round_id=report_round.id, plan_id=plan_id, data={}
                )
                db.session.add(doc)
        db.session.commit()


def memo_history(app, memo_id: int, count: int) -> None:
    """`count` more rounds of the memo: returned with a reason, then sent again; and `count`
    more attachments."""
    with app.app_context():
        drafter, head = person("nattanipa"), person("thanyarat")
        doc = db.session.get(Document, memo_id)
        if doc.state == DocState.DRAFT:
            service.submit(memo_id, drafter)
        for n in range(count):
            service.return_for_revision(memo_id, head, reason=f"แก้ไขครั้งที่ {n}")
            attachments.add(memo_id, drafter, f"เอกสารแนบ {n}.pdf", PDF)
            service.submit(memo_id, drafter)
        db.session.commit()


@dataclass
class Case:
    user: str
    url: Callable  # (app, srisuk) -> the page's address
    grow: Callable  # (app, srisuk, how many) -> None
    few: int = 2
    many: int = LIST_PAGE + 10  # past the lists' page size (50; search pages 20)


CASES = {
    "pending (รอพิจารณา)": Case(
        "thanyarat", lambda app, w: "/documents/pending", lambda app, w, n: memos(app, n)
    ),
    "home, executive": Case(
        "nakarin",
        lambda app, w: "/",
        lambda app, w, n: (memos(app, n), memos(app, n, returned=True), measures(app, n)),
    ),
    "home, section head": Case("thanyarat", lambda app, w: "/", lambda app, w, n: memos(app, n)),
    "my work": Case(
        "nattanipa",
        lambda app, w: "/my",
        lambda app, w, n: (
            memos(app, n, submit=False),
            memos(app, n, returned=True),
            memos(app, n),
            measures(app, n),
        ),
    ),
    "memo page": Case(
        "thanyarat",
        lambda app, w: f"/documents/{w.memo_id}",
        lambda app, w, n: memo_history(app, w.memo_id, n),
        few=1,
        many=8,
    ),
    "decision page": Case(
        "thanyarat",
        lambda app, w: f"/decide/{w.memo_id}",
        lambda app, w, n: memo_history(app, w.memo_id, n),
        few=1,
        many=8,
    ),
    "home, ITA results over the years": Case(
        "nakarin", lambda app, w: "/", lambda app, w, n: ita_years(app, n), few=1, many=4
    ),
    "measures of a plan": Case(
        "nattanipa",
        lambda app, w: f"/measures/years/{demo_plan(app)[1]}",
        lambda app, w, n: measures(app, n),
    ),
    "progress reports": Case(
        "nattanipa",
        lambda app, w: f"/reports/{demo_plan(app)[1]}",
        lambda app, w, n: reports(app, n),
    ),
    "list of memos": Case(
        "nattanipa",
        lambda app, w: "/lists/documents",
        lambda app, w, n: memos(app, n, submit=n % 2 == 0),
    ),
    "list of measures": Case(
        "nattanipa", lambda app, w: "/lists/measures", lambda app, w, n: measures(app, n)
    ),
    "search results": Case(
        "nattanipa",
        lambda app, w: f"/search/?q={SUBJECT}",
        lambda app, w, n: memos(app, n),
    ),
}


@pytest.fixture(params=list(CASES))
def case(request) -> Case:
    return CASES[request.param]


def test_a_key_page_runs_as_many_statements_for_many_rows_as_for_a_few(app, client, srisuk, case):
    url = case.url(app, srisuk)
    login(client, case.user)
    client.get(url).close()  # the first visit saves defaults and fills caches
    case.grow(app, srisuk, case.few)
    client.get(url).close()
    few = count_statements(app, client, url)
    case.grow(app, srisuk, case.many)
    many = count_statements(app, client, url)
    assert many == few, f"{url}: {few} statements with a few rows, {many} with many"
