"""Forms of the organisation admin area: settings, units, positions, people, chains, acting, numbers,
the e-seal certificate."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)

from forms.common import BEDateField, ThaiIntegerField, ThaiStringField, strip
from models import ActingKind, OrgKind
from workflow.passwords import MIN_PASSWORD

REQUIRED = "กรุณากรอกข้อมูลช่องนี้"
NOT_A_CHOICE = "กรุณาเลือกจากรายการ"
PERSON_TITLES = ("นาย", "นาง", "นางสาว", "ว่าที่ร้อยตรี", "ดร.")


def _select(label: str, **kwargs) -> SelectField:
    """A drop-down whose choices the page fills; anything else sent is refused in Thai."""
    return SelectField(label, invalid_choice_message=NOT_A_CHOICE, **kwargs)


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=f"ยาวได้ไม่เกิน {limit:,} ตัวอักษร")


def _required_text(label: str, limit: int, **kwargs) -> StringField:
    return StringField(
        label, filters=[strip], validators=[DataRequired(REQUIRED), _too_long(limit)], **kwargs
    )


def _optional_text(label: str, limit: int, **kwargs) -> StringField:
    return StringField(label, filters=[strip], validators=[_too_long(limit)], **kwargs)


class LinesField(TextAreaField):
    """A text box read as a list: one item per line, blank lines dropped."""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = [line.strip() for line in valuelist[0].splitlines() if line.strip()]

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "\n".join(self.data or [])


class OrganisationForm(FlaskForm):
    name = _required_text("ชื่อองค์กร", 200, description="ชื่อเต็ม เช่น องค์การบริหารส่วนตำบลศรีสุข")
    kind = _select("ประเภท", choices=[SelectChoice(k.value, k.label) for k in OrgKind])
    district = _optional_text("อำเภอ", 100)
    province = _optional_text("จังหวัด", 100)
    phone = ThaiStringField("โทรศัพท์", validators=[_too_long(50)])
    doc_prefix = ThaiStringField(
        "รหัสหน่วยงานหน้าเลขที่หนังสือ",
        validators=[_too_long(50)],
        description="เช่น สร 83201 (พิมพ์เลขไทยได้) ใช้กับเอกสารที่เสนอหลังจากนี้ เอกสารเดิมคงเลขเดิม",
    )
    thai_digits = BooleanField("แสดงตัวเลขในเอกสารเป็นเลขไทย (๐–๙)")
    print_no_budget = BooleanField(
        "มาตรการที่ไม่ได้ระบุงบประมาณ พิมพ์ว่า “ไม่ใช้งบประมาณ”",
        description="ไม่เลือก = เว้นช่องงบประมาณว่างไว้ในเอกสารและรายงาน",
    )
    allow_self_acting = BooleanField(
        "ให้ผู้ดูแลระบบบันทึกคำสั่งแต่งตั้งตนเองเป็นผู้รักษาราชการแทนได้",
        description="ปิดไว้เป็นค่าเริ่มต้น ถ้าเปิด รายการที่แต่งตั้งตนเองจะถูกระบุไว้ในทะเบียนและประวัติการแก้ไข",
    )
    forbid_drafter_signing = BooleanField(
        "ห้ามผู้จัดทำลงนามพิจารณาบันทึกของตนเอง (แม้ดำรงหรือรักษาราชการแทนตำแหน่งในลำดับการเสนอ)",
        description="ถ้าไม่ห้าม การลงนามเช่นนั้นจะแสดงไว้ในหน้าเอกสารและบันทึกการพิจารณา",
    )


class UnitForm(FlaskForm):
    name = _required_text("ชื่อหน่วยงาน", 200, description="เช่น สำนักปลัด กองคลัง กองช่าง")
    phone = ThaiStringField(
        "โทรศัพท์", validators=[_too_long(50)], description="เว้นว่างเพื่อใช้หมายเลขขององค์กร"
    )


class PositionForm(FlaskForm):
    title = _required_text("ชื่อตำแหน่ง", 200, description="เช่น หัวหน้าสำนักปลัด รองปลัดองค์การบริหารส่วนตำบล")


class PersonForm(FlaskForm):
    """Edit a person; leaving the password empty keeps the current one."""

    title = _optional_text(
        "คำนำหน้าชื่อ (ถ้ามี)", 50, description="พิมพ์ตามที่ต้องการให้ปรากฏ เช่น นาย นาง นางสาว ว่าที่ร้อยตรี"
    )
    full_name = _required_text("ชื่อ-นามสกุล", 200)
    username = StringField(
        "ชื่อผู้ใช้ (สำหรับเข้าสู่ระบบ)",
        filters=[strip],
        validators=[
            DataRequired(REQUIRED),
            _too_long(80),
            Regexp(r"^[A-Za-z0-9._-]+$", message="ใช้ได้เฉพาะอักษรภาษาอังกฤษ ตัวเลข และ . _ -"),
        ],
    )
    email = StringField(
        "อีเมล",
        filters=[strip],
        validators=[Optional(), _too_long(254), Email("รูปแบบอีเมลไม่ถูกต้อง")],
    )
    password = PasswordField(
        "รหัสผ่านใหม่",
        validators=[Optional(), Length(min=MIN_PASSWORD, message=f"อย่างน้อย {MIN_PASSWORD} ตัวอักษร")],
        description="เว้นว่างถ้าไม่ต้องการเปลี่ยนรหัสผ่าน",
    )
    confirm = PasswordField("ยืนยันรหัสผ่าน", validators=[EqualTo("password", "รหัสผ่านทั้งสองช่องไม่ตรงกัน")])
    position_id = _select("ตำแหน่ง", coerce=int)
    unit_id = _select("หน่วยงาน", coerce=int)
    is_admin = BooleanField("เป็นผู้ดูแลระบบขององค์กร")
    active = BooleanField("เปิดใช้งานบัญชี (เข้าสู่ระบบได้)", default=True)


class NewPersonForm(PersonForm):
    password = PasswordField(
        "รหัสผ่าน",
        validators=[
            DataRequired("กรุณากำหนดรหัสผ่าน"),
            Length(min=MIN_PASSWORD, message=f"อย่างน้อย {MIN_PASSWORD} ตัวอักษร"),
        ],
        description=f"อย่างน้อย {MIN_PASSWORD} ตัวอักษร",
    )


class ChainStepForm(FlaskForm):
    position_id = _select("ตำแหน่งผู้ลงนาม", coerce=int)
    heading = _required_text("หัวข้อความเห็นบนบันทึก", 300, description="เช่น ความเห็นหัวหน้าสำนักปลัด")
    forward_decisions = LinesField(
        "ความเห็นที่เสนอต่อ/อนุมัติ",
        description="บรรทัดละหนึ่งรายการ เช่น เห็นควรเสนอเพื่อโปรดพิจารณา (ขั้นสุดท้าย: อนุมัติ, ทราบ)",
    )
    reject_decisions = LinesField(
        "ความเห็นที่ไม่อนุมัติ (เว้นว่างถ้าขั้นนี้ไม่อนุมัติไม่ได้)",
        description="บรรทัดละหนึ่งรายการ เช่น ไม่อนุมัติ",
    )
    phrases = LinesField(
        "ข้อความที่ใช้บ่อย", description="บรรทัดละหนึ่งข้อความ ผู้ลงนามกดเพื่อเติมในช่องความเห็นได้"
    )


def _chosen(message: str):
    """The placeholder '— เลือก… —' (value 0) is not a choice: say so beside the field."""

    def check(form, field) -> None:
        if not field.data:
            raise StopValidation(message)

    return check


class ActingForm(FlaskForm):
    user_id = _select(
        "ผู้รักษาราชการแทน/ปฏิบัติราชการแทน",
        coerce=int,
        validators=[_chosen("กรุณาเลือกบุคลากร")],
    )
    position_id = _select("แทนตำแหน่ง", coerce=int, validators=[_chosen("กรุณาเลือกตำแหน่ง")])
    kind = RadioField(
        "ประเภท",
        choices=[SelectChoice(k.value, k.label) for k in ActingKind],
        default=ActingKind.ACTING.value,
        validators=[InputRequired("กรุณาเลือกประเภท")],
        invalid_choice_message=NOT_A_CHOICE,
    )
    start_date = BEDateField("ตั้งแต่วันที่", validators=[InputRequired("กรุณาระบุวันที่เริ่ม")])
    end_date = BEDateField(
        "ถึงวันที่",
        validators=[Optional()],
        description="ปี พ.ศ. เช่น 31/12/2568 เว้นว่างถ้าจนกว่าจะมีคำสั่งเปลี่ยนแปลง",
    )
    order_ref = _optional_text(
        "อ้างอิงคำสั่ง", 300, description="เช่น คำสั่งองค์การบริหารส่วนตำบลศรีสุข ที่ 245/2568"
    )


class EndActingForm(FlaskForm):
    end_date = BEDateField("สิ้นสุดวันที่", validators=[InputRequired("กรุณาระบุวันที่สิ้นสุด")])


class NextNumberForm(FlaskForm):
    next_seq = ThaiIntegerField(
        "เลขที่ถัดไป",
        validators=[
            InputRequired("กรุณาระบุเลขที่"),
            NumberRange(min=1, message="เลขที่ต้องตั้งแต่ 1 ขึ้นไป"),
        ],
        description="เลขที่เอกสารฉบับต่อไปจะได้รับ (พิมพ์เลขไทยได้)",
    )


class RenumberForm(FlaskForm):
    number_seq = ThaiIntegerField(
        "เลขที่ใหม่",
        validators=[
            InputRequired("กรุณาระบุเลขที่"),
            NumberRange(min=1, message="เลขที่ต้องตั้งแต่ 1 ขึ้นไป"),
        ],
        description="เฉพาะเลขลำดับ (ไม่ต้องพิมพ์รหัสหน่วยงานหน้าเลข) พิมพ์เลขไทยได้",
    )


class SealForm(FlaskForm):
    """The organisation's e-seal certificate; the password is never filled back nor kept."""

    file = FileField(
        "ไฟล์ใบรับรองตราอิเล็กทรอนิกส์ (.p12 หรือ .pfx)",
        validators=[FileRequired("กรุณาเลือกไฟล์ใบรับรอง")],
        description="ไฟล์ใบรับรองขององค์กรพร้อมกุญแจส่วนตัว ที่ได้จากผู้ให้บริการออกใบรับรอง",
    )
    password = PasswordField(
        "รหัสผ่านของไฟล์ใบรับรอง",
        description="ใช้เปิดไฟล์ครั้งเดียวตอนบันทึก ระบบไม่เก็บรหัสผ่านนี้",
    )
