"""The search box; the filters are the lists' (forms/lists.py). A GET form, without CSRF."""

from wtforms import SearchField
from wtforms.validators import Length

from forms.common import strip
from forms.lists import FilterForm

MAX_QUERY = 200


class SearchForm(FilterForm):
    q = SearchField(
        "คำค้น",
        filters=[strip],
        validators=[Length(max=MAX_QUERY, message=f"คำค้นยาวได้ไม่เกิน {MAX_QUERY} ตัวอักษร")],
        description="ค้นจากเรื่อง เนื้อหา ความเห็น ชื่อมาตรการและขั้นตอน ภาษาไทยหรืออังกฤษ",
    )
