"""Entering results: the form (Thai digits, errors beside the field, nothing saved half-way), the
CSV template and its import, who may do what, and another organisation's rows."""

import sqlalchemy as sa
from support.client import login
from support.ita import OTHER_NAME, other_org_with_results
from support.pages import body
from test_admin_helpers import field_error, input_value, switch

from extensions import db
from models import Document, ItaItemScore, ItaResult, ItaToolScore
from workflow.ita import csvio
from workflow.ita.store import get_catalogue


def rows_of(app) -> list:
    """Every stored score, to show that a refused request changed nothing."""
    with app.app_context():
        results = db.session.execute(
            sa.select(ItaResult.org_id, ItaResult.fiscal_year, ItaResult.overall).order_by(
                ItaResult.id
            )
        ).all()
        tools = db.session.execute(sa.select(ItaToolScore.result_id, ItaToolScore.score)).all()
        items = db.session.execute(sa.select(ItaItemScore.code, ItaItemScore.score)).all()
        return [results, sorted(tools), sorted(items)]


def scores_of(app, org_id: int, year: int) -> dict:
    from workflow.ita.entry import stored_values

    with app.app_context():
        result = db.session.scalars(
            sa.select(ItaResult).where(ItaResult.org_id == org_id, ItaResult.fiscal_year == year)
        ).one_or_none()
        return {k: f"{v:.2f}" for k, v in stored_values(result).items()}


def test_the_results_page_shows_the_demo_figures_to_everyone_in_the_organisation(
    app, client, srisuk
):
    for username in ("chuttikan", "nakarin", "admin"):
        switch(client, username)
        page = body(client.get("/ita/", follow_redirects=True))
        assert "ผลการประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๖๘" in page
        assert "๙๓.๕๗" in page and "ระดับผ่านดี" in page
        assert "<svg" in page and "ita-chart" in page


def test_scores_typed_in_thai_digits_are_stored_in_arabic_and_recomputed(app, client, srisuk):
    login(client, "nakarin")  # every active person may enter results, not only the drafter
    response = client.post_form(
        "/ita/2566/edit", {"s_IIT": "๙๐.๐๐", "s_EIT": "80", "s_OIT": " 70.5 ", "announced_on": ""}
    )
    assert response.status_code == 302, body(response)
    assert scores_of(app, srisuk.org_id, 2566) == {"IIT": "90.00", "EIT": "80.00", "OIT": "70.50"}
    page = body(client.get("/ita/2566"))
    assert "๗๙.๒๐" in page  # 27 + 24 + 28.2, computed by the year's weights
    assert "ระดับ B" in page  # a Latin level name stands apart: "ระดับ B", not "ระดับB"


def test_a_refused_score_shows_again_with_its_error_and_nothing_is_saved(app, client, srisuk):
    login(client, "nattanipa")
    before = rows_of(app)
    response = client.post_form(
        "/ita/2568/edit",
        {"s_ITA": "93.57", "s_IIT": "90.535", "s_i10": "๑๐๐.๕", "s_O1": "100", "announced_on": ""},
    )
    html = body(response)
    assert response.status_code == 400
    assert field_error(html, "s_IIT") == "กรอกเป็นตัวเลข ทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 93.57"
    assert input_value(html, "s_IIT") == "90.535"
    assert field_error(html, "s_i10") == "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"
    assert input_value(html, "s_i10") == "๑๐๐.๕"
    assert input_value(html, "s_O1") == "100"
    assert rows_of(app) == before


def test_the_edit_form_starts_from_the_stored_figures(app, client, srisuk):
    login(client, "nattanipa")
    html = body(client.get("/ita/2568/edit"))
    assert input_value(html, "s_ITA") == "93.57"
    assert input_value(html, "s_EIT1_6") == "98.62"
    assert input_value(html, "s_9_3") == "50.00"
    assert input_value(html, "s_i2") == ""


def test_a_typo_in_the_totals_is_shown_as_a_warning_naming_both_numbers(app, client, srisuk):
    login(client, "nattanipa")
    values = {"s_OIT": "89.71", "s_9": "86.67", "s_10": "91.67", "announced_on": ""}
    assert client.post_form("/ita/2566/edit", values).status_code == 302
    page = body(client.get("/ita/2566"))
    assert "คะแนน OIT: กรอกไว้ ๘๙.๗๑ แต่คำนวณจากคะแนนตัวชี้วัดได้ ๘๙.๑๗" in page


def test_the_csv_template_lists_every_figure_with_what_is_stored(app, client, srisuk):
    login(client, "nattanipa")
    response = client.get("/ita/2568/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    csv_text = response.data.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0] == "รหัส,รายการ,คะแนน"
    assert lines[1].startswith("YEAR,") and lines[1].endswith(",2568")
    assert "ITA,คะแนนรวม ITA,93.57" in lines
    assert any(line.startswith("i10,i10 เจ้าหน้าที่ในหน่วยงานของท่าน") and line.endswith(",43.68")
               for line in lines)  # fmt: skip
    assert any(line.startswith("i2,") and line.endswith(",") for line in lines)
    with app.app_context():
        assert len(lines) == 2 + len(csvio.entry.entries(get_catalogue(2568)))


def upload(client, year: int, content: bytes, name: str = "ita.csv"):
    from io import BytesIO

    return client.post_form(
        f"/ita/{year}/import",
        {"file": (BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_a_filled_template_imports_back(app, client, srisuk):
    login(client, "nattanipa")
    csv_text = client.get("/ita/2568/template.csv").data.decode("utf-8-sig")
    csv_text = csv_text.replace(",43.68\r\n", ",๔๔.๐๐\r\n")
    lines = [
        line if not line.startswith("i2,") else line + "92.12" for line in csv_text.split("\r\n")
    ]
    response = upload(client, 2568, "\r\n".join(lines).encode("utf-8"))
    assert response.status_code == 302, body(response)
    stored = scores_of(app, srisuk.org_id, 2568)
    assert stored["i10"] == "44.00" and stored["i2"] == "92.12"
    assert stored["ITA"] == "93.57"


def test_an_excel_csv_in_windows_874_imports_too(app, client, srisuk):
    login(client, "nattanipa")
    content = "รหัส,รายการ,คะแนน\r\nYEAR,ปี,2566\r\nIIT,ภายใน,88.5\r\n".encode("cp874")
    assert upload(client, 2566, content).status_code == 302
    assert scores_of(app, srisuk.org_id, 2566) == {"IIT": "88.50"}


def test_a_bad_csv_row_is_refused_with_its_line_and_nothing_is_saved(app, client, srisuk):
    login(client, "nattanipa")
    before = rows_of(app)
    cases = [
        ("รหัส,รายการ,คะแนน\nITA,,93.57\nIIT,,101\n", "บรรทัดที่ 3: IIT: คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("รหัส,รายการ,คะแนน\nITA,,93.57\nX9,,1\n", "บรรทัดที่ 3: ไม่มีรหัส “X9” ในแคตตาล็อกปี 2568"),
        ("รหัส,รายการ,คะแนน\nYEAR,,2567\nITA,,93.57\n", "บรรทัดที่ 2: ไฟล์นี้เป็นของปีงบประมาณ 2567"),
        ("รหัส,รายการ,คะแนน\ni1,,90\nI1,,91\n", "บรรทัดที่ 3: รหัส “i1” ซ้ำ"),
        ("code;score\nITA;93\n", "บรรทัดที่ 1: แถวแรกต้องเป็นหัวตาราง"),
        ("", "ไฟล์ว่างเปล่า"),
    ]
    for csv, message in cases:
        response = upload(client, 2568, csv.encode("utf-8"))
        assert response.status_code == 400, csv
        html = body(response)
        assert message in html.replace("๒๕๖๘", "2568").replace("๒๕๖๗", "2567"), (csv, message)
    assert rows_of(app) == before


def test_only_an_admin_deletes_a_years_results(app, client, srisuk):
    with app.app_context():
        result_id = db.session.scalar(
            sa.select(ItaResult.id).where(
                ItaResult.org_id == srisuk.org_id, ItaResult.fiscal_year == 2567
            )
        )
    login(client, "nattanipa")
    assert client.post_form(f"/ita/results/{result_id}/delete").status_code == 403
    switch(client, "admin")
    assert client.post_form(f"/ita/results/{result_id}/delete").status_code == 302
    assert scores_of(app, srisuk.org_id, 2567) == {}


def test_posts_without_the_csrf_token_are_refused(app, client, srisuk):
    login(client, "nattanipa")
    before = rows_of(app)
    assert client.post("/ita/2568/edit", data={"s_ITA": "50"}).status_code == 400
    assert client.post("/ita/2568/memo", data={}).status_code == 400
    assert rows_of(app) == before


def test_another_organisations_results_and_memos_do_not_exist(app, client, srisuk):
    """Every ITA URL that names a row, given the other organisation's ids by name: 404."""
    other = other_org_with_results(app)
    login(client, "admin")
    before = rows_of(app)
    with app.app_context():
        docs_before = db.session.scalar(sa.select(sa.func.count(Document.id)))
    with app.test_request_context():
        from flask import url_for

        urls = [
            (rule, url_for(rule.endpoint, **{a: other[a] for a in rule.arguments}))
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("ita.") and rule.arguments - {"fiscal_year"}
        ]
    assert {r.endpoint for r, _ in urls} >= {"ita.delete", "ita.texts", "ita.refresh"}
    for rule, url in urls:
        if "GET" in rule.methods:
            assert client.get(url).status_code == 404, url
        if "POST" in rule.methods:
            response = client.post_form(url, {"strength_4": "ถูกแก้", "weakness_4": "ถูกแก้"})
            assert response.status_code == 404, url
    assert rows_of(app) == before
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Document.id))) == docs_before
    for url in ("/ita/2568", "/ita/2567", "/ita/2568/template.csv", "/ita/2568/edit"):
        page = client.get(url).data.decode("utf-8-sig")
        assert OTHER_NAME not in page, url
        assert "84.47" not in page and "๘๔.๔๗" not in page, url  # ลพบุรี's i10, not ours


def test_the_web_shows_the_catalogue_and_offers_no_way_to_change_it(app, client, srisuk):
    login(client, "admin")
    page = client.get("/ita/catalogue/2568").get_data(as_text=True)
    assert "มีการขอยืมหรือขอใช้ทรัพย์สินของหน่วยงาน" in page
    assert "ผ่านดีเยี่ยม" in page
    ita_posts = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("ita.") and "POST" in rule.methods
    ]
    assert not [url for url in ita_posts if "catalogue" in url]
    assert client.get("/ita/catalogue/2599").status_code == 404


def test_a_csv_with_old_mac_line_ends_imports_and_an_unclosed_quote_is_refused(app, client, srisuk):
    login(client, "nattanipa")
    content = "รหัส,รายการ,คะแนน\rYEAR,ปี,2566\rIIT,ภายใน,88.5\r".encode()
    assert upload(client, 2566, content).status_code == 302
    assert scores_of(app, srisuk.org_id, 2566) == {"IIT": "88.50"}
    before = rows_of(app)
    response = upload(client, 2568, 'รหัส,รายการ,คะแนน\nITA,"93.57\n'.encode())
    assert response.status_code == 400
    assert rows_of(app) == before


def test_the_figures_read_as_rows_are_each_result_s_stored_figures(app, srisuk):
    """The home page reads every year's figures as rows in one statement; they are the stored
    figures of the organisation's own results, of every kind (overall, tool, indicator, part of
    an indicator within a tool, item)."""
    from workflow.ita.entry import stored_values
    from workflow.ita.results import stored_values_by_year

    other = other_org_with_results(app)
    with app.app_context():
        for org_id in (srisuk.org_id, other["org_id"]):
            results = db.session.scalars(
                sa.select(ItaResult).where(ItaResult.org_id == org_id).order_by(ItaResult.id)
            ).all()
            stored = {r.fiscal_year: stored_values(r) for r in results}
            by_year = stored_values_by_year(org_id)
            assert by_year == {year: values for year, values in stored.items() if values}
            assert list(by_year) == sorted(by_year)
        keys = {key for values in stored_values_by_year(srisuk.org_id).values() for key in values}
    assert {"ITA", "EIT1/6", "6", "IIT", "i1"} <= keys, sorted(keys)
