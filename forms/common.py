"""Fields every area uses: B.E. dates and numbers typed with Thai digits, and the empty POST form."""

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, StringField
from wtforms.widgets import TextInput

import thai


def strip(value):
    return value.strip() if isinstance(value, str) else value


class BEDateField(Field):
    """A date typed the Thai way ('27/10/2568', Thai digits, Thai month names); shown in B.E."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"placeholder": "วว/ดด/ปปปป (พ.ศ.)", "inputmode": "numeric"})
        kwargs.setdefault("description", "ปี พ.ศ. เช่น 27/10/2568")
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return thai.format_input_date(self.data) if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = thai.parse_date(valuelist[0])
        except ValueError as error:
            self.data = None
            raise ValueError(str(error)) from None


MAX_INTEGER = 2**31 - 1  # the largest value an INTEGER column holds on PostgreSQL


class ThaiIntegerField(IntegerField):
    """An integer that may be typed with Thai digits and thousands separators, no larger than
    a database integer holds."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [thai.number_text(v) for v in valuelist]
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("กรุณากรอกเป็นตัวเลข") from None
        if self.data is not None and abs(self.data) > MAX_INTEGER:
            self.data = None
            raise ValueError(f"ตัวเลขมากเกินไป ใส่ได้ไม่เกิน {MAX_INTEGER:,}")


class ThaiStringField(StringField):
    """Text whose digits are stored in Arabic form (the app stores Arabic, shows per setting)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data:
            self.data = thai.to_arabic_digits(self.data.strip())


class EmptyForm(FlaskForm):
    """A button that changes state: POST with CSRF and nothing else."""
