"""How each person wants to hear of memo events, per channel."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from forms.common import ThaiIntegerField, strip
from models.outbox import CHANNEL_LABELS, MODE_LABELS
from notifications.outbox.preferences import CHOICES

NOT_A_CHOICE = "กรุณาเลือกจากรายการ"


def _choices(channel: str) -> list[SelectChoice]:
    return [SelectChoice(mode, MODE_LABELS[mode]) for mode in CHOICES[channel]]


class PreferencesForm(FlaskForm):
    app = SelectField(
        CHANNEL_LABELS["app"], choices=_choices("app"), invalid_choice_message=NOT_A_CHOICE
    )
    email = SelectField(
        CHANNEL_LABELS["email"], choices=_choices("email"), invalid_choice_message=NOT_A_CHOICE
    )
    line = SelectField(
        CHANNEL_LABELS["line"], choices=_choices("line"), invalid_choice_message=NOT_A_CHOICE
    )
    submit = SubmitField("บันทึก")

    def chosen(self) -> dict[str, str]:
        return {channel: getattr(self, channel).data for channel in CHOICES}


class LineChannelForm(FlaskForm):
    """The organisation's LINE channel; the token and secret fields are never filled back."""

    token = PasswordField(
        "Channel access token (long-lived)",
        filters=[strip],
        description="จาก LINE Developers Console แท็บ Messaging API เว้นว่างไว้เพื่อใช้ค่าเดิม",
    )
    secret = PasswordField(
        "Channel secret",
        filters=[strip],
        description="จากแท็บ Basic settings ใช้ตรวจว่าข้อความเข้ามาจาก LINE จริง เว้นว่างไว้เพื่อใช้ค่าเดิม",
    )
    quota = ThaiIntegerField(
        "ข้อความต่อเดือนตามแพ็กเกจ",
        default=300,
        validators=[InputRequired("กรุณาระบุจำนวน"), NumberRange(min=0, message="ต้องไม่ติดลบ")],
        description="แพ็กเกจฟรีส่งได้ ๓๐๐ ข้อความต่อเดือน (นับต่อผู้รับ) ใกล้ครบแล้วระบบจะส่งทางอีเมลแทน",
    )
