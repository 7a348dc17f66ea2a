"""The app's single source of "now", so tests can move time and every date is Bangkok's."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Thailand (an acting order dated today is in force from Thai midnight)."""
    return now().astimezone(BANGKOK).date()


def local(moment: datetime) -> datetime:
    """A stored UTC moment as Bangkok local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BANGKOK)
