"""Glue between views and services: run a service, turn its refusal into a form error or a flash."""

from collections.abc import Callable

from flask import flash
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from extensions import db
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
