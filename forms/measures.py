"""Forms of the measures area: a measure, its one progress update, and the plan."""

import re
from datetime import date
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

import thai
from forms.common import BEDateField, strip
from models import MeasureStatus, Rhythm
from workflow.calendar import add_months
from workflow.measures.fields import INDICATORS

CHOOSE = "กรุณาเลือกจากรายการ"
REQUIRED = "กรุณากรอกข้อมูลช่องนี้"
_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


class ThaiSelectField(SelectField):
    """A select whose refusals speak Thai."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(CHOOSE) from None

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(CHOOSE) from None


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; the services check the choices against the organisation."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("validate_choice", False)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = []
            raise ValueError(CHOOSE) from None


def month_value(value) -> date | None:
    """'2025-10' or '2025-10-01' (an option's value) as the first of that month; '' as none."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.replace(day=1)
    year, month = str(value).split("-")[:2]
    return date(int(year), int(month), 1)


class MonthField(ThaiSelectField):
    """A month of the list, or none (the blank first option: the plan gives no period)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", month_value)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and not valuelist[0].strip():
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        if self.data is not None:
            super().pre_validate(form)


class BahtField(StringField):
    """An amount in baht typed with Thai or Arabic digits, commas and an optional 'บาท'."""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist:
            return
        text = thai.number_text(valuelist[0].replace("บาท", ""))
        if not text:
            return
        if not _NUMBER.fullmatch(text):
            raise ValueError("กรุณากรอกงบประมาณเป็นตัวเลข เช่น 12,500.50")
        self.data = Decimal(text)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,.2f}" if self.data is not None else ""


def month_choices(fiscal_year: int, *keep: date | None) -> list[SelectChoice]:
    """The months of the plan's fiscal year and the next one, plus any month already chosen."""
    start, _ = thai.fiscal_year_bounds(fiscal_year)
    months = {add_months(start, i) for i in range(24)} | {m.replace(day=1) for m in keep if m}
    return [SelectChoice("", "— ไม่ระบุ —")] + [
        SelectChoice(m, f"{thai.MONTHS[m.month - 1]} {thai.be_year(m.year)}")
        for m in sorted(months)
    ]


class MeasureForm(FlaskForm):
    indicators = MultiCheckboxField(
        "ตัวชี้วัด", choices=[SelectChoice(n, f"{n}. {name}") for n, name in INDICATORS.items()]
    )
    question_codes = StringField(
        "รหัสข้อคำถาม", filters=[strip], description="เช่น i10, e7, O20 คั่นด้วยจุลภาคหรือเว้นวรรค"
    )
    parent_title = StringField(
        "หัวข้อหลัก (ถ้ามี)",
        filters=[strip],
        description="มาตรการที่ระบุหัวข้อหลักเดียวกันจะมีเลขข้อย่อยใต้หัวข้อนั้น เช่น ๒. … ตามด้วย ๒.๑ ๒.๒",
    )
    title = StringField(
        "มาตรการ/โครงการ/กิจกรรม", filters=[strip], validators=[DataRequired(REQUIRED)]
    )
    analysis = TextAreaField("ผลการวิเคราะห์", filters=[strip])
    steps = TextAreaField(
        "ขั้นตอน/วิธีการดำเนินการ",
        filters=[strip],
        description="หนึ่งขั้นตอนต่อหนึ่งบรรทัด ระบบใส่เลขลำดับให้เอง",
    )
    start_month = MonthField(
        "เดือนเริ่มต้น", description="เว้นว่างทั้งสองช่องได้ หากแผนไม่ได้ระบุระยะเวลา (ถือว่าตลอดปีงบประมาณ)"
    )
    end_month = MonthField("เดือนสิ้นสุด", description="เลยปีงบประมาณของแผนได้ ระบบจะแจ้งเตือนไว้ แต่ไม่ห้าม")
    budget = BahtField("งบประมาณ (บาท)", description="พิมพ์เลขไทยหรือมีจุลภาคได้ เช่น ๑๒,๕๐๐.๕๐")
    no_budget = BooleanField("ไม่ใช้งบประมาณ")
    unit_ids = MultiCheckboxField(
        "หน่วยงานที่รับผิดชอบ",
        validators=[InputRequired("กรุณาเลือกหน่วยงานที่รับผิดชอบอย่างน้อย 1 หน่วยงาน")],
    )
    person_ids = MultiCheckboxField("ผู้รับผิดชอบ (รายบุคคล)")
    follow_up = TextAreaField(
        "การกำกับติดตาม/การรายงานผล",
        filters=[strip],
        description="เช่น รายงานผู้บริหารทุกไตรมาส",
    )
    rhythm = ThaiSelectField(
        "ความถี่ในการรายงานความก้าวหน้า",
        choices=[
            SelectChoice("", "— ไม่กำหนด (ไม่มีกำหนดรายงานเป็นรอบ) —"),
            *[SelectChoice(r.value, r.label) for r in Rhythm],
        ],
    )


STATUS_CHOICES = [SelectChoice(s.value, s.label) for s in MeasureStatus]


class ProgressForm(FlaskForm):
    """The one update of a measure: what was done, an evidence URL, a new status; any of them
    (the service asks for at least one)."""

    entry_date = BEDateField("วันที่ดำเนินการ", validators=[InputRequired("กรุณาระบุวันที่ดำเนินการ")])
    text = TextAreaField("สิ่งที่ได้ดำเนินการ", filters=[strip])
    url = StringField(
        "URL หลักฐาน",
        filters=[strip],
        description="ลิงก์บนเว็บไซต์หน่วยงาน เช่น https://www.example.go.th/ita (พิมพ์ www. ได้ ระบบเติม https:// ให้)",
    )
    title = StringField("ชื่อหลักฐาน", filters=[strip])
    status = ThaiSelectField(
        "เปลี่ยนสถานะ",
        choices=[SelectChoice("", "— คงสถานะเดิม —"), *STATUS_CHOICES],
        default="",
        description="สถานะใหม่มีผลตั้งแต่วันที่ดำเนินการข้างต้น ย้อนหลังได้ถึงรอบที่ยังไม่ได้เสนอรายงาน",
    )
    cancel_reason = TextAreaField("เหตุผลที่ยกเลิก (เมื่อเลือก “ยกเลิก”)", filters=[strip])

    def keep_status_of(self, current: MeasureStatus) -> "ProgressForm":
        """Name the measure's current status on the "keep" choice, the one a form starts on, so
        saving a note without touching the status never changes it."""
        keep = SelectChoice("", f"— คงสถานะเดิม ({current.label}) —")
        self.status.choices = [keep, *STATUS_CHOICES]
        return self


class CoordinatorForm(FlaskForm):
    coordinator_id = ThaiSelectField("ผู้ประสานงานของแผน", coerce=int)


class CopyForm(FlaskForm):
    source_plan_id = ThaiSelectField("คัดลอกมาตรการจากแผนปี", coerce=int)


class MoveForm(FlaskForm):
    direction = HiddenField()
