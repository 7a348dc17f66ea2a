"""The filter form of the lists (and of the search): type, state, fiscal year, unit. A GET form:
it changes nothing, so it carries no CSRF token."""

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

import thai
from models import DOC_TYPE_LABELS, MEASURE_STATUS_LABELS, DocState, Unit
from workflow.lists.filters import KINDS, Filters
from workflow.measures.schedule import OVERDUE

ALL = ""


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    kind = SelectField("ค้นหาใน", choices=[SelectChoice(ALL, "ทุกประเภท")])
    doc_type = SelectField("ประเภทเอกสาร", choices=[SelectChoice(ALL, "ทุกประเภท")])
    state = SelectField("สถานะ", choices=[SelectChoice(ALL, "ทุกสถานะ")])
    fiscal_year = SelectField("ปีงบประมาณ", choices=[SelectChoice(ALL, "ทุกปี")])
    unit = SelectField("หน่วยงาน", choices=[SelectChoice(ALL, "ทุกหน่วยงาน")])

    def fill(
        self,
        units: list[Unit],
        years: list[int],
        thai_digits: bool,
        *,
        documents: bool,
        measures: bool,
    ) -> None:
        """The choices of the organisation; a list shows the states of what it lists."""
        self.kind.choices = [SelectChoice(ALL, "ทุกประเภท")] + [
            SelectChoice(k, label) for k, label in KINDS.items()
        ]
        self.doc_type.choices = [SelectChoice(ALL, "ทุกประเภท")] + [
            SelectChoice(t.value, label) for t, label in DOC_TYPE_LABELS.items()
        ]
        states = [SelectChoice(ALL, "ทุกสถานะ")]
        if documents:
            states += [SelectChoice(s.value, s.label) for s in DocState]
        if measures:
            states += [
                SelectChoice(s.value, f"มาตรการ: {label}" if documents else label)
                for s, label in MEASURE_STATUS_LABELS.items()
            ]
            states.append(SelectChoice(OVERDUE, "มาตรการ: เกินกำหนด" if documents else "เกินกำหนด"))
        self.state.choices = states
        self.fiscal_year.choices = [SelectChoice(ALL, "ทุกปี")] + [
            SelectChoice(str(y), f"พ.ศ. {thai.digits(y, thai_digits)}") for y in years
        ]
        self.unit.choices = [SelectChoice(ALL, "ทุกหน่วยงาน")] + [
            SelectChoice(str(u.id), u.name) for u in units
        ]

    def filters(self, kind: str = "") -> Filters:
        """The filters chosen; a value not among the choices is ignored."""
        return Filters(
            kind=kind or _chosen(self.kind),
            doc_type=_chosen(self.doc_type),
            state=_chosen(self.state),
            fiscal_year=_number(_chosen(self.fiscal_year)),
            unit_id=_number(_chosen(self.unit)),
        )


def _chosen(field: SelectField) -> str:
    value = field.data or ALL
    return value if any(c.value == value for c in field.iter_choices()) else ALL


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() else None
