"""The bench dataset: what every organisation gets, as set-based SQL over generate_series.

Ids are given, not drawn from sequences, so one statement can find another table's rows by
arithmetic (the 3rd user of organisation 42 is user (42 - 1) * USERS + 3); the generator moves
the sequences past them afterwards. Every choice ("is this measure late?") is a hash of ids and
the seed (pg_temp.pct), so the same parameters give the same rows.
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta

import thai
from bench.national import EVIDENCE_BASE
from models import DocType, RoundKind
from workflow.calendar import default_rounds
from workflow.chain_defaults import default_chain
from workflow.ita import store as catalogues
from workflow.rounds import round_errors

UNITS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม"]
# '{org}' becomes the organisation's name.
POSITIONS = [
    "ผู้ช่วยนักวิเคราะห์นโยบายและแผน",
    "หัวหน้าฝ่ายบริหารงานทั่วไป",
    "หัวหน้าสำนักปลัด",
    "ปลัด{org}",
    "นายก{org}",
    "ผู้อำนวยการกองคลัง",
    "ผู้อำนวยการกองช่าง",
]
# k, role (in the username), title, position k, unit k, is admin. User 1 drafts reports and
# coordinates the plan; users 3-5 sign the chain's three steps.
ROLES = [
    (1, "drafter", "นาง", 1, 1, False),
    (2, "genadmin", "นาย", 2, 1, False),
    (3, "head", "นาง", 3, 1, False),
    (4, "chief", "นาย", 4, 1, False),
    (5, "mayor", "นาย", 5, None, False),
    (6, "finance", "นางสาว", 6, 2, False),
    (7, "engineer", "นาย", 7, 3, False),
    (8, "admin", "นาย", None, None, True),
]
FIRST_NAMES = ["สมชาย", "สมหญิง", "ณัฐนิภา", "ธัญญารัตน์", "ชุตติกาญจน์", "นครินทร์", "วีระ", "มาลี"]
LAST_NAMES = ["แสงมณี", "โคนุช", "คงสุข", "สมัญญา", "ใจดี", "ศรีสุข", "บุญมา", "ทองดี"]
MEASURE_TITLES = [
    "มาตรการปรับปรุงแนวปฏิบัติการใช้ทรัพย์สินของทางราชการ",
    "มาตรการส่งเสริมการเปิดเผยข้อมูลต่อสาธารณะ",
    "กิจกรรมส่งเสริมคุณธรรมและสร้างวัฒนธรรม No Gift Policy",
    "กิจกรรมสร้างการมีส่วนร่วมในการจัดทำและติดตามแผนการใช้จ่ายงบประมาณ",
    "โครงการพัฒนาคู่มือและสื่อประชาสัมพันธ์ขั้นตอนการปฏิบัติงาน",
    "มาตรการพัฒนาช่องทางการสื่อสาร",
    "มาตรการกำกับดูแลการใช้อำนาจตามประมวลจริยธรรม",
    "มาตรการบริหารจัดการความเสี่ยงและเฝ้าระวังการทุจริตเชิงรุก",
]
MEMO_SUBJECTS = [
    "ขออนุมัติจัดโครงการอบรมคุณธรรมจริยธรรมแก่บุคลากร",
    "ขอความเห็นชอบแผนการเผยแพร่ข้อมูลบนเว็บไซต์หน่วยงาน",
    "รายงานผลการตรวจสอบการใช้ทรัพย์สินของทางราชการ",
    "ขออนุมัติแต่งตั้งคณะทำงานขับเคลื่อนการประเมิน ITA",
]
# Fixed-date public holidays (the lunar ones move each year and are left out).
HOLIDAYS = [
    (10, 13, "วันนวมินทรมหาราช"),
    (10, 23, "วันปิยมหาราช"),
    (12, 5, "วันพ่อแห่งชาติ"),
    (12, 10, "วันรัฐธรรมนูญ"),
    (12, 31, "วันสิ้นปี"),
    (1, 1, "วันขึ้นปีใหม่"),
    (4, 6, "วันจักรี"),
    (4, 13, "วันสงกรานต์"),
    (4, 14, "วันสงกรานต์"),
    (4, 15, "วันสงกรานต์"),
    (5, 1, "วันแรงงานแห่งชาติ"),
    (5, 4, "วันฉัตรมงคล"),
    (6, 3, "วันเฉลิมพระชนมพรรษาพระราชินี"),
    (7, 28, "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว"),
    (8, 12, "วันแม่แห่งชาติ"),
]
# Days a memo in review has waited at its step: the first two earn nothing, the middle ones a
# `waiting` reminder, the last ones also an `escalation` (working days decide; see documents.py).
WAITS = [1, 4, 6, 9, 13, 20]
SLOPPY_PERCENT = 30  # open measures whose entries stop four months before today


@dataclass(frozen=True)
class Params:
    orgs: int
    years: int  # fiscal years, the last one the year of `today`
    measures: int  # per organisation and year
    documents: int  # per organisation and year: in review this year, approved before
    today: date
    seed: int
    national: bool = False  # every memo state, analysis memos, reports, ITA, events, evidence

    @property
    def fiscal_year(self) -> int:
        return thai.fiscal_year(self.today)

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.fiscal_year - self.years + 1, self.fiscal_year + 1))


def functions(p: Params) -> list[str]:
    """Session-local helpers (pg_temp, gone with the connection): the hash and the id rules."""
    users, positions, units = len(ROLES), len(POSITIONS), len(UNITS)
    return [
        # 0-99 from an id, a salt and the seed; the same everywhere and every time.
        "CREATE FUNCTION pg_temp.pct(a bigint, salt int) RETURNS int IMMUTABLE LANGUAGE sql"
        f" AS 'SELECT mod(mod(hashint8extended(a * 64 + salt, {int(p.seed)}), 100) + 100, 100)::int'",
        "CREATE FUNCTION pg_temp.user_id(org int, k int) RETURNS int IMMUTABLE LANGUAGE sql"
        f" AS 'SELECT (org - 1) * {users} + k'",
        "CREATE FUNCTION pg_temp.position_id(org int, k int) RETURNS int IMMUTABLE LANGUAGE sql"
        f" AS 'SELECT (org - 1) * {positions} + k'",
        "CREATE FUNCTION pg_temp.unit_id(org int, k int) RETURNS int IMMUTABLE LANGUAGE sql"
        f" AS 'SELECT (org - 1) * {units} + k'",
        # One organisation in four has no section head: the head of general administration acts.
        "CREATE FUNCTION pg_temp.vacant(org int) RETURNS bool IMMUTABLE LANGUAGE sql"
        " AS 'SELECT mod(org, 4) = 0'",
        # One in twenty never opened its rounds page: no saved rounds (defaults apply).
        "CREATE FUNCTION pg_temp.has_rounds(org int) RETURNS bool IMMUTABLE LANGUAGE sql"
        " AS 'SELECT mod(org, 20) <> 19'",
        "CREATE FUNCTION pg_temp.fy_start(fy int) RETURNS date IMMUTABLE LANGUAGE sql"
        " AS 'SELECT make_date(fy - 544, 10, 1)'",
        "CREATE FUNCTION pg_temp.bkk(day date, hour int) RETURNS timestamptz STABLE LANGUAGE sql"
        " AS $$SELECT (day + make_time(hour, 0, 0)) AT TIME ZONE 'Asia/Bangkok'$$",
    ]


def parameters(p: Params, password_hash: str) -> dict:
    """Everything the statements take, computed once in Python."""
    return {
        "orgs": p.orgs,
        "years": p.years,
        "measures": p.measures,
        "documents": p.documents,
        "today": p.today,
        "fiscal_year": p.fiscal_year,
        "fiscal_years": p.fiscal_years,
        "first_day": thai.fiscal_year_bounds(p.fiscal_years[0])[0],
        "units": UNITS,
        "positions": POSITIONS,
        "roles": _json(
            {"k": k, "role": r, "title": t, "pos": pos, "unit": u, "is_admin": a}
            for k, r, t, pos, u, a in ROLES
        ),
        "first_names": FIRST_NAMES,
        "last_names": LAST_NAMES,
        "password_hash": password_hash,
        "doc_types": [str(t) for t in DocType],
        "chain": _chain(),
        "holidays": _holidays(p.fiscal_years),
        "rounds": _rounds(p),
        "filed_kind": str(_last_passed(p) or RoundKind.Q1),
        "measure_titles": MEASURE_TITLES,
        "subjects": MEMO_SUBJECTS,
        "waits": WAITS,
        "sloppy": SLOPPY_PERCENT,
        # The ITA results analysed: the year before each fiscal year, and one more to compare.
        "ita_years": list(range(p.fiscal_years[0] - 2, p.fiscal_year)),
        "evidence_base": EVIDENCE_BASE,
        # The OIT boards: each assessment year analysed whose catalogue lists OIT items.
        "oit_years": _json(
            {"fy": year, "items": len(items)}
            for year in range(p.fiscal_years[0], p.fiscal_year + 1)
            if (items := _oit_codes(year))
        ),
    }


def _oit_codes(year: int) -> list[str]:
    """The shipped catalogue's OIT item codes of a year (O1, O2, ... in order), or []."""
    path = catalogues.SHIPPED_DIR / f"{year}.yaml"
    if not path.exists():
        return []
    codes = [q.code for q in catalogues.parse(path.read_bytes()).oit_items()]
    if codes != [f"O{i}" for i in range(1, len(codes) + 1)]:
        raise ValueError(f"catalogue {year}: OIT codes are not O1..O{len(codes)}: {codes}")
    return codes


def _json(rows) -> str:
    return json.dumps(list(rows), ensure_ascii=False, default=str)


def _chain() -> str:
    rows = []
    for step_no, step in enumerate(default_chain("{org}"), start=1):
        rows.append(
            {
                "step_no": step_no,
                "pos": POSITIONS.index(step.position_title) + 1,
                "heading": step.heading,
                "forward": list(step.forward),
                "reject": list(step.reject),
                "phrases": list(step.phrases),
            }
        )
    return _json(rows)


def _holidays(fiscal_years: list[int]) -> str:
    rows = []
    for year in fiscal_years:
        start, _ = thai.fiscal_year_bounds(year)
        for month, day, name in HOLIDAYS:
            rows.append({"day": date(start.year + (month < 10), month, day), "name": name})
    return _json(rows)


def _rounds(p: Params) -> str:
    """Every round of every year with its default dates; this year's next round also with the
    dates two kinds of organisation moved it to: today (due_today) and in three days (due_3)."""
    upcoming = _next_due(p)
    rows = []
    for year in p.fiscal_years:
        for kind, period in default_rounds(year).items():
            row = {
                "fiscal_year": year,
                "kind": str(kind),
                "period_start": period.start,
                "period_end": period.end,
                "due": period.due,
            }
            if year == p.fiscal_year and kind == upcoming:
                for name, due in (("due_today", p.today), ("due_soon", p.today + timedelta(3))):
                    if not round_errors(year, period.start, period.end, due):
                        row[name] = due
            rows.append(row)
    return _json(rows)


def _next_due(p: Params) -> RoundKind | None:
    coming = [(r.due, k) for k, r in default_rounds(p.fiscal_year).items() if r.due >= p.today]
    return min(coming)[1] if coming else None


def _last_passed(p: Params) -> RoundKind | None:
    passed = [(r.due, k) for k, r in default_rounds(p.fiscal_year).items() if r.due < p.today]
    return max(passed)[1] if passed else None
