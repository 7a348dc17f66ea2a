from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from forms.common import strip
from workflow.passwords import MIN_PASSWORD


class LoginForm(FlaskForm):
    username = StringField(
        "ชื่อผู้ใช้", filters=[strip], validators=[DataRequired("กรุณากรอกชื่อผู้ใช้"), Length(max=80)]
    )
    password = PasswordField("รหัสผ่าน", validators=[DataRequired("กรุณากรอกรหัสผ่าน")])
    remember = BooleanField("จดจำการเข้าสู่ระบบในเครื่องนี้")


class ChangePasswordForm(FlaskForm):
    current = PasswordField("รหัสผ่านปัจจุบัน", validators=[DataRequired("กรุณากรอกรหัสผ่านปัจจุบัน")])
    new = PasswordField(
        "รหัสผ่านใหม่",
        validators=[DataRequired("กรุณากรอกรหัสผ่านใหม่")],
        description=f"อย่างน้อย {MIN_PASSWORD} ตัวอักษร ไม่ใช่รหัสที่ใช้กันแพร่หลาย และไม่ใช่ชื่อผู้ใช้",
    )
    confirm = PasswordField(
        "ยืนยันรหัสผ่านใหม่",
        validators=[DataRequired("กรุณายืนยันรหัสผ่านใหม่"), EqualTo("new", "รหัสผ่านทั้งสองช่องไม่ตรงกัน")],
    )
