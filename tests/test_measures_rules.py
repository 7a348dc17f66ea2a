"""The rules behind the measures pages, checked directly: URL normalising, question codes, steps,
the overdue flag and the next update deadline."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from test_measures_support import (
    BUDGET_MEASURE,
    DISCLOSURE_MEASURE,
    measure_ids,
    other_organisation,
)

from extensions import db
from models import Measure, MeasureStatus, ProgressEntry, Rhythm, User
from workflow import measures
from workflow.calendar import rhythm_periods
from workflow.errors import NotAllowed, NotFound, ValidationFailed
from workflow.measures.evidence import normalise_url
from workflow.measures.fields import check_budget, parse_codes, parse_steps
from workflow.measures.schedule import is_overdue, next_update


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (" HTTPS://WWW.Srisuk.GO.TH/ITA/2569?a=B#X ", "https://www.srisuk.go.th/ITA/2569?a=B#X"),
        ("http://srisuk.go.th", "http://srisuk.go.th/"),
        ("https://srisuk.go.th:443/a", "https://srisuk.go.th/a"),
        ("http://srisuk.go.th:8080/a", "http://srisuk.go.th:8080/a"),
        ("https://ศรีสุข.go.th/ประกาศ", "https://ศรีสุข.go.th/ประกาศ"),
        ("https://[2001:DB8::1]/a", "https://[2001:db8::1]/a"),
        # Typed as people say it: offered as the https:// link, not refused.
        ("www.srisuk.go.th/ita/2569", "https://www.srisuk.go.th/ita/2569"),
        (" WWW.Srisuk.GO.TH ", "https://www.srisuk.go.th/"),
    ],
)
def test_urls_are_stored_in_one_form_so_duplicates_are_recognised(typed, stored):
    assert normalise_url(typed) == stored


@pytest.mark.parametrize("url", ["", "   ", "mailto:a@b.go.th", "//srisuk.go.th/a", "https://a@b"])
def test_urls_that_are_not_plain_web_links_are_refused_beside_the_url_field(url):
    with pytest.raises(ValidationFailed) as refused:
        normalise_url(url)
    assert refused.value.field == "url"


def test_question_codes_accept_thai_digits_commas_and_spaces_without_repeats():
    assert parse_codes("i๑๐, e7  O20,,i10\ne๗") == ["i10", "e7", "O20"]
    assert parse_codes("") == []
    with pytest.raises(ValidationFailed) as refused:
        parse_codes("i10 7e")
    assert refused.value.field == "question_codes" and "“7e”" in refused.value.message


def test_steps_are_one_per_line_with_typed_numbering_removed():
    typed = "๑.จัดทำคู่มือ\n  2) ประชาสัมพันธ์\n\n- ติดตามผล\n• รายงานผู้บริหาร\n2568 ปีที่ทำ\n1.5 ล้านบาท"
    assert parse_steps(typed) == [
        "จัดทำคู่มือ",
        "ประชาสัมพันธ์",
        "ติดตามผล",
        "รายงานผู้บริหาร",
        "2568 ปีที่ทำ",
        "1.5 ล้านบาท",
    ]


def test_budget_is_baht_with_satang_or_none():
    assert check_budget(Decimal("12500.5"), False) == Decimal("12500.50")
    assert check_budget(Decimal("0"), False) == Decimal("0.00")
    assert check_budget(None, True) is None
    assert check_budget(None, False) is None  # not stated: real plans often give none
    for amount, no_budget in ((Decimal("-0.01"), False), (Decimal("1"), True)):
        with pytest.raises(ValidationFailed):
            check_budget(amount, no_budget)


def _measure(
    status=MeasureStatus.NOT_STARTED,
    start=date(2025, 10, 1),
    end=date(2026, 3, 1),
    rhythm=Rhythm.QUARTERLY,
    entries=(),
) -> Measure:
    return Measure(
        status=status,
        start_month=start,
        end_month=end,
        rhythm=rhythm,
        entries=[ProgressEntry(entry_date=d, text="ทำแล้ว") for d in entries],
    )


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        (MeasureStatus.NOT_STARTED, date(2026, 3, 31), False),  # the last day of end_month
        (MeasureStatus.NOT_STARTED, date(2026, 4, 1), True),
        (MeasureStatus.IN_PROGRESS, date(2026, 4, 1), True),
        (MeasureStatus.DONE, date(2026, 4, 1), False),
        (MeasureStatus.CANCELLED, date(2027, 1, 1), False),
    ],
)
def test_overdue_once_the_period_has_ended_unless_finished(status, today, overdue):
    assert is_overdue(_measure(status=status), today) is overdue


def test_next_update_skips_reported_periods_and_periods_outside_the_measure():
    quarters = rhythm_periods(2569, Rhythm.QUARTERLY)
    fresh = _measure()
    assert next_update(fresh, quarters, date(2025, 10, 5)).due == date(2026, 1, 15)
    # The quarter has ended but its report is not yet due: still the next deadline.
    assert next_update(fresh, quarters, date(2026, 1, 10)).due == date(2026, 1, 15)
    reported = _measure(entries=[date(2025, 12, 1)])
    assert next_update(reported, quarters, date(2026, 1, 10)).due == date(2026, 4, 15)
    # The measure ends in March: nothing is due for the third quarter.
    assert next_update(reported, quarters, date(2026, 4, 16)) is None
    late_start = _measure(start=date(2026, 4, 1), end=date(2026, 9, 1))
    assert next_update(late_start, quarters, date(2025, 10, 5)).due == date(2026, 7, 15)
    assert next_update(_measure(status=MeasureStatus.DONE), quarters, date(2025, 10, 5)) is None


def test_six_monthly_measures_report_for_each_half_year():
    halves = rhythm_periods(2569, Rhythm.SEMIANNUAL)
    measure = _measure(end=date(2026, 9, 1), rhythm=Rhythm.SEMIANNUAL, entries=[date(2026, 2, 1)])
    upcoming = next_update(measure, halves, date(2026, 3, 1))
    assert (upcoming.start, upcoming.due) == (date(2026, 4, 1), date(2026, 10, 31))


def test_services_check_rights_themselves_not_only_the_pages(app, ctx, srisuk):
    """A caller that skips the pages (a script, another area) meets the same refusals."""
    other = other_organisation(app)
    thanyarat = db.session.scalars(sa.select(User).where(User.username == "thanyarat")).one()
    target = measure_ids(app)[DISCLOSURE_MEASURE]  # กองคลัง only; thanyarat is in สำนักปลัด
    own_unit = measure_ids(app)[BUDGET_MEASURE]  # สำนักปลัด and กองคลัง
    entry = measures.ProgressInput(entry_date=date(2025, 11, 1), text="ทำแล้ว")
    refused = [
        (NotAllowed, measures.record_progress, (target, thanyarat, entry)),
        (NotAllowed, measures.change_status, (target, thanyarat, "done")),
        (NotAllowed, measures.delete_measure, (target, thanyarat)),
        (NotFound, measures.record_progress, (other.measure_id, thanyarat, entry)),
        (NotFound, measures.copy_plan, (other.plan_id, other.plan_id, thanyarat)),
        (NotFound, measures.delete_entry, (own_unit, other.entry_id, thanyarat)),
        (NotFound, measures.remove_evidence, (own_unit, other.evidence_id, thanyarat)),
    ]
    for error, service, args in refused:
        with pytest.raises(error):
            service(*args)
        db.session.rollback()
