from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from forms.common import strip


class LoginForm(FlaskForm):
    username = StringField(
        "ชื่อผู้ใช้", filters=[strip], validators=[DataRequired("กรุณากรอกชื่อผู้ใช้"), Length(max=80)]
    )
    password = PasswordField("รหัสผ่าน", validators=[DataRequired("กรุณากรอกรหัสผ่าน")])
    remember = BooleanField("จดจำการเข้าสู่ระบบในเครื่องนี้")
