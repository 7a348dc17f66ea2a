"""The organisation (อปท.), its units, positions, people and the register of acting officials."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_login import UserMixin
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

import clock
from extensions import db
from models.types import UTCDateTime, str_enum


class OrgKind(enum.StrEnum):
    SAO = "sao"  # องค์การบริหารส่วนตำบล
    MUNICIPALITY = "municipality"  # เทศบาล
    PAO = "pao"  # องค์การบริหารส่วนจังหวัด

    @property
    def label(self) -> str:
        return ORG_KIND_LABELS[self]


ORG_KIND_LABELS = {
    OrgKind.SAO: "อบต. (องค์การบริหารส่วนตำบล)",
    OrgKind.MUNICIPALITY: "เทศบาล",
    OrgKind.PAO: "อบจ. (องค์การบริหารส่วนจังหวัด)",
}


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind, "org_kind"))
    district: Mapped[str] = mapped_column(sa.String(100), default="")
    province: Mapped[str] = mapped_column(sa.String(100), default="")
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    # Unit code printed before the running number, e.g. "สร 83201" in "สร 83201/1180".
    doc_prefix: Mapped[str] = mapped_column(sa.String(50), default="")
    thai_digits: Mapped[bool] = mapped_column(default=True)
    # A measure with no budget prints "ไม่ใช้งบประมาณ" (True) or a blank cell (False).
    print_no_budget: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # A document waiting longer than this many working days at one step shows as late.
    target_working_days: Mapped[int] = mapped_column(default=3, server_default="3")
    # Storage key of the uploaded Garuda emblem printed at the top left of memos (none shipped).
    garuda_key: Mapped[str | None] = mapped_column(sa.String(100))
    # The organisation's part of its public addresses (/p/<slug>/2569/O25): Latin letters,
    # digits and hyphens, given once; never changed, so links on its website keep working.
    slug: Mapped[str | None] = mapped_column(sa.String(60), unique=True)
    # May an admin enter an acting order naming themselves? Off unless the organisation says so;
    # such orders are flagged in the register's history (workflow/admin/acting.py).
    allow_self_acting: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Refuse the drafter signing her own memo when she holds (or acts for) a step's post? When
    # allowed, such a signature is said on the page and in the log (workflow/documents.py).
    forbid_drafter_signing: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    units: Mapped[list["Unit"]] = relationship(
        back_populates="organisation", order_by=lambda: Unit.in_order()
    )
    positions: Mapped[list["Position"]] = relationship(
        back_populates="organisation", order_by="Position.title"
    )


class Unit(db.Model):
    """A section of the organisation (สำนักปลัด, กองคลัง, ...)."""

    __tablename__ = "units"
    __table_args__ = (sa.UniqueConstraint("org_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    phone: Mapped[str] = mapped_column(sa.String(50), default="")
    # The unit's place in the organisation's own order (สำนักปลัด first, as its chart and the
    # seeds list them), set by the admin's up/down buttons. Units are listed by this, then by
    # name: `in_order` in queries, `sort_key` for units already loaded; nothing else sorts them.
    sort_order: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation] = relationship(back_populates="units")

    @classmethod
    def in_order(cls) -> list[sa.ColumnElement]:
        """ORDER BY terms of the organisation's order of its units."""
        return [cls.sort_order, cls.name]

    @classmethod
    def of_organisation(cls, org_id: int) -> sa.Select:
        """The organisation's units in its order."""
        return sa.select(cls).where(cls.org_id == org_id).order_by(*cls.in_order())

    def sort_key(self) -> tuple[int, str]:
        """`in_order` for units already loaded."""
        return (self.sort_order, self.name)

    def memo_heading(self) -> str:
        """The ส่วนราชการ line: 'สำนักปลัดองค์การบริหารส่วนตำบลศรีสุข โทร. 044-569109'."""
        phone = self.phone or self.organisation.phone
        text = f"{self.name}{self.organisation.name}"
        return f"{text} โทร. {phone}" if phone else text


class Position(db.Model):
    """A post (ตำแหน่ง). Chain steps name positions, never people, so staff changes need no edits."""

    __tablename__ = "positions"
    __table_args__ = (sa.UniqueConstraint("org_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))

    organisation: Mapped[Organisation] = relationship(back_populates="positions")
    holders: Mapped[list["User"]] = relationship(back_populates="position")


class User(UserMixin, db.Model):
    """A person with a login. Thai title and full name as printed under a signature."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    title: Mapped[str] = mapped_column(sa.String(50))  # นาย / นาง / นางสาว / ...
    full_name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    position_id: Mapped[int | None] = mapped_column(sa.ForeignKey("positions.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Storage key of the person's signature image; without one, the PDF prints the typed name.
    signature_key: Mapped[str | None] = mapped_column(sa.String(100))
    # Part of every session and remember-me cookie (get_id); advancing it ends them all: logout,
    # a password change and deactivation do (app.load_user compares it on every request).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    organisation: Mapped[Organisation] = relationship()
    position: Mapped[Position | None] = relationship(back_populates="holders")
    unit: Mapped[Unit | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at login and per request
        return self.active

    @property
    def display_name(self) -> str:
        return f"{self.title}{self.full_name}"

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session and the remember cookie: id and version."""
        return f"{self.id}.{self.session_version or 0}"

    def end_sessions(self) -> None:
        """Every session and remember-me cookie issued so far stops working."""
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        """A new password also ends the sessions opened with the old one."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        if self.id is not None:
            self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class ActingKind(enum.StrEnum):
    ACTING = "acting"  # รักษาราชการแทน: vacant post or absent holder, by order
    DELEGATED = "delegated"  # ปฏิบัติราชการแทน: authority delegated in writing

    @property
    def label(self) -> str:
        return "รักษาราชการแทน" if self is ActingKind.ACTING else "ปฏิบัติราชการแทน"


class ActingAssignment(db.Model):
    """One line of the register: who acts for which post, how, from when to when, by which order."""

    __tablename__ = "acting_assignments"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        sa.Index("ix_acting_assignments_user_dates", "user_id", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    position_id: Mapped[int] = mapped_column(sa.ForeignKey("positions.id"))
    kind: Mapped[ActingKind] = mapped_column(str_enum(ActingKind, "acting_kind"))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    order_ref: Mapped[str] = mapped_column(sa.String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # An admin named themselves (allowed only with Organisation.allow_self_acting).
    self_granted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    position: Mapped[Position] = relationship()

    @hybrid_method
    def in_force(self, on: date) -> bool:
        """The order is in force on `on` (both ends included); also usable in a query."""
        return self.start_date <= on and (self.end_date is None or on <= self.end_date)

    @in_force.inplace.expression
    @classmethod
    def _in_force_expression(cls, on: date) -> sa.ColumnElement[bool]:
        return sa.and_(cls.start_date <= on, sa.or_(cls.end_date.is_(None), cls.end_date >= on))

    def facts(self) -> dict:
        """What the line says, as kept in its history (plain values, B.E.-free ISO dates)."""
        return {
            "user": self.user.display_name if self.user else None,
            "position": self.position.title if self.position else None,
            "kind": str(self.kind),
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "order_ref": self.order_ref,
        }


class ActingChange(db.Model):
    """One change to the register: who, when, what the line said before and after. Kept when the
    line itself is deleted (no foreign key to it), never edited."""

    __tablename__ = "acting_changes"
    __table_args__ = (sa.Index("ix_acting_changes_org_at", "org_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    assignment_id: Mapped[int] = mapped_column(index=True)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(sa.String(250))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    action: Mapped[str] = mapped_column(sa.String(20))  # create, update, end, delete
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
    self_granted: Mapped[bool] = mapped_column(default=False)
