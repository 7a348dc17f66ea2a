"""Failed log-ins, kept in the database so every worker process sees the same throttle.

One row per wrong password (or unknown name). The lockout rules in workflow/login_throttle.py
count rows by account name and by client address inside a time window; a successful log-in or an
admin's unlock deletes the account's rows. Rows hold the typed name, not a user id, so an unknown
name is throttled exactly like a real one and the table says nothing about who exists.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import clock
from extensions import db
from models.types import UTCDateTime


class LoginFailure(db.Model):
    __tablename__ = "login_failures"
    __table_args__ = (
        sa.Index("ix_login_failures_username_at", "username", "at"),
        sa.Index("ix_login_failures_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80))  # as typed, lower-cased
    ip: Mapped[str] = mapped_column(sa.String(45))  # IPv6 text is at most 45 characters
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
