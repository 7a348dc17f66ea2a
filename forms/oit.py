"""Forms of the OIT board: an item's owner and due date, and one evidence link."""

from flask_wtf import FlaskForm
from wtforms import StringField

from forms.common import BEDateField, strip
from forms.measures import ThaiSelectField


def _id_or_none(value):
    """ "" (the "- ไม่ระบุ -" choice) is None; anything else must be an id of the list."""
    if value in (None, "", "None"):
        return None
    return int(value)  # a ValueError here becomes the field's Thai error


class OwnerForm(FlaskForm):
    unit_id = ThaiSelectField("หน่วยงานที่รับผิดชอบ", coerce=_id_or_none, validate_choice=True)
    owner_id = ThaiSelectField("ผู้รับผิดชอบ", coerce=_id_or_none, validate_choice=True)
    due_date = BEDateField("กำหนดนำขึ้นเว็บไซต์")

    def fill_choices(self, units, people) -> "OwnerForm":
        self.unit_id.choices = [(None, "- ไม่ระบุ -")] + [(u.id, u.name) for u in units]
        self.owner_id.choices = [(None, "- ไม่ระบุ -")] + [(p.id, p.display_name) for p in people]
        return self


class OitEvidenceForm(FlaskForm):
    url = StringField(
        "URL หลักฐาน",
        filters=[strip],
        description="ลิงก์บนเว็บไซต์หน่วยงาน ขึ้นต้นด้วย https:// หรือ http://",
    )
    title = StringField("ชื่อหลักฐาน", filters=[strip])
