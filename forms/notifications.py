"""How each person wants to hear of memo events, per channel."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from models.outbox import CHANNEL_LABELS, MODE_LABELS
from notifications.outbox.preferences import CHOICES


def _choices(channel: str) -> list[SelectChoice]:
    return [SelectChoice(mode, MODE_LABELS[mode]) for mode in CHOICES[channel]]


class PreferencesForm(FlaskForm):
    app = SelectField(CHANNEL_LABELS["app"], choices=_choices("app"))
    email = SelectField(CHANNEL_LABELS["email"], choices=_choices("email"))
    line = SelectField(CHANNEL_LABELS["line"], choices=_choices("line"))
    submit = SubmitField("บันทึก")

    def chosen(self) -> dict[str, str]:
        return {channel: getattr(self, channel).data for channel in CHOICES}
