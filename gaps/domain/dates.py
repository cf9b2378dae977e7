"""Dates and times as the UK writes them; stored in UTC, shown in London time."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

UK_TIME = ZoneInfo("Europe/London")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def uk_date(value: date | datetime | None) -> str:
    """A date as the UK writes it: 16 August 2016."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UK_TIME).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def uk_short_date(value: date | None) -> str:
    """A date written short, for tables: 16 Aug 2016."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1][:3]} {value.year}"


def uk_datetime(value: datetime | None) -> str:
    """A moment in UK local time: 16 August 2016 at 14:05."""
    if value is None:
        return ""
    local = value.astimezone(UK_TIME)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} at {local:%H:%M}"
