"""Forms of the PDF area: image uploads for the memo, and checking a file on the public page."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from forms.common import strip


class ImageForm(FlaskForm):
    file = FileField("ไฟล์ภาพ (PNG หรือ JPEG ไม่เกิน 2 MB)", validators=[FileRequired("กรุณาเลือกไฟล์")])


class VerifyFileForm(FlaskForm):
    file = FileField("ไฟล์ PDF ที่ต้องการตรวจสอบ", validators=[FileRequired("กรุณาเลือกไฟล์")])


class CodeForm(FlaskForm):
    """Looking a code up changes nothing, so this GET form carries no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(
        "รหัสตรวจสอบ",
        filters=[strip],
        validators=[DataRequired("กรุณากรอกรหัสตรวจสอบ"), Length(max=40)],
        description="รหัส ๑๐ ตัวอักษรที่พิมพ์ไว้ท้ายเอกสาร เช่น ABCDE23456",
    )
