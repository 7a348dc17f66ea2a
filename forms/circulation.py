"""Forms of what follows an approval: cancelling or superseding a memo, and sending it round."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from forms.common import strip
from forms.measures import MultiCheckboxField
from models import RevocationKind
from workflow.revocations import MAX_REASON_CHARS


class RevocationForm(FlaskForm):
    kind = RadioField(
        "ต้องการ",
        choices=[
            SelectChoice(RevocationKind.CANCEL.value, "ยกเลิกบันทึกนี้ (ไม่มีฉบับใหม่)"),
            SelectChoice(RevocationKind.SUPERSEDE.value, "ออกบันทึกฉบับใหม่แทนที่บันทึกนี้"),
        ],
        validators=[InputRequired("กรุณาเลือกว่าจะยกเลิกหรือออกบันทึกฉบับใหม่แทนที่")],
    )
    reason = TextAreaField(
        "เหตุผล",
        filters=[strip],
        validators=[
            DataRequired("กรุณาระบุเหตุผล"),
            Length(max=MAX_REASON_CHARS, message=f"ยาวได้ไม่เกิน {MAX_REASON_CHARS:,} ตัวอักษร"),
        ],
        description="ระบบจะจัดทำร่างบันทึกขอยกเลิกหรือฉบับใหม่ให้ แล้วเสนอผ่านสายการลงนามตามปกติ",
    )


class CirculationForm(FlaskForm):
    unit_ids = MultiCheckboxField("หน่วยงาน (ทุกคนในหน่วยงาน)")
    person_ids = MultiCheckboxField("รายบุคคล")
