"""Published ITA figures from the seeds, keyed as the form and the CSV file key them
(workflow/ita/entry.py): ITA overall, tools, indicators 1-10, EIT parts "EIT1/6", items.
อบต.ศรีสุข's figures (seed 000) are the demo's: workflow/ita/demo.py."""

# อบจ.ลพบุรี 2568, seed 003: every tool, indicator and question.
# fmt: off
LOPBURI_2568 = {
    "ITA": "97.86", "IIT": "96.78", "EIT1": "93.26", "EIT2": "98.89", "OIT": "100",
    "1": "97.32", "2": "97.95", "3": "99.48", "4": "92.66", "5": "96.50",
    "6": "97.48", "7": "95.39", "8": "95.35", "9": "100", "10": "100",
    "i1": "95.20", "i2": "97.32", "i3": "99.44", "i4": "96.65", "i5": "98.99", "i6": "98.21",
    "i7": "98.99", "i8": "99.44", "i9": "100", "i10": "84.47", "i11": "98.44", "i12": "95.08",
    "i13": "97.65", "i14": "96.31", "i15": "95.53",
    "e1": "92.94", "e2": "93.43", "e3": "99.02", "e4": "92.16", "e5": "92.06", "e6": "93.14",
    "e7": "91.18", "e8": "92.84", "e9": "92.55",
    **{f"O{n}": "100" for n in range(1, 29)},
}
# fmt: on

# อบจ.ลพบุรี 2567, seed 003, with its typo: OIT printed 89.71 where its indicators give 89.17.
# fmt: off
LOPBURI_2567 = {
    "ITA": "91.54", "IIT": "97.27", "EIT1": "86.14", "EIT2": "91.78", "OIT": "89.71",
    "1": "98.45", "2": "97.32", "3": "98.32", "4": "94.33", "5": "97.91",
    "6": "94.73", "7": "92.25", "8": "79.89", "9": "86.67", "10": "91.67",
    "i1": "97.22", "i2": "98.66", "i3": "99.48", "i4": "98.25", "i5": "95.88", "i6": "97.84",
    "i7": "97.32", "i8": "97.63", "i9": "100", "i10": "90.52", "i11": "96.70", "i12": "95.77",
    "i13": "98.56", "i14": "97.53", "i15": "97.63",
    "e1": "92.35", "e2": "93.32", "e3": "98.51", "e4": "91.37", "e5": "91.95", "e6": "93.43",
    "e7": "90.11", "e8": "92.34", "e9": "57.21",
}
# fmt: on


OTHER_NAME = "เทศบาลตำบลหนองบัวไอทีเอ"


def shipped(year: int):
    """The shipped catalogue of a year, read from its file (no database needed)."""
    from workflow.ita import store

    return store.parse((store.SHIPPED_DIR / f"{year}.yaml").read_bytes(), "test")


def figures_of(year: int, values: dict):
    """The app's figures for keyed published values, with the shipped catalogue of the year."""
    from workflow.ita import entry, scoring

    catalogue = shipped(year)
    parsed = {key: entry.parse_score(value) for key, value in values.items()}
    return scoring.figures(catalogue, entry.to_scores(catalogue, parsed))


def other_org_with_results(app) -> dict:
    """A second organisation with อบจ.ลพบุรี's results of 2567 and 2568 (seed 003) and a drafted
    analysis memo; its ids by the names the ITA URLs use, and its clerk's id."""
    from extensions import db
    from models import ChainStep, DocType, Organisation, OrgKind, Position, User
    from workflow.ita import memo, results

    with app.app_context():
        org = Organisation(name=OTHER_NAME, kind=OrgKind.MUNICIPALITY, doc_prefix="นบ 2")
        mayor = Position(organisation=org, title="นายกเทศมนตรีตำบลหนองบัวไอทีเอ")
        clerk = User(
            organisation=org,
            username="nb_ita_clerk",
            title="นาย",
            full_name="ผู้จัดทำ หนองบัวไอทีเอ",
            is_admin=True,
            password_hash="-",
        )
        db.session.add_all([org, mayor, clerk])
        db.session.flush()
        db.session.add(
            ChainStep(
                org_id=org.id,
                doc_type=DocType.ANALYSIS,
                step_no=1,
                position=mayor,
                heading="ความเห็นนายกเทศมนตรี",
                forward_decisions=["อนุมัติ"],
            )
        )
        results.save_scores(clerk, 2567, LOPBURI_2567)
        result = results.save_scores(clerk, 2568, LOPBURI_2568)
        doc = memo.draft_analysis(clerk, 2568, memo.Announcement())
        db.session.commit()
        return {
            "org_id": org.id,
            "result_id": result.id,
            "doc_id": doc.id,
            "fiscal_year": 2568,
            "user_id": clerk.id,
        }
