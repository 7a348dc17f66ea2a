"""The admin blueprint and the small helpers its pages share."""

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from extensions import db
from models import Position, User
from views.common import NONE_LABEL

bp = Blueprint("admin", __name__, url_prefix="/admin")


def form_page(template: str, form, **context):
    """Render a form page; after a POST it means nothing was saved, hence 400."""
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


def position_choices(blank: str = NONE_LABEL) -> list[SelectChoice]:
    stmt = (
        sa.select(Position).where(Position.org_id == current_user.org_id).order_by(Position.title)
    )
    return [SelectChoice(0, blank)] + [
        SelectChoice(p.id, p.title) for p in db.session.scalars(stmt)
    ]


def people_choices() -> list[SelectChoice]:
    stmt = (
        sa.select(User)
        .where(User.org_id == current_user.org_id)
        .order_by(User.active.desc(), User.full_name)
    )
    people = db.session.scalars(stmt)
    return [SelectChoice(0, "— เลือกบุคลากร —")] + [
        SelectChoice(u.id, _person_label(u)) for u in people
    ]


def _person_label(user: User) -> str:
    label = f"{user.display_name} ({user.position.title if user.position else 'ไม่ระบุตำแหน่ง'})"
    return label if user.active else f"{label} — ปิดการใช้งาน"


def id_or_none(value: int | None) -> int | None:
    return value or None
