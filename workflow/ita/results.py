"""Results per organisation and year: read them, save them from the form or a CSV file, delete.

Everyone in the organisation sees its results; every active person may enter them (the same people
who may draft memos); only an admin deletes a year. Another organisation's results do not exist.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from extensions import db, read_columns
from models import ItaIndicatorScore, ItaItemScore, ItaResult, ItaToolScore, User
from workflow.errors import NotAllowed, NotFound, ValidationFailed
from workflow.ita import csvio, entry
from workflow.ita.catalogue import Catalogue
from workflow.ita.store import get_catalogue
from workflow.permissions import require_admin


def require_catalogue(fiscal_year: int) -> Catalogue:
    catalogue = get_catalogue(fiscal_year)
    if catalogue is None:
        raise NotFound(f"ยังไม่มีแคตตาล็อก ITA ของปีงบประมาณ พ.ศ. {fiscal_year} ในระบบ")
    return catalogue


def result_of_year(user: User, fiscal_year: int, *, lock: bool = False) -> ItaResult | None:
    stmt = sa.select(ItaResult).where(
        ItaResult.org_id == user.org_id, ItaResult.fiscal_year == fiscal_year
    )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return db.session.scalars(stmt).one_or_none()


def results_of(user: User) -> list[ItaResult]:
    """Every year's result of the user's organisation, oldest first, with its scores (four
    statements however many years)."""
    stmt = (
        sa.select(ItaResult)
        .where(ItaResult.org_id == user.org_id)
        .order_by(ItaResult.fiscal_year)
        .options(
            selectinload(ItaResult.tool_scores),
            selectinload(ItaResult.indicator_scores),
            selectinload(ItaResult.item_scores),
        )
    )
    return list(db.session.scalars(stmt))


def stored_values_by_year(org_id: int) -> dict[int, dict[str, Decimal]]:
    """Each year's stored figures by key (`entry.stored_values` of every result), oldest year
    first, read as rows in one statement: for pages that only show them."""
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for year, code, indicator_no, score in read_columns(_VALUES, {"org_id": org_id}):
        key = code if indicator_no is None else entry.indicator_key(code, indicator_no)
        found[year][key] = score
    return dict(sorted(found.items()))


def _values_statement() -> sa.CompoundSelect:
    """(fiscal year, code, indicator number or NULL, score) of each figure stored for
    `:org_id`: the overall score, the tools', the indicators' and the items'."""
    of_org = ItaResult.org_id == sa.bindparam("org_id")
    no_indicator = sa.cast(sa.null(), sa.Integer)
    overall = sa.select(
        ItaResult.fiscal_year, sa.literal(entry.OVERALL), no_indicator, ItaResult.overall
    ).where(of_org, ItaResult.overall.is_not(None))
    parts = [
        sa.select(ItaResult.fiscal_year, code, indicator_no, table.score)
        .join(ItaResult, ItaResult.id == table.result_id)
        .where(of_org)
        for table, code, indicator_no in (
            (ItaToolScore, ItaToolScore.tool_code, no_indicator),
            (ItaIndicatorScore, ItaIndicatorScore.tool_code, ItaIndicatorScore.indicator_no),
            (ItaItemScore, ItaItemScore.code, no_indicator),
        )
    ]
    return sa.union_all(overall, *parts)


_VALUES = _values_statement()  # built once, run per request (its cache key is kept)


def get_result(result_id: int, user: User) -> ItaResult:
    result = db.session.get(ItaResult, result_id)
    if result is None or result.org_id != user.org_id:
        raise NotFound("ไม่พบผลการประเมินนี้")
    return result


def can_enter(user: User) -> bool:
    return user.active


def require_enter(user: User) -> None:
    if not can_enter(user):
        raise NotAllowed("บัญชีนี้ถูกระงับการใช้งาน")


def save_scores(
    actor: User,
    fiscal_year: int,
    values: dict[str, Decimal | str | None],
    announced_on: date | None = None,
) -> ItaResult:
    """Replace the year's figures with `values` (by key; blank means not given). Every value is
    checked before anything is written; a refusal names the key's form field."""
    require_enter(actor)
    catalogue = require_catalogue(fiscal_year)
    clean = _checked(catalogue, values)
    if not clean:
        raise ValidationFailed("ยังไม่ได้กรอกคะแนนใดเลย")
    result = result_of_year(actor, fiscal_year, lock=True)
    if result is None:
        result = ItaResult(org_id=actor.org_id, fiscal_year=fiscal_year)
        db.session.add(result)
    entry.store_values(result, catalogue, clean)
    result.announced_on = announced_on
    result.updated_by_id = actor.id
    try:
        db.session.flush()
    except IntegrityError:  # someone saved the same year a moment ago; the caller rolls back
        raise ValidationFailed("มีผู้บันทึกผลของปีนี้พร้อมกัน กรุณาเปิดหน้าใหม่แล้วลองอีกครั้ง") from None
    return result


def import_csv(actor: User, fiscal_year: int, content: bytes) -> ItaResult:
    """The year's figures from a CSV file made from the template; all or nothing."""
    require_enter(actor)
    catalogue = require_catalogue(fiscal_year)
    values = csvio.read(content, catalogue)
    existing = result_of_year(actor, fiscal_year)
    announced_on = existing.announced_on if existing else None
    return save_scores(actor, fiscal_year, values, announced_on)


def delete_result(result_id: int, actor: User) -> ItaResult:
    result = get_result(result_id, actor)
    require_admin(actor)
    db.session.delete(result)
    db.session.flush()
    return result


def _checked(catalogue: Catalogue, values: dict) -> dict[str, Decimal]:
    known = {e.key: e for e in entry.entries(catalogue)}
    clean = {}
    for key, raw in values.items():
        if key not in known:
            raise ValidationFailed(
                f"ไม่มีรายการ “{key}” ในแคตตาล็อกปี {catalogue.fiscal_year}", field="file"
            )
        try:
            value = entry.parse_score(raw)
        except ValueError as error:
            raise ValidationFailed(str(error), field=known[key].field_name) from None
        if value is not None:
            clean[key] = value
    return clean
