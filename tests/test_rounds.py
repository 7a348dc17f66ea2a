"""Report rounds and deadlines: defaults read without saving, the admin's changes and their
rules, the set-up checklist's "checked", holidays."""

from datetime import date

import pytest
import sqlalchemy as sa
from support.client import login
from support.measures import make_plan
from support.pages import body
from test_reports_helpers import (
    APRIL,
    at,
    field_error,
    input_value,
    other_org_with_report,
    round_of,
    rows_of,
    scalar,
    user,
)
from test_setup import step

from extensions import db
from models import Document, Holiday, Organisation, OrgKind, ReportRound, RoundKind
from workflow import rounds
from workflow.calendar import default_rounds
from workflow.errors import NotAllowed, ValidationFailed


def load_round(app, org_id: int, kind: RoundKind, year: int = 2569) -> tuple[date, date, date]:
    """The round's dates in force (saved, else the defaults)."""
    with app.app_context():
        r = rounds.rounds_of_year(org_id, year)[kind]
        return r.period_start, r.period_end, r.due_date


def saved_rows(app, org_id: int) -> dict[RoundKind, tuple]:
    """The organisation's saved round rows: their dates and who checked them."""
    with app.app_context():
        stmt = sa.select(ReportRound).where(ReportRound.org_id == org_id)
        return {
            r.kind: (r.period_start, r.period_end, r.due_date, r.checked_by_id)
            for r in db.session.scalars(stmt)
        }


def edit_url(kind: RoundKind, year: int = 2569) -> str:
    return f"/reports/{year}/rounds/{kind.value}/edit"


def dates(start: str, end: str, due: str) -> dict:
    return {"period_start": start, "period_end": end, "due_date": due}


@pytest.fixture
def april(monkeypatch):
    at(monkeypatch, APRIL)


def test_the_defaults_are_read_without_saving_anything(app, ctx):
    org = Organisation(name="อบต.ทดสอบรอบ", kind=OrgKind.SAO)
    db.session.add(org)
    db.session.flush()
    found = rounds.rounds_of_year(org.id, 2569)
    assert db.session.scalar(sa.select(sa.func.count(ReportRound.id))) == 0
    assert all(r.id is None and not r.checked for r in found.values())
    assert found[RoundKind.HALF].period_start == date(2025, 10, 1)
    assert found[RoundKind.HALF].period_end == date(2026, 3, 31)
    assert found[RoundKind.HALF].due_date == date(2026, 4, 30)
    assert found[RoundKind.ANNUAL].period_end == date(2026, 9, 30)
    assert found[RoundKind.ANNUAL].due_date == date(2026, 10, 31)
    assert found[RoundKind.Q2].period_start == date(2026, 1, 1)
    assert found[RoundKind.Q2].due_date == date(2026, 4, 15)


def test_a_saved_round_wins_and_the_others_keep_their_defaults(app, ctx, srisuk):
    rounds.update_round(
        user("admin"),
        2569,
        RoundKind.HALF,
        period_start=date(2025, 10, 1),
        period_end=date(2026, 3, 31),
        due_date=date(2026, 5, 15),
    )
    found = rounds.rounds_of_year(srisuk.org_id, 2569)
    assert found[RoundKind.HALF].due_date == date(2026, 5, 15) and found[RoundKind.HALF].checked
    defaults = default_rounds(2569)
    for kind in set(RoundKind) - {RoundKind.HALF}:
        assert found[kind].period == defaults[kind] and found[kind].id is None, kind


def test_the_sql_rounds_agree_with_the_rounds_read_in_python(app, ctx, srisuk):
    """The reminder run reads `rounds_in_force`, the pages `rounds_of_years`: one answer."""
    other = Organisation(name="อบต.ไม่เคยเปิดหน้ารอบ", kind=OrgKind.SAO)
    db.session.add(other)
    db.session.flush()
    rounds.update_round(
        user("admin"),
        2569,
        RoundKind.Q3,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        due_date=date(2026, 7, 31),
    )
    years = {2568, 2569, 2570}
    in_sql = rounds.rounds_in_force(years)
    for org_id in (srisuk.org_id, other.id):
        rows = db.session.execute(sa.select(in_sql).where(in_sql.c.org_id == org_id)).all()
        from_sql = {
            (r.fiscal_year, RoundKind(r.kind)): (r.period_start, r.period_end, r.due_date, r.id)
            for r in rows
        }
        in_python = {
            (year, kind): (r.period_start, r.period_end, r.due_date, r.id)
            for year, found in rounds.rounds_of_years(org_id, years).items()
            for kind, r in found.items()
        }
        assert from_sql == in_python and len(from_sql) == 18
    assert from_sql[2569, RoundKind.Q3][2] == date(2026, 7, 15)  # the other kept the default


def test_opening_the_pages_saves_no_round_and_the_checklist_stays_unchecked(
    app, client, srisuk, april
):
    login(client, "admin")
    for url in ("/reports/", "/reports/rounds", "/measures/", "/measures/years/2569", "/"):
        assert client.get(url, follow_redirects=True).status_code == 200, url
    assert saved_rows(app, srisuk.org_id) == {}
    rounds_step = step(body(client.get("/setup/")), "rounds")
    assert "ยังใช้วันที่ตั้งต้น (ยังไม่ได้ตรวจสอบ)" in rounds_step
    assert body(client.get("/reports/rounds")).count("ยังไม่ได้ตรวจสอบ") == 6


def test_the_admin_confirms_the_years_rounds_and_the_checklist_says_so(app, client, srisuk, april):
    with app.app_context():
        admin_id = user("admin").id
    login(client, "admin")
    assert "ยืนยันกำหนดส่งตามที่แสดง" in body(client.get("/reports/rounds"))
    response = client.post_form("/reports/2569/rounds/confirm", follow_redirects=True)
    assert "ยืนยันรอบการรายงานของปีงบประมาณ ๒๕๖๙ แล้ว" in body(response)
    defaults = default_rounds(2569)
    assert saved_rows(app, srisuk.org_id) == {
        kind: (p.start, p.end, p.due, admin_id) for kind, p in defaults.items()
    }
    assert "ตรวจสอบแล้ว" in step(body(client.get("/setup/")), "rounds")
    page = body(client.get("/reports/rounds"))
    assert "ยังไม่ได้ตรวจสอบ" not in page and "ยืนยันกำหนดส่งตามที่แสดง" not in page


def test_one_round_saved_by_the_admin_leaves_the_year_unchecked(app, client, srisuk, april):
    login(client, "admin")
    client.post_form(edit_url(RoundKind.HALF), dates("1/10/2568", "31/3/2569", "15/5/2569"))
    assert set(saved_rows(app, srisuk.org_id)) == {RoundKind.HALF}
    assert "ยังใช้วันที่ตั้งต้น (ยังไม่ได้ตรวจสอบ)" in step(body(client.get("/setup/")), "rounds")


def test_a_report_saves_its_round_with_the_dates_in_force_but_checks_nothing(
    app, client, srisuk, april
):
    make_plan(app, srisuk.org_id)
    login(client, "nattanipa")
    assert client.post_form("/reports/2569/rounds/half/create").status_code == 302
    half = default_rounds(2569)[RoundKind.HALF]
    assert saved_rows(app, srisuk.org_id) == {
        RoundKind.HALF: (half.start, half.end, half.due, None)
    }
    with app.app_context():
        assert not rounds.is_checked(srisuk.org_id, 2569)


def test_any_member_sees_the_years_rounds_in_buddhist_era_without_edit_links(
    app, client, srisuk, april
):
    login(client, "nattanipa")
    page = body(client.get("/reports/rounds"))
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๙" in page  # the current fiscal year by default
    half = page[page.index('id="round-half"') :]
    assert "๑ ตุลาคม ๒๕๖๘" in half and "๓๑ มีนาคม ๒๕๖๙" in half and "๓๐ เมษายน ๒๕๖๙" in half
    annual = page[page.index('id="round-annual"') :]
    assert "๓๑ ตุลาคม ๒๕๖๙" in annual
    assert (
        page.index('id="round-half"')
        < page.index('id="round-annual"')
        < page.index('id="round-q1"')
    )
    assert "/edit" not in page and "ตั้งทุกรอบกลับเป็นค่าเริ่มต้น" not in page
    assert "ปีงบประมาณ พ.ศ. ๒๕๗๐" in body(client.get("/reports/2570/rounds"))


def test_admin_changes_the_half_year_due_date_typed_in_thai_digits(app, client, srisuk, april):
    login(client, "admin")
    form = body(client.get(edit_url(RoundKind.HALF)))
    assert input_value(form, "due_date") == "30/4/2569"
    assert "ไม่เกิน ๖ เดือน" in form and "๓๑ มีนาคม ๒๕๗๐" in form  # the rule is explained
    response = client.post_form(
        edit_url(RoundKind.HALF), dates("๑/๑๐/๒๕๖๘", "๓๑/๓/๒๕๖๙", "๑๕/๕/๒๕๖๙")
    )
    assert response.status_code == 302
    half = (date(2025, 10, 1), date(2026, 3, 31), date(2026, 5, 15))
    assert load_round(app, srisuk.org_id, RoundKind.HALF) == half
    assert "๑๕ พฤษภาคม ๒๕๖๙" in body(client.get("/reports/rounds"))


def test_the_annual_report_may_be_due_up_to_six_months_after_the_year(app, client, srisuk, april):
    login(client, "admin")
    response = client.post_form(
        edit_url(RoundKind.ANNUAL), dates("1/10/2568", "30/9/2569", "31/3/2570")
    )
    assert response.status_code == 302
    assert load_round(app, srisuk.org_id, RoundKind.ANNUAL)[2] == date(2027, 3, 31)


BAD_ROUNDS = [
    (
        "end before start",
        dates("1/1/2569", "31/12/2568", "30/4/2569"),
        "period_end",
        "วันสิ้นสุดรอบต้องไม่ก่อนวันเริ่มต้นรอบ",
    ),
    (
        "start outside the year",
        dates("1/9/2568", "31/3/2569", "30/4/2569"),
        "period_start",
        "ต้องอยู่ในปีงบประมาณ พ.ศ. 2569",
    ),
    (
        "end outside the year",
        dates("1/10/2568", "31/10/2569", "30/11/2569"),
        "period_end",
        "ต้องอยู่ในปีงบประมาณ พ.ศ. 2569",
    ),
    (
        "due before the end",
        dates("1/10/2568", "31/3/2569", "30/3/2569"),
        "due_date",
        "วันครบกำหนดส่งต้องไม่ก่อนวันสิ้นสุดรอบ",
    ),
    (
        "due too late",
        dates("1/10/2568", "31/3/2569", "1/4/2570"),
        "due_date",
        "วันครบกำหนดส่งต้องไม่เกิน 31 มีนาคม 2570",
    ),
    ("not a date", dates("1/10/2568", "31/3/2569", "๓๑/๔/๒๕๖๙"), "due_date", "ไม่มีวันที่นี้ในปฏิทิน"),
    ("empty", dates("1/10/2568", "", "30/4/2569"), "period_end", "กรุณาระบุวันที่"),
]


@pytest.mark.parametrize("case, data, field, message", BAD_ROUNDS, ids=[c[0] for c in BAD_ROUNDS])
def test_bad_round_dates_are_refused_beside_the_field_and_nothing_is_saved(
    app, client, srisuk, april, case, data, field, message
):
    before = rows_of(app)
    login(client, "admin")
    response = client.post_form(edit_url(RoundKind.HALF), data)
    page = body(response)
    assert response.status_code == 400
    assert message in field_error(page, field)
    for name, typed in data.items():
        assert input_value(page, name) == typed  # the user's own text comes back
    assert rows_of(app) == before


def test_the_service_applies_the_rules_without_the_form(app, ctx, srisuk):
    admin = user("admin")
    with pytest.raises(ValidationFailed) as refused:
        rounds.update_round(
            admin,
            2569,
            RoundKind.HALF,
            period_start=date(2025, 10, 1),
            period_end=date(2026, 3, 31),
            due_date=date(2026, 3, 1),
        )
    assert refused.value.field == "due_date"
    with pytest.raises(NotAllowed):
        rounds.update_round(
            user("nattanipa"),
            2569,
            RoundKind.HALF,
            period_start=date(2025, 10, 1),
            period_end=date(2026, 3, 31),
            due_date=date(2026, 4, 30),
        )


def test_people_who_are_not_admins_cannot_change_rounds_or_holidays(app, client, srisuk, april):
    with app.app_context():
        db.session.add(Holiday(org_id=srisuk.org_id, day=date(2026, 4, 13), name="วันสงกรานต์"))
        db.session.commit()
        hid = db.session.scalar(sa.select(Holiday.id))
    before = rows_of(app)
    login(client, "chuttikan")  # ปลัด, but not the system's admin
    assert client.get(edit_url(RoundKind.HALF)).status_code == 403
    posts = [
        (edit_url(RoundKind.HALF), dates("1/10/2568", "31/3/2569", "15/5/2569")),
        ("/reports/2569/rounds/reset", {}),
        ("/reports/2569/rounds/confirm", {}),
        ("/reports/2569/holidays", {"day": "14/4/2569", "name": "วันสงกรานต์"}),
        (f"/reports/holidays/{hid}/delete", {}),
    ]
    for url, data in posts:
        response = client.post_form(url, data)
        assert response.status_code == 403, url
        assert "หน้านี้สำหรับผู้ดูแลระบบขององค์กรเท่านั้น" in body(response)
    assert rows_of(app) == before


def test_reset_puts_every_round_back_to_the_defaults(app, client, srisuk, april):
    login(client, "admin")
    client.post_form(edit_url(RoundKind.Q3), dates("1/4/2569", "30/6/2569", "31/7/2569"))
    assert load_round(app, srisuk.org_id, RoundKind.Q3)[2] == date(2026, 7, 31)
    assert client.post_form("/reports/2569/rounds/reset").status_code == 302
    default = default_rounds(2569)[RoundKind.Q3]
    assert load_round(app, srisuk.org_id, RoundKind.Q3) == (default.start, default.end, default.due)
    assert len(saved_rows(app, srisuk.org_id)) == 6  # and the admin has checked them all


def test_posts_without_the_csrf_token_are_refused(app, client, srisuk, april):
    before = rows_of(app)
    login(client, "admin")
    for url, data in [
        (edit_url(RoundKind.HALF), dates("1/10/2568", "31/3/2569", "15/5/2569")),
        ("/reports/2569/rounds/confirm", {}),
        ("/reports/2569/rounds/reset", {}),
    ]:
        assert client.post(url, data=data).status_code == 400, url
    assert rows_of(app) == before


def test_far_off_years_are_not_pages(app, client, srisuk, april):
    login(client, "nattanipa")
    for url in (
        "/reports/2400",
        "/reports/2400/rounds",
        "/reports/3000/holidays",
        "/reports/2400/rounds/half/edit",
        "/reports/2569/rounds/q5/edit",
    ):
        assert client.get(url).status_code == 404, url
    assert scalar(app, sa.select(sa.func.count(ReportRound.id))) == 0


# -- holidays ---------------------------------------------------------------------------------


def holiday_days(app, org_id: int) -> list[date]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Holiday.day).where(Holiday.org_id == org_id).order_by(Holiday.day)
            )
        )


def test_admin_adds_lists_and_deletes_holidays(app, client, srisuk, april):
    login(client, "admin")
    response = client.post_form("/reports/holidays", {"day": "๒๐/๔/๒๕๖๙", "name": "งานประจำปีตำบล"})
    assert response.status_code == 302
    assert holiday_days(app, srisuk.org_id) == [date(2026, 4, 20)]
    page = body(client.get("/reports/2569/holidays"))
    assert "๒๐ เมษายน ๒๕๖๙" in page and "งานประจำปีตำบล" in page
    hid = scalar(app, sa.select(Holiday.id))
    assert client.post_form(f"/reports/holidays/{hid}/delete").status_code == 302
    assert holiday_days(app, srisuk.org_id) == []


def test_a_duplicate_holiday_is_refused_beside_the_date(app, client, srisuk, april):
    login(client, "admin")
    client.post_form("/reports/holidays", {"day": "20/4/2569", "name": "งานประจำปีตำบล"})
    response = client.post_form("/reports/holidays", {"day": "๒๐/๔/๒๕๖๙", "name": "ซ้ำ"})
    page = body(response)
    assert response.status_code == 400
    assert "วันที่นี้อยู่ในรายการวันหยุดแล้ว (งานประจำปีตำบล)" in field_error(page, "day")
    assert input_value(page, "day") == "๒๐/๔/๒๕๖๙" and input_value(page, "name") == "ซ้ำ"
    assert holiday_days(app, srisuk.org_id) == [date(2026, 4, 20)]


def test_a_national_holiday_needs_no_typing_and_is_not_added_twice(app, client, srisuk, april):
    login(client, "admin")
    page = body(client.get("/reports/2569/holidays"))
    assert "๑๓ เมษายน ๒๕๖๙" in page and "วันสงกรานต์" in page and "วันหยุดราชการ" in page
    assert "วันมาฆบูชา" in page  # a lunar holiday, computed for the year
    response = client.post_form("/reports/holidays", {"day": "13/4/2569", "name": "สงกรานต์"})
    assert response.status_code == 400
    assert "วันที่นี้เป็นวันหยุดราชการอยู่แล้ว (วันสงกรานต์)" in field_error(body(response), "day")
    assert holiday_days(app, srisuk.org_id) == []


def test_the_admin_works_through_a_national_holiday_and_takes_it_back(app, client, srisuk):
    father = date(2026, 12, 4), date(2026, 12, 8)  # Fri 4 .. Tue 8 Dec: Sat 5 and Mon 7 are off
    with app.app_context():
        assert rounds.holiday_dates(srisuk.org_id, *father) == {
            date(2026, 12, 5),
            date(2026, 12, 7),
        }
        assert rounds.working_days(srisuk.org_id, *father) == 1  # only Tue 8
    login(client, "admin")
    response = client.post_form("/reports/holidays/work", {"day": "2026-12-07"})
    assert response.status_code == 302
    assert "นับวันที่ ๗ ธันวาคม ๒๕๖๙ เป็นวันทำงานแล้ว" in body(client.get(response.location))
    with app.app_context():
        assert rounds.holiday_dates(srisuk.org_id, *father) == {date(2026, 12, 5)}
        assert rounds.working_days(srisuk.org_id, *father) == 2
    page = body(client.get("/reports/2570/holidays"))
    assert "องค์กรทำงานวันนี้" in page
    hid = scalar(app, sa.select(Holiday.id))
    assert client.post_form(f"/reports/holidays/{hid}/delete").status_code == 302
    with app.app_context():
        assert rounds.working_days(srisuk.org_id, *father) == 1


@pytest.mark.parametrize("day", ["2026-12-08", "not-a-date", ""])
def test_only_a_national_holiday_can_be_worked_through(app, client, srisuk, day):
    login(client, "admin")
    response = client.post_form("/reports/holidays/work", {"day": day}, follow_redirects=True)
    assert response.status_code == 200
    assert "วันที่นี้ไม่ใช่วันหยุดราชการ" in body(response) or "ไม่พบวันที่" in body(response)
    assert holiday_days(app, srisuk.org_id) == []


def test_only_the_admin_works_through_a_holiday(app, client, srisuk):
    login(client, "nattanipa")
    response = client.post_form("/reports/holidays/work", {"day": "2026-12-07"})
    assert response.status_code == 403
    assert holiday_days(app, srisuk.org_id) == []


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"day": "", "name": "วันหยุด"}, "day", "กรุณาระบุวันที่"),
        ({"day": "30/2/2569", "name": "วันหยุด"}, "day", "ไม่มีวันที่นี้ในปฏิทิน"),
        ({"day": "14/4/2569", "name": "  "}, "name", "กรุณาระบุชื่อวันหยุด"),
        ({"day": "14/4/2569", "name": "ก" * 201}, "name", "ยาวได้ไม่เกิน 200 ตัวอักษร"),
    ],
)
def test_bad_holidays_are_refused_beside_the_field(
    app, client, srisuk, april, data, field, message
):
    login(client, "admin")
    response = client.post_form("/reports/holidays", data)
    assert response.status_code == 400
    assert message in field_error(body(response), field)
    assert holiday_days(app, srisuk.org_id) == []


def test_holidays_are_per_organisation(app, ctx, srisuk):
    other = Organisation(name="เทศบาลตำบลอื่น", kind=OrgKind.MUNICIPALITY)
    db.session.add(other)
    db.session.flush()
    rounds.add_holiday(user("admin"), date(2026, 4, 20), "งานประจำปีตำบล")
    songkran = {date(2026, 4, 13), date(2026, 4, 14), date(2026, 4, 15), date(2026, 4, 6)}
    april = (date(2026, 4, 1), date(2026, 4, 30))
    assert rounds.holiday_dates(srisuk.org_id, *april) == songkran | {date(2026, 4, 20)}
    assert rounds.holiday_dates(other.id, *april) == songkran
    assert rounds.working_days(other.id, date(2026, 4, 19), date(2026, 4, 20)) == 1


def test_working_days_skip_weekends_and_the_organisations_holidays(app, ctx, srisuk):
    # Mon 20 April to Thu 30 April 2026: 8 weekdays after the 20th (21-24, 27-30).
    assert rounds.working_days(srisuk.org_id, date(2026, 4, 20), date(2026, 4, 30)) == 8
    rounds.add_holiday(user("admin"), date(2026, 4, 21), "วันหยุดชดเชย")
    rounds.add_holiday(user("admin"), date(2026, 4, 25), "วันเสาร์ที่เป็นวันหยุด")
    assert rounds.working_days(srisuk.org_id, date(2026, 4, 20), date(2026, 4, 30)) == 7


def test_the_reports_page_counts_working_days_to_the_due_date(app, client, srisuk, april):
    login(client, "admin")
    half = lambda page: page[page.index('id="round-half"') : page.index('id="round-annual"')]  # noqa: E731
    assert "อีก ๘ วันทำการ" in half(body(client.get("/reports/")))
    client.post_form("/reports/holidays", {"day": "21/4/2569", "name": "วันหยุดชดเชย"})
    assert "อีก ๗ วันทำการ" in half(body(client.get("/reports/")))


# -- addresses from before rounds were keyed by (year, kind) ---------------------------------


def test_an_old_round_edit_link_still_opens_that_rounds_page(app, client, srisuk, april):
    """Until December 2026 the edit page was /reports/rounds/<row id>/edit (a bookmark)."""
    old = f"/reports/rounds/{round_of(app, srisuk.org_id, RoundKind.HALF)}/edit"
    login(client, "admin")
    response = client.get(old)
    assert response.status_code == 302
    assert response.headers["Location"] == edit_url(RoundKind.HALF)
    assert "รอบ ๖ เดือน" in body(client.get(response.headers["Location"]))


def test_a_page_open_across_the_upgrade_posts_to_the_old_address_and_nothing_is_made(
    app, client, srisuk, april
):
    make_plan(app, srisuk.org_id)
    half = round_of(app, srisuk.org_id, RoundKind.HALF)
    login(client, "nattanipa")
    reports_before = scalar(app, sa.select(sa.func.count()).select_from(Document))
    response = client.post_form(f"/reports/rounds/{half}/create")
    assert response.status_code == 303 and response.headers["Location"] == "/reports/2569"
    assert "ระบบยังไม่ได้บันทึกสิ่งใด กรุณาทำรายการอีกครั้ง" in body(client.get("/reports/2569"))
    assert scalar(app, sa.select(sa.func.count()).select_from(Document)) == reports_before
    login(client, "admin")
    response = client.post_form(
        f"/reports/rounds/{half}/edit", dates("1/10/2568", "31/3/2569", "1/6/2569")
    )
    assert response.headers["Location"] == edit_url(RoundKind.HALF)
    due = default_rounds(2569)[RoundKind.HALF].due
    assert saved_rows(app, srisuk.org_id)[RoundKind.HALF][2] == due  # not the date posted


def test_an_old_link_to_a_round_that_is_not_ours_says_where_the_rounds_are(
    app, client, srisuk, april
):
    """Another organisation's row, or none: a 404 (nothing of theirs is told), in Thai, with the
    way to this organisation's rounds."""
    theirs = other_org_with_report(app)["round_id"]
    login(client, "admin")
    for old in (f"/reports/rounds/{theirs}/edit", "/reports/rounds/999999/edit"):
        response = client.get(old)
        assert response.status_code == 404
        page = body(response)
        assert "ลิงก์นี้เป็นรูปแบบเดิมและไม่พบรอบการรายงานนั้นในหน่วยงานของคุณ" in page
        assert '<a href="/reports/rounds">หน้ารอบการรายงาน</a>' in page
