"""Fiscal-year calendars: default report rounds, reporting periods of a rhythm, working days."""

import calendar as _calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays as holiday_calendars

import thai
from models.measures import Rhythm
from models.rounds import RoundKind


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    due: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def month_end(day: date) -> date:
    return day.replace(day=_calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def default_rounds(fiscal_year: int) -> dict[RoundKind, Period]:
    """Quarters due on the 15th after they end; 6-month due 30 April; annual due 31 October."""
    start, end = thai.fiscal_year_bounds(fiscal_year)
    rounds = {}
    for i, kind in enumerate((RoundKind.Q1, RoundKind.Q2, RoundKind.Q3, RoundKind.Q4)):
        q_start = add_months(start, 3 * i)
        q_end = month_end(add_months(start, 3 * i + 2))
        rounds[kind] = Period(q_start, q_end, add_months(q_end, 1).replace(day=15))
    half_end = month_end(add_months(start, 5))
    rounds[RoundKind.HALF] = Period(start, half_end, date(half_end.year, 4, 30))
    rounds[RoundKind.ANNUAL] = Period(start, end, date(end.year, 10, 31))
    return rounds


def merged_rounds(fiscal_year: int, saved: Mapping[RoundKind, Period]) -> dict[RoundKind, Period]:
    """An organisation's rounds of a year: the dates it saved, the defaults for the others."""
    return {**default_rounds(fiscal_year), **saved}


def rhythm_periods(fiscal_year: int, rhythm: Rhythm, rounds: dict | None = None) -> list[Period]:
    """The periods in which a measure of this rhythm must post an update, with their due dates.

    Quarterly, 6-month and yearly measures are due with the organisation's rounds; monthly ones
    by the 10th of the next month.
    """
    rounds = rounds or default_rounds(fiscal_year)
    if rhythm is Rhythm.MONTHLY:
        start, _ = thai.fiscal_year_bounds(fiscal_year)
        months = [add_months(start, i) for i in range(12)]
        return [Period(m, month_end(m), add_months(m, 1).replace(day=10)) for m in months]
    kinds = {
        Rhythm.QUARTERLY: (RoundKind.Q1, RoundKind.Q2, RoundKind.Q3, RoundKind.Q4),
        Rhythm.SEMIANNUAL: (RoundKind.HALF, RoundKind.ANNUAL),
        Rhythm.YEARLY: (RoundKind.ANNUAL,),
    }[rhythm]
    periods = [rounds[k] for k in kinds]
    if rhythm is Rhythm.SEMIANNUAL:  # the second half is April-September, not the whole year
        half, annual = periods
        periods = [half, Period(half.end + timedelta(days=1), annual.end, annual.due)]
    return periods


def national_holidays(start: date, end: date) -> dict[date, str]:
    """Thailand's public holidays between two dates, inclusive, with their Thai names.

    From the `holidays` package, which computes the lunar ones (มาฆบูชา, วิสาขบูชา, อาสาฬหบูชา,
    เข้าพรรษา) and the substitution days year by year; an organisation adds its own days and
    removes any it works through (workflow.rounds).
    """
    days = {}
    for year in range(start.year, end.year + 1):
        days.update({d: name for d, name in _national_year(year).items() if start <= d <= end})
    return days


@cache
def _national_year(year: int) -> dict[date, str]:
    return dict(holiday_calendars.Thailand(years=year, language="th"))


def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def working_days_between(start: date, end: date, holidays: Iterable[date] = ()) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    off = set(holidays)
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        days += is_working_day(day, off)
    return days


def period_label(start_month: date | None, end_month: date | None, thai_digits: bool = True) -> str:
    """'ต.ค.68 – ก.ย.69' (with Thai digits by default), as the seeds print a measure's period;
    '' when the measure states none."""
    if start_month is None or end_month is None:
        return ""

    def one(day: date) -> str:
        return f"{thai.MONTHS_ABBR[day.month - 1]}{str(thai.be_year(day.year))[-2:]}"

    return thai.digits(f"{one(start_month)} – {one(end_month)}", thai_digits)
