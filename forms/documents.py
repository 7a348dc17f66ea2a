"""Forms of the memo: the content, attachments, and the decisions on it."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from forms.common import BEDateField, ThaiStringField, strip
from models import DOC_TYPE_LABELS, DocType
from workflow.documents import LIMITS, MAX_COMMENT_CHARS, MAX_SECTION_CHARS, MAX_SECTIONS

REQUIRED = "กรุณากรอกข้อมูลช่องนี้"


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=f"ยาวได้ไม่เกิน {limit:,} ตัวอักษร")


class SectionForm(Form):
    heading = StringField("หัวข้อ", filters=[strip], validators=[_too_long(LIMITS["heading"])])
    body = TextAreaField("เนื้อหา", filters=[strip], validators=[_too_long(MAX_SECTION_CHARS)])


class MemoForm(FlaskForm):
    doc_type = SelectField(
        "ประเภทเอกสาร",
        choices=[SelectChoice(t.value, DOC_TYPE_LABELS[t]) for t in DocType],
        validators=[InputRequired()],
        invalid_choice_message="กรุณาเลือกประเภทเอกสารจากรายการ",
    )
    unit_id = SelectField(
        "หน่วยงานเจ้าของเรื่อง",
        coerce=int,
        validators=[Optional()],
        invalid_choice_message="กรุณาเลือกหน่วยงานจากรายการ",
        invalid_value_message="กรุณาเลือกหน่วยงานจากรายการ",
    )
    issuing_unit = ThaiStringField(
        "ส่วนราชการ",
        validators=[DataRequired(REQUIRED), _too_long(LIMITS["issuing_unit"])],
        description="เช่น สำนักปลัดองค์การบริหารส่วนตำบลศรีสุข โทร. 044-569109",
    )
    doc_date = BEDateField("วันที่", validators=[InputRequired("กรุณาระบุวันที่")])
    subject = StringField(
        "เรื่อง", filters=[strip], validators=[DataRequired(REQUIRED), _too_long(LIMITS["subject"])]
    )
    addressee = StringField(
        "เรียน",
        filters=[strip],
        validators=[DataRequired(REQUIRED), _too_long(LIMITS["addressee"])],
    )
    # validate_sections enforces the limit; max_entries only bounds what a crafted post can make
    # us build (WTForms drops rows beyond it silently), with room for blank rows the page adds.
    sections = FieldList(FormField(SectionForm), min_entries=1, max_entries=3 * MAX_SECTIONS)
    closing = StringField("ข้อความปิดท้าย", filters=[strip], validators=[_too_long(LIMITS["closing"])])

    def validate_sections(self, field: FieldList) -> None:
        filled = [s for s in field.entries if s.heading.data or s.body.data]
        if len(filled) > MAX_SECTIONS:
            raise ValidationError(f"มีหัวข้อได้ไม่เกิน {MAX_SECTIONS} หัวข้อ")


class AttachmentForm(FlaskForm):
    file = FileField("ไฟล์แนบ", validators=[FileRequired("กรุณาเลือกไฟล์")])


class StepForm(FlaskForm):
    """Shared hidden fields: the step the user saw, so a stale page cannot sign a later step."""

    revision = HiddenField()
    step_no = HiddenField()


class DecisionForm(StepForm):
    decision = RadioField(
        "ความเห็น",
        validators=[InputRequired("กรุณาเลือกความเห็น")],
        invalid_choice_message="กรุณาเลือกความเห็นจากรายการของขั้นนี้",
    )
    comment = TextAreaField(
        "ข้อความความเห็น", filters=[strip], validators=[_too_long(MAX_COMMENT_CHARS)]
    )

    def offer(self, step) -> None:
        """The step's decisions as choices; where it may reject, the reason is asked for."""
        self.decision.choices = [(d, d) for d in step.decisions] if step else []
        if step and step.reject_decisions:
            self.comment.label.text = "ข้อความความเห็น (จำเป็นเมื่อไม่อนุมัติ: ระบุเหตุผล)"


class ReturnForm(StepForm):
    reason = TextAreaField(
        "เหตุผลที่ส่งคืนแก้ไข",
        filters=[strip],
        validators=[DataRequired("กรุณาระบุเหตุผลที่ส่งคืนแก้ไข"), _too_long(MAX_COMMENT_CHARS)],
    )
    resume_here = BooleanField("เมื่อแก้ไขแล้ว ให้ส่งกลับมาที่ขั้นนี้โดยตรง (ไม่เริ่มจากขั้นแรก)")


class CloseForm(FlaskForm):
    """Ending a returned memo the drafter will not send again: the reason is kept in the log."""

    reason = TextAreaField(
        "เหตุผลที่ยุติเรื่อง",
        filters=[strip],
        validators=[DataRequired("กรุณาระบุเหตุผลที่ยุติเรื่อง"), _too_long(MAX_COMMENT_CHARS)],
        description="เช่น ไม่มีความจำเป็นต้องดำเนินการแล้ว หรือได้จัดทำเรื่องใหม่แทน"
        " เหตุผลนี้จะบันทึกไว้ในลำดับการดำเนินการ",
    )
