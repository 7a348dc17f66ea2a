"""Forms of the reports area: a round's dates and the organisation's holidays."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from forms.common import BEDateField, strip
from workflow.rounds import MAX_HOLIDAY_NAME, round_errors


class RoundForm(FlaskForm):
    period_start = BEDateField("วันเริ่มต้นรอบ", validators=[InputRequired("กรุณาระบุวันที่")])
    period_end = BEDateField("วันสิ้นสุดรอบ", validators=[InputRequired("กรุณาระบุวันที่")])
    due_date = BEDateField("วันครบกำหนดส่งรายงาน", validators=[InputRequired("กรุณาระบุวันที่")])

    def __init__(self, *args, fiscal_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year

    def validate(self, extra_validators=None) -> bool:
        """The dates' own checks first; then, when all three are dates, the rules between them."""
        if not super().validate(extra_validators):
            return False
        errors = round_errors(
            self.fiscal_year, self.period_start.data, self.period_end.data, self.due_date.data
        )
        for name, message in errors.items():
            self[name].errors = [*self[name].errors, message]
        return not errors


class HolidayForm(FlaskForm):
    day = BEDateField("วันที่", validators=[InputRequired("กรุณาระบุวันที่")])
    name = StringField(
        "ชื่อวันหยุด",
        filters=[strip],
        validators=[
            DataRequired("กรุณาระบุชื่อวันหยุด"),
            Length(max=MAX_HOLIDAY_NAME, message=f"ยาวได้ไม่เกิน {MAX_HOLIDAY_NAME} ตัวอักษร"),
        ],
        render_kw={"placeholder": "เช่น วันสงกรานต์"},
    )


class WorkThroughForm(FlaskForm):
    """The admin's "we work on this national holiday" button: the day as an ISO date."""

    day = HiddenField(validators=[InputRequired("ไม่พบวันที่")])

    def validate_day(self, field) -> None:
        try:
            field.date = date.fromisoformat(field.data)
        except (TypeError, ValueError):
            raise ValidationError("ไม่พบวันที่") from None
