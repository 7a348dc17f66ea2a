"""Glue between views and services: run a service, turn its refusal into a form error or a flash."""

from collections.abc import Callable

from flask import flash
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from extensions import db
from models import Unit
from workflow.errors import AlreadyDecided, ValidationFailed, WorkflowError


def run_service(action: Callable, *args, form: FlaskForm | None = None, **kwargs):
    """Call a service and commit once. Returns its result, or None when it refused.

    A ValidationFailed goes beside its field when the form has that field, else to a flash;
    any refusal rolls back so nothing is saved half-way.
    """
    try:
        result = action(*args, **kwargs)
        db.session.commit()
        return result
    except ValidationFailed as error:
        db.session.rollback()
        field = getattr(form, error.field, None) if form is not None and error.field else None
        if field is not None:
            field.errors = [*field.errors, error.message]
        else:
            flash(error.message, "danger")
    except StaleDataError:
        db.session.rollback()
        flash(AlreadyDecided("มีผู้ดำเนินการกับเอกสารนี้ไปก่อนแล้ว กรุณาเปิดหน้าเอกสารใหม่").message, "danger")
    except WorkflowError:
        db.session.rollback()
        raise
    return None


def flash_in(section: str, message: str, category: str = "success") -> str:
    """Flash `message` inside `section` of the next page (views/filters.py `flashes`) and return
    that section's anchor to redirect to, so the reader lands on the message, on a phone too."""
    flash(message, f"{category}@{section}")
    return section


NONE_LABEL = "— ไม่ระบุ —"


def to_int(value) -> int | None:
    """A whole number from a form or query string; None for anything else."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def unit_choices() -> list[SelectChoice]:
    """The user's organisation's units in its order, after "none" (0)."""
    stmt = Unit.of_organisation(current_user.org_id)
    return [SelectChoice(0, NONE_LABEL)] + [
        SelectChoice(u.id, u.name) for u in db.session.scalars(stmt)
    ]
