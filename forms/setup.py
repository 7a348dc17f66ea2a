"""The first-run page's one setting: how long a memo may wait at a step."""

from flask_wtf import FlaskForm
from wtforms.validators import InputRequired

from forms.common import ThaiIntegerField


class TargetForm(FlaskForm):
    days = ThaiIntegerField(
        "จำนวนวันทำการที่เอกสารรอได้ในแต่ละขั้น",
        validators=[InputRequired("กรุณาระบุจำนวนวันทำการ")],
        description="เกินจากนี้ หน้าหลักแสดงเอกสารที่รอพิจารณาเป็นสีแดง (ไม่นับเสาร์ อาทิตย์ และวันหยุดขององค์กร)",
    )
