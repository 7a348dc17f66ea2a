"""The demo organisation's OIT board of 2569 (อบต.ศรีสุข): every item with an owner unit and a
due date, evidence links on its website for O1-O22 (so the home page shows "OIT พร้อม 22/26"),
and O23-O26 still to do: O25 fills in when the analysis memo is approved and published."""

from datetime import date

from extensions import db
from models import OitEvidence, OitItem, Unit, User
from workflow.ita.store import get_catalogue

SITE = "https://www.srisuk.go.th/ita/2569"
READY_UP_TO = 22
OWNERS = {  # items -> the unit that keeps them
    "กองคลัง": {"O6", "O11", "O12"},
    "กองช่าง": {"O10"},
}


def create_demo_board(units: dict[str, Unit], people: dict[str, User]) -> None:
    catalogue = get_catalogue(2569)
    if catalogue is None:
        return
    drafter = people["nattanipa"]
    for question in catalogue.oit_items():
        unit = next((u for u, codes in OWNERS.items() if question.code in codes), "สำนักปลัด")
        item = OitItem(
            org_id=drafter.org_id,
            fiscal_year=2569,
            code=question.code,
            owner_unit_id=units[unit].id,
            owner_id=drafter.id,
            due_date=date(2027, 3, 31),
        )
        if int(question.code[1:]) <= READY_UP_TO:
            item.evidence.append(
                OitEvidence(
                    org_id=drafter.org_id,
                    url=f"{SITE}/{question.code.lower()}",
                    title=question.text[:300],
                    added_by_id=drafter.id,
                )
            )
        db.session.add(item)
    db.session.flush()
