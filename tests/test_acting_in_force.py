"""'An acting order in force on a date' is one definition, read the same in Python and in SQL.

Demo register: thanyarat acts as หัวหน้าสำนักปลัด from 1 October 2025, open-ended.
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from extensions import db
from models import ActingAssignment

START = date(2025, 10, 1)
DAY = timedelta(days=1)


@pytest.mark.parametrize("end", [None, START, START + 30 * DAY], ids=["open", "one-day", "month"])
def test_python_and_sql_agree_on_every_boundary_day(app, srisuk, end):
    with app.app_context():
        row = db.session.scalars(sa.select(ActingAssignment)).one()
        row.end_date = end
        db.session.flush()
        days = [START - DAY, START, START + DAY, *([end - DAY, end, end + DAY] if end else [])]
        for day in days:
            in_sql = db.session.scalar(
                sa.select(sa.func.count()).where(ActingAssignment.in_force(day))
            )
            expected = day >= START and (end is None or day <= end)
            assert (row.in_force(day), in_sql == 1) == (expected, expected), day
