"""The measures blueprint and the template helpers its pages share."""

from decimal import Decimal

from flask import Blueprint
from flask_login import current_user

import thai
from models import Measure
from workflow.calendar import period_label
from workflow.measures.fields import INDICATORS, no_budget_text

bp = Blueprint("measures", __name__, url_prefix="/measures")


def _thai_digits() -> bool:
    return current_user.organisation.thai_digits


def period(measure: Measure) -> str:
    """'ต.ค.68 – ก.ย.69', in the organisation's digits ('ไม่ระบุ' when the plan gives none)."""
    return period_label(measure.start_month, measure.end_month, _thai_digits()) or "ไม่ระบุ"


def baht(amount: Decimal | None) -> str:
    """'12,500.50 บาท', or with none what the organisation prints, in its digits."""
    if amount is None:
        return no_budget_text(current_user.organisation) or "—"
    return thai.digits(f"{amount:,.2f} บาท", _thai_digits())


def baht_words(amount: Decimal | None) -> str:
    return thai.bahttext(float(amount)) if amount else ""


def indicator(number: int) -> str:
    return f"ตัวชี้วัดที่ {thai.digits(number, _thai_digits())} {INDICATORS.get(number, '')}"


STATUS_CLASSES = {
    "not_started": "state",
    "in_progress": "state state-in_review",
    "done": "state state-approved",
    "cancelled": "state",
}


@bp.context_processor
def helpers() -> dict:
    return {
        "period": period,
        "baht": baht,
        "baht_words": baht_words,
        "indicator": indicator,
        "status_classes": STATUS_CLASSES,
    }
