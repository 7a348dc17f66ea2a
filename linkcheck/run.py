"""Check every evidence URL (of measures, then of OIT items): batches in id order, a bounded
pool of workers, a commit per batch."""

from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

import clock
from extensions import db
from linkcheck import fetch
from linkcheck.fetch import Result, Settings
from models import Evidence, Measure, OitEvidence
from models.types import UTCDateTime

BATCH_SIZE = 500
WORKERS = 8
# Results kept so a URL shared by several measures is fetched once, with memory bounded
# however many rows there are (rows sharing a URL are usually close together in id order).
REMEMBERED_URLS = 20_000


@dataclass
class Summary:
    """Counts of evidence rows by what their check found."""

    checked: int = 0
    ok: int = 0
    broken: int = 0  # the site answered, but not with 2xx
    errors: int = 0  # no answer: DNS, connection, TLS, timeout, garbage
    refused: int = 0  # blocked by a safety rule; nothing was fetched

    def add(self, result: Result) -> None:
        self.checked += 1
        if result.ok:
            self.ok += 1
        elif result.refused:
            self.refused += 1
        elif result.status is not None:
            self.broken += 1
        else:
            self.errors += 1

    def describe(self) -> str:
        """One Thai line, e.g. for the CLI."""
        return (
            f"ตรวจ {self.checked} ลิงก์: ใช้ได้ {self.ok}, เสีย {self.broken}, "
            f"ติดต่อไม่ได้ {self.errors}, ถูกปฏิเสธ {self.refused}"
        )


def check_all(
    progress: Callable[[str], None] = lambda s: None,
    org_id: int | None = None,
    batch_size: int = BATCH_SIZE,
) -> Summary:
    """Check the evidence URLs (of one organisation, or all) and record what each returned.

    Commits after every batch, so run it on its own (the CLI), not inside a request.
    """
    settings = Settings.from_config(current_app.config)
    workers = int(current_app.config.get("LINKCHECK_WORKERS", WORKERS))
    summary = Summary()
    remembered = _RecentResults(REMEMBERED_URLS)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="linkcheck") as pool:
        for model in (Evidence, OitEvidence):
            total, last_id = _extent(model, org_id)
            if not total:
                continue
            after, done = 0, summary.checked
            while rows := _batch(model, org_id, after, last_id, batch_size):
                db.session.commit()  # no transaction stays open while the network is slow
                results = _check(pool, settings, remembered, {url for _, url in rows})
                _record(model, rows, results)
                db.session.commit()  # a crash later keeps this batch's results
                for _, url in rows:
                    summary.add(results[url])
                after = rows[-1][0]
                progress(f"ตรวจแล้ว {summary.checked - done}/{total} ลิงก์{_WHAT[model]}")
    return summary


_WHAT = {Evidence: "", OitEvidence: " (หลักฐาน OIT)"}


def _scope(model, stmt: sa.Select, org_id: int | None) -> sa.Select:
    if org_id is None:
        return stmt
    if model is OitEvidence:
        return stmt.where(OitEvidence.org_id == org_id)
    return stmt.join(Measure, Measure.id == Evidence.measure_id).where(Measure.org_id == org_id)


def _extent(model, org_id: int | None) -> tuple[int, int]:
    """How many rows there are now, and the last id: rows added during the run wait for the next."""
    stmt = _scope(model, sa.select(sa.func.count(model.id), sa.func.max(model.id)), org_id)
    count, last_id = db.session.execute(stmt).one()
    return count, last_id or 0


def _batch(model, org_id: int | None, after: int, last_id: int, size: int) -> list[tuple[int, str]]:
    """The next rows after `after` (keyset pagination: no OFFSET, no ORM objects kept)."""
    stmt = (
        sa.select(model.id, model.url)
        .where(model.id > after, model.id <= last_id)
        .order_by(model.id)
        .limit(size)
    )
    return [tuple(row) for row in db.session.execute(_scope(model, stmt, org_id))]


def _check(
    pool: ThreadPoolExecutor, settings: Settings, remembered: "_RecentResults", urls: set[str]
) -> dict[str, Result]:
    results = {url: found for url in urls if (found := remembered.get(url)) is not None}
    new = sorted(urls - results.keys())
    for url, result in zip(new, pool.map(lambda u: fetch.check_url(u, settings), new), strict=True):
        results[url] = result
        remembered.put(url, result)
    return results


def _record(model, rows: Iterable[tuple[int, str]], results: dict[str, Result]) -> None:
    """Write the batch: ok rows also get last_ok_at; the others keep the one they had. Where the
    table keeps `broken_since`, a failure sets it once and a success clears it."""
    now = clock.now()
    table = model.__table__
    values = {
        "last_checked_at": now,
        "last_status": sa.bindparam("status"),
        "last_error": sa.bindparam("error"),
    }
    params: dict[bool, list[dict]] = {True: [], False: []}
    for row_id, url in rows:
        result = results[url]
        params[result.ok].append({"row_id": row_id, "status": result.status, "error": result.error})
    since = "broken_since" in table.c
    for ok, batch in params.items():
        if batch:
            stmt = sa.update(table).where(table.c.id == sa.bindparam("row_id"))
            stmt = stmt.values(**values, last_ok_at=now) if ok else stmt.values(**values)
            if since:
                first = sa.func.coalesce(table.c.broken_since, sa.literal(now, UTCDateTime()))
                stmt = stmt.values(broken_since=None if ok else first)
            db.session.execute(stmt, batch)


class _RecentResults:
    """A bounded map of the most recently used URLs to their results."""

    def __init__(self, size: int):
        self._size = size
        self._items: OrderedDict[str, Result] = OrderedDict()

    def get(self, url: str) -> Result | None:
        result = self._items.get(url)
        if result is not None:
            self._items.move_to_end(url)
        return result

    def put(self, url: str, result: Result) -> None:
        self._items[url] = result
        self._items.move_to_end(url)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
