"""Forms of the ITA area: a year's scores (one field per figure of the year's catalogue), the CSV
import, drafting the analysis memo, and the analysis texts of a draft."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from forms.common import BEDateField, strip
from workflow.ita import entry
from workflow.ita.catalogue import Catalogue
from workflow.ita.memo import MAX_DIRECTIVE, MAX_TEXT


class ScoreField(StringField):
    """A score as typed (Thai digits accepted); the typed text stays for redisplay."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("filters", [strip])
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, [*(validators or []), _score], **kwargs)


def _score(form, field) -> None:
    try:
        entry.parse_score(field.data)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class ScoresForm(FlaskForm):
    """Fields are added per catalogue by `scores_form`."""

    announced_on = BEDateField(
        "วันที่ประกาศผล (ถ้าต่างจากวันที่ในแคตตาล็อก)",
        description="ปล่อยว่างได้ ใช้อ้างอิงในบันทึกวิเคราะห์",
    )


def scores_form(catalogue: Catalogue, **kwargs) -> ScoresForm:
    """A form with one ScoreField per figure of the year, named by `Entry.field_name`."""

    class YearScoresForm(ScoresForm):
        pass

    for item in entry.entries(catalogue):
        setattr(YearScoresForm, item.field_name, ScoreField(item.label))
    return YearScoresForm(**kwargs)


def form_values(form: ScoresForm, catalogue: Catalogue) -> dict[str, str]:
    """The typed scores by key, for `results.save_scores`."""
    return {item.key: form[item.field_name].data or "" for item in entry.entries(catalogue)}


class ImportForm(FlaskForm):
    file = FileField(
        "ไฟล์ CSV",
        validators=[FileRequired("กรุณาเลือกไฟล์ CSV")],
        description="ใช้แบบฟอร์ม CSV ที่ดาวน์โหลดจากหน้านี้ กรอกคอลัมน์ “คะแนน” แล้วบันทึกเป็น CSV",
    )


class AnalysisMemoForm(FlaskForm):
    criteria_on = BEDateField(
        "ประกาศหลักเกณฑ์การประเมินของสำนักงาน ป.ป.ช. ลงวันที่", description="อ้างถึงในเรื่องเดิม"
    )
    results_on = BEDateField(
        "ประกาศผลการประเมินของสำนักงาน ป.ป.ช. ลงวันที่",
        description="อ้างถึงในข้อเท็จจริงและระเบียบ/หนังสือสั่งการ",
    )
    directive = TextAreaField(
        "หนังสือสั่งการที่อ้างถึง (ถ้ามี)",
        filters=[strip],
        validators=[Length(max=MAX_DIRECTIVE, message=f"ยาวได้ไม่เกิน {MAX_DIRECTIVE} ตัวอักษร")],
        render_kw={
            "rows": 2,
            "placeholder": "เช่น ตามแนวทางหนังสือสั่งการของอำเภอสำโรงทาบ ที่ สร 0023.23/ว 132"
            " ลงวันที่ 31 มกราคม 2568",
        },
    )


def texts_form(indicators: list[dict], **kwargs) -> FlaskForm:
    """จุดเด่น / จุดที่ควรพัฒนา per indicator of an analysis snapshot."""

    class AnalysisTextsForm(FlaskForm):
        pass

    limit = Length(max=MAX_TEXT, message=f"ยาวได้ไม่เกิน {MAX_TEXT:,} ตัวอักษร")
    for row in indicators:
        n = row["number"]
        setattr(AnalysisTextsForm, f"strength_{n}", TextAreaField("จุดเด่น", [limit], [strip]))
        setattr(AnalysisTextsForm, f"weakness_{n}", TextAreaField("จุดที่ควรพัฒนา", [limit], [strip]))
    return AnalysisTextsForm(**kwargs)
