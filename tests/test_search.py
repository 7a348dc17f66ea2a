"""Search in Thai and English over subjects, bodies, comments, people's names, numbers, measure
titles and steps: whole words (Thai cut by pythainlp) and fragments inside words, ranked, the
matching words marked, only what the user may see."""

from datetime import date

import sqlalchemy as sa
from support.client import login
from support.pages import decide, text
from test_reports_helpers import switch

from extensions import db
from models import Measure, Organisation, OrgKind, SearchEntry, User
from search import reindex_all, search
from search.tokens import index_words, query_words
from workflow import documents

ASSET_BODY = "ปรับปรุงแนวทางการใช้ทรัพย์สินของราชการให้ชัดเจน"


def results(html: str) -> str:
    """The list of results ('' when there are none)."""
    if '<ol class="search-results">' not in html:
        return ""
    start = html.index('<ol class="search-results">')
    return html[start : html.index("</ol>", start)]


def plain(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


def draft(app, username: str, subject: str, body: str, org_id: int | None = None) -> int:
    with app.app_context():
        actor = db.session.scalars(sa.select(User).where(User.username == username)).one()
        doc = documents.create_draft(
            actor,
            documents.MemoContent(
                doc_type=documents.DocType.GENERAL,
                issuing_unit="สำนักปลัด",
                doc_date=date(2026, 11, 2),
                subject=subject,
                addressee="นายก",
                sections=[("ข้อเท็จจริง", body)],
            ),
        )
        db.session.commit()
        return doc.id


def other_org_memo(app) -> None:
    """Another organisation whose clerk drafted a memo about assets."""
    with app.app_context():
        org = Organisation(name="เทศบาลตำบลค้นหา", kind=OrgKind.MUNICIPALITY)
        clerk = User(organisation=org, username="other_clerk", title="นาย", full_name="อื่น")
        clerk.set_password("other-pass-123")
        db.session.add_all([org, clerk])
        db.session.commit()
    draft(app, "other_clerk", "บันทึกของเทศบาลอื่น ทรัพย์สิน ITA", ASSET_BODY)


# -- words ------------------------------------------------------------------------------


def test_words_are_lowercased_without_punctuation_with_arabic_digits():
    assert query_words("(ITA) ป.ป.ช. ปี ๒๕๖๘, E-Service!") == [
        "ita", "ปปช", "ปี", "2568", "e", "service",
    ]  # fmt: skip
    assert query_words("ทรัพย์สิน") == ["ทรัพย์สิน"]
    assert "ทรัพย์สิน" in index_words("การใช้ทรัพย์สินของราชการ")


def test_the_index_keeps_compound_words_newmm_cuts_in_context():
    words = index_words("มาตรการปรับปรุงแนวปฏิบัติ")
    assert "มาตร" in words  # newmm's cut in this context
    assert {"มาตรการ", "ปรับปรุง", "แนวปฏิบัติ"} <= set(words)


# -- the page ---------------------------------------------------------------------------


def test_a_thai_word_finds_a_memo_that_has_it_inside_a_sentence(app, client, srisuk):
    draft(app, "nattanipa", "บันทึกเรื่องพัสดุ", "การใช้ทรัพย์สินของราชการ")
    login(client, "nattanipa")
    found = results(text(client.get("/search/?q=ทรัพย์สิน")))
    assert "บันทึกเรื่องพัสดุ" in found
    assert "<mark>ทรัพย์สิน</mark>" in found
    # The demo's measure on government assets matches too, through its title.
    assert "มาตรการปรับปรุงแนวปฏิบัติการใช้<mark>ทรัพย์สิน</mark>ของทางราชการ" in found


def test_an_english_word_matches_whatever_its_case(app, client, srisuk):
    login(client, "nattanipa")
    found = results(text(client.get("/search/?q=ita")))
    assert (
        "(Integrity and Transparency Assessment : <mark>ITA</mark>) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
        in found
    )


def test_measure_titles_and_steps_are_found_and_the_title_ranks_first(app, client, srisuk):
    login(client, "chuttikan")
    found = results(text(client.get("/search/?q=มาตรการ&fiscal_year=2569")))
    # newmm cuts มาตร|การปรับปรุง in the title; the index keeps มาตรการ as well.
    assert "มาตรการปรับปรุงแนวปฏิบัติ" in plain(found)
    steps = plain(results(text(client.get("/search/?q=คู่มือการปฏิบัติงาน&kind=measure"))))
    # A step of the asset measure: "...ให้ชัดเจนในคู่มือการปฏิบัติงาน"
    assert "มาตรการปรับปรุงแนวปฏิบัติการใช้ทรัพย์สินของทางราชการ" in steps
    assert "ในคู่มือการปฏิบัติงาน" in steps
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == "chuttikan")).one()
        from workflow.lists import Filters

        hits = search(user, "No Gift Policy", Filters(fiscal_year=2569)).hits
    assert hits[0].title == "กิจกรรมส่งเสริมคุณธรรมและสร้างวัฒนธรรม No Gift Policy"
    assert hits[0].words == ["no", "gift", "policy"]


def test_another_persons_draft_and_another_organisations_memo_never_appear(app, client, srisuk):
    other_org_memo(app)
    draft(app, "nattanipa", "บันทึกร่างของณัฐนิภา", ASSET_BODY)
    for username in ("thanyarat", "nakarin", "admin"):
        login(client, username)
        found = results(text(client.get("/search/?q=ทรัพย์สิน")))
        assert "บันทึกร่างของณัฐนิภา" not in found, username
        assert "เทศบาลอื่น" not in found, username
        assert "มาตรการปรับปรุงแนวปฏิบัติ" in plain(found)
        client.post_form("/logout")
        client.csrf = None
    login(client, "nattanipa")
    found = results(text(client.get("/search/?q=ทรัพย์สิน")))
    assert "บันทึกร่างของณัฐนิภา" in found and "เทศบาลอื่น" not in found


def test_comments_are_searchable_once_signed_and_the_memo_once_in_the_chain(app, client, srisuk):
    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    switch(client, "thanyarat")
    assert decide(client, srisuk.memo_id, "เห็นควรเสนอเพื่อโปรดพิจารณา", "ตรวจทานงบประมาณแล้ว")
    switch(client, "nakarin")  # in the chain, not yet his turn: he may open it
    found = results(text(client.get("/search/?q=ตรวจทาน งบประมาณ")))
    assert "ITA" in found and "<mark>ตรวจทาน</mark><mark>งบประมาณ</mark>แล้ว" in found


# -- fragments, people and numbers ---------------------------------------------------------


def test_a_fragment_inside_a_word_finds_the_memo_and_whole_words_rank_first(app, client, srisuk):
    quotes = draft(app, "nattanipa", "ขออนุมัติจัดซื้อวัสดุ", "แนบใบเสนอราคาจากร้านค้าสามราย")
    whole = draft(app, "nattanipa", "บันทึกเรื่องราคากลาง", "ราคา ที่ตั้งไว้")
    login(client, "nattanipa")
    for query in ("เสนอราคา", "ราคา", "ใบเสนอ"):
        found = results(text(client.get(f"/search/?q={query}")))
        assert "ขออนุมัติจัดซื้อวัสดุ" in found, query
    found = results(text(client.get("/search/?q=ราคา")))
    assert plain(found).index("บันทึกเรื่องราคากลาง") < plain(found).index("ขออนุมัติจัดซื้อวัสดุ")
    assert "ใบเสนอ<mark>ราคา</mark>" in found
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.username == "nattanipa")).one()
        from workflow.lists import Filters

        ids = [h.item_id for h in search(user, "ราคา", Filters()).hits]
    assert ids.index(whole) < ids.index(quotes)


def test_a_signers_surname_and_the_memo_number_find_the_memo(app, client, srisuk):
    login(client, "nattanipa")
    client.post_form(f"/documents/{srisuk.memo_id}/submit")
    switch(client, "thanyarat")
    assert decide(client, srisuk.memo_id, "เห็นควรเสนอเพื่อโปรดพิจารณา")
    switch(client, "nakarin")
    for query in ("โคนุช", "แสงมณี", "นางธัญญารัตน์", "1180", "๘๓๒๐๑/๑๑๘๐"):
        found = plain(results(text(client.get(f"/search/?q={query}"))))
        assert "ITA" in found, query
    assert "ITA" not in plain(results(text(client.get("/search/?q=สมัญญาXYZ"))))


def test_a_fragment_never_reveals_what_the_user_may_not_see(app, client, srisuk):
    other_org_memo(app)
    draft(app, "nattanipa", "บันทึกร่างใบเสนอราคา", ASSET_BODY)
    login(client, "thanyarat")
    for query in ("เสนอราคา", "ทรัพย์สินของราช", "เทศบาลอื่น"):
        found = results(text(client.get(f"/search/?q={query}")))
        assert "บันทึกร่างใบเสนอราคา" not in found and "เทศบาลอื่น" not in found, query


def test_filters_narrow_the_results(app, client, srisuk):
    login(client, "nattanipa")
    everything = results(text(client.get("/search/?q=ทรัพย์สิน")))
    only_memos = results(text(client.get("/search/?q=ทรัพย์สิน&kind=document")))
    assert "มาตรการปรับปรุง" in plain(everything)
    assert "มาตรการ" not in only_memos
    done = results(text(client.get("/search/?q=ทรัพย์สิน&state=done&fiscal_year=2569")))
    assert "ดำเนินการแล้ว" in done
    assert not results(text(client.get("/search/?q=ทรัพย์สิน&state=in_progress&fiscal_year=2569")))


def test_the_page_escapes_what_people_typed(app, client, srisuk):
    draft(app, "nattanipa", "<script>alert(1)</script> ทรัพย์สิน", "<b>ทรัพย์สิน</b>")
    login(client, "nattanipa")
    html = text(client.get("/search/?q=ทรัพย์สิน"))
    assert "<script>alert" not in html and "&lt;script&gt;alert(๑)&lt;/script&gt;" in html
    assert "&lt;b&gt;<mark>ทรัพย์สิน</mark>&lt;/b&gt;" in html


def test_an_empty_or_punctuation_query_shows_no_results_and_no_error(app, client, srisuk):
    login(client, "nattanipa")
    assert "search-results" not in text(client.get("/search/"))
    html = text(client.get("/search/?q=!!!"))
    assert "ไม่พบเอกสารหรือมาตรการ" in html


# -- keeping the index ------------------------------------------------------------------


def test_the_index_follows_edits_and_deletions_and_forgets_rolled_back_work(app, ctx, srisuk):
    measure = db.session.scalars(sa.select(Measure).order_by(Measure.id)).first()
    measure.title = "มาตรการใหม่เรื่องกล้องวงจรปิด"
    db.session.commit()
    entry = db.session.scalars(
        sa.select(SearchEntry).where(
            SearchEntry.kind == "measure", SearchEntry.item_id == measure.id
        )
    ).one()
    assert entry.title == "มาตรการใหม่เรื่องกล้องวงจรปิด" and "กล้อง" in entry.tokens.split()

    measure.title = "ชื่อที่ไม่ได้บันทึก"
    db.session.flush()
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(SearchEntry, entry.id).title == "มาตรการใหม่เรื่องกล้องวงจรปิด"


def test_reindex_rebuilds_every_row(app, ctx, srisuk):
    expected = db.session.scalar(sa.select(sa.func.count(SearchEntry.id)))
    assert expected == 1 + 20  # the demo memo and the measures of two years
    db.session.execute(sa.delete(SearchEntry))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "21" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(SearchEntry.id))) == expected
    assert reindex_all(db.session) == expected
