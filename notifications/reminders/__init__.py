"""Reminders sent by the daily `flask reminders send`: reports due, measure updates missing,
documents waiting too long. Each (item, round, kind, recipient) goes out at most once; the
rules of each kind are in its module (rounds, measures, documents)."""

from notifications.reminders.runner import Summary, run

__all__ = ["Summary", "run"]
