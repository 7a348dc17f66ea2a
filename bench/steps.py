"""The generator's statements, in order: (table, SQL). Parameters come from dataset.parameters;
the rules (pg_temp.pct, pg_temp.vacant, ...) from dataset.functions. One statement per table,
each INSERT ... SELECT over generate_series or over the rows inserted before it."""

ORGANISATIONS = """
INSERT INTO organisations (id, name, kind, district, province, phone, doc_prefix, thai_digits,
                           created_at)
SELECT i,
       CASE kind WHEN 'pao' THEN 'องค์การบริหารส่วนจังหวัด' WHEN 'municipality' THEN 'เทศบาลตำบล'
                 ELSE 'องค์การบริหารส่วนตำบล' END || 'ทดสอบ ' || lpad(i::text, 5, '0'),
       kind, 'อำเภอทดสอบ ' || (i / 10 + 1), 'จังหวัดทดสอบ ' || (mod(i, 76) + 1),
       '0' || (42 + mod(i, 30)) || '-' || lpad(mod(i * 7919, 1000000)::text, 6, '0'),
       'ทส ' || lpad(i::text, 5, '0'),
       pg_temp.pct(i, 1) >= 20,  -- one in five prints Arabic digits
       pg_temp.bkk(%(first_day)s, 9)
FROM (SELECT i, CASE WHEN mod(i, 100) = 0 THEN 'pao' WHEN mod(i, 3) = 0 THEN 'municipality'
                     ELSE 'sao' END AS kind
      FROM generate_series(1, %(orgs)s) AS i) AS o
"""

UNITS = """
INSERT INTO units (id, org_id, name, phone, sort_order)
SELECT pg_temp.unit_id(o.id, u.k::int), o.id, u.name, '', u.k
FROM organisations o CROSS JOIN unnest(%(units)s::text[]) WITH ORDINALITY AS u(name, k)
"""

POSITIONS = """
INSERT INTO positions (id, org_id, title)
SELECT pg_temp.position_id(o.id, p.k::int), o.id, replace(p.title, '{org}', o.name)
FROM organisations o CROSS JOIN unnest(%(positions)s::text[]) WITH ORDINALITY AS p(title, k)
"""

# The section head of a vacant organisation has left: inactive, no post. The mayor of one
# organisation in seven has no e-mail address (in-app reminders only).
USERS = """
INSERT INTO users (id, org_id, username, password_hash, title, full_name, email, position_id,
                   unit_id, active, is_admin, created_at)
SELECT pg_temp.user_id(o.id, r.k), o.id, u.login, %(password_hash)s, r.title,
       (%(first_names)s::text[])[1 + mod(pg_temp.pct(o.id * 16 + r.k, 2),
                                         cardinality(%(first_names)s::text[]))]
       || ' ' || (%(last_names)s::text[])[1 + mod(pg_temp.pct(o.id * 16 + r.k, 3),
                                                  cardinality(%(last_names)s::text[]))],
       CASE WHEN r.role = 'mayor' AND mod(o.id, 7) = 0 THEN ''
            ELSE u.login || '@bench.example.go.th' END,
       CASE WHEN NOT u.left_post THEN pg_temp.position_id(o.id, r.pos) END,
       pg_temp.unit_id(o.id, r.unit), NOT u.left_post, r.is_admin, pg_temp.bkk(%(first_day)s, 9)
FROM organisations o
CROSS JOIN json_to_recordset(%(roles)s::json)
     AS r(k int, role text, title text, pos int, unit int, is_admin bool)
CROSS JOIN LATERAL (SELECT 'b' || lpad(o.id::text, 5, '0') || '.' || r.role AS login,
                           r.role = 'head' AND pg_temp.vacant(o.id) AS left_post) AS u
"""

# Vacant posts are filled by an acting order; one organisation in ten also has a delegation
# that has run out (the register keeps it, reminders must ignore it).
ACTING = """
INSERT INTO acting_assignments (org_id, user_id, position_id, kind, start_date, end_date,
                                order_ref, created_by_id, created_at)
SELECT o.id, pg_temp.user_id(o.id, 2), pg_temp.position_id(o.id, 3), 'acting', %(first_day)s,
       NULL, 'คำสั่ง' || o.name || ' ที่ 245/' || (extract(year FROM %(first_day)s::date) + 543),
       pg_temp.user_id(o.id, 8), pg_temp.bkk(%(first_day)s, 9)
FROM organisations o WHERE pg_temp.vacant(o.id)
UNION ALL
SELECT o.id, pg_temp.user_id(o.id, 6), pg_temp.position_id(o.id, 4), 'delegated',
       %(first_day)s, %(first_day)s::date + 30, 'คำสั่ง' || o.name || ' ที่ 250/'
       || (extract(year FROM %(first_day)s::date) + 543),
       pg_temp.user_id(o.id, 8), pg_temp.bkk(%(first_day)s, 9)
FROM organisations o WHERE mod(o.id, 10) = 3
"""

CHAIN_STEPS = """
INSERT INTO chain_steps (org_id, doc_type, step_no, position_id, heading, forward_decisions,
                         reject_decisions, phrases)
SELECT o.id, t.doc_type, s.step_no, pg_temp.position_id(o.id, s.pos),
       replace(s.heading, '{org}', o.name), s.forward, s.reject, s.phrases
FROM organisations o
CROSS JOIN unnest(%(doc_types)s::text[]) AS t(doc_type)
CROSS JOIN json_to_recordset(%(chain)s::json)
     AS s(step_no int, pos int, heading text, forward json, reject json, phrases json)
"""

HOLIDAYS = """
INSERT INTO holidays (org_id, day, name)
SELECT o.id, h.day, h.name
FROM organisations o CROSS JOIN json_to_recordset(%(holidays)s::json) AS h(day date, name text)
"""

# Organisations ending in 1 moved this year's next round to today, those ending in 2 to three
# days from now; the others kept the defaults.
ROUNDS = """
INSERT INTO report_rounds (org_id, fiscal_year, kind, period_start, period_end, due_date)
SELECT o.id, r.fiscal_year, r.kind, r.period_start, r.period_end,
       CASE mod(o.id, 10) WHEN 1 THEN coalesce(r.due_today, r.due)
                          WHEN 2 THEN coalesce(r.due_soon, r.due) ELSE r.due END
FROM organisations o
CROSS JOIN json_to_recordset(%(rounds)s::json)
     AS r(fiscal_year int, kind text, period_start date, period_end date, due date,
          due_today date, due_soon date)
WHERE pg_temp.has_rounds(o.id)
"""

# One organisation in fifty has not named a coordinator.
PLANS = """
INSERT INTO measure_plans (id, org_id, fiscal_year, title, coordinator_id, created_at)
SELECT (o.id - 1) * %(years)s + y.n, o.id, y.fy,
       'มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ' || y.fy,
       CASE WHEN mod(o.id, 50) <> 7 THEN pg_temp.user_id(o.id, 1) END,
       pg_temp.bkk(pg_temp.fy_start(y.fy), 9)
FROM organisations o CROSS JOIN unnest(%(fiscal_years)s::int[]) WITH ORDINALITY AS y(fy, n)
"""

# Rhythms: half quarterly, a fifth monthly, a fifth six-monthly, a tenth yearly. This year:
# 3 % cancelled, 5 % done, 12 % not started, the rest in progress; earlier years mostly done.
# Most run the whole year; some start in January, some end in March.
MEASURES = """
INSERT INTO measures (id, org_id, plan_id, position, indicators, question_codes, title, analysis,
                      steps, start_month, end_month, budget, follow_up, rhythm, status,
                      cancel_reason, created_at, updated_at)
SELECT m.id, m.org_id, m.plan_id, m.k, json_build_array(1 + mod(m.k - 1, 10)),
       json_build_array('i' || (1 + mod(m.k * 7, 15))),
       (%(measure_titles)s::text[])[1 + mod(m.k - 1, cardinality(%(measure_titles)s::text[]))]
       || ' (ข้อ ' || m.k || ')',
       'ได้รับคะแนน ' || (70 + mod(m.id, 30)) || ' คะแนน ควรเร่งปรับปรุงระดับคะแนนให้ดีขึ้น',
       json_build_array('จัดทำแนวทางและคู่มือการปฏิบัติงาน', 'ประชาสัมพันธ์ให้บุคลากรทราบและถือปฏิบัติ'),
       m.start_month, m.end_month, CASE WHEN mod(m.k, 3) = 0 THEN 10000 * m.k END,
       'รายงานผลการดำเนินงานต่อผู้บริหารทุกไตรมาส', m.rhythm, m.status,
       CASE WHEN m.status = 'cancelled' THEN 'ยกเลิกตามมติผู้บริหาร' END,
       pg_temp.bkk(m.fy_start, 10), pg_temp.bkk(m.fy_start, 10)
FROM (
    SELECT (p.id - 1) * %(measures)s + k AS id, p.org_id, p.id AS plan_id, k,
           pg_temp.fy_start(p.fiscal_year) AS fy_start,
           CASE WHEN mod(k + p.org_id, 10) < 5 THEN 'quarterly'
                WHEN mod(k + p.org_id, 10) < 7 THEN 'monthly'
                WHEN mod(k + p.org_id, 10) < 9 THEN 'semiannual' ELSE 'yearly' END AS rhythm,
           CASE WHEN s.h < 3 THEN 'cancelled'
                WHEN p.fiscal_year < %(fiscal_year)s AND s.h < 88 THEN 'done'
                WHEN p.fiscal_year < %(fiscal_year)s THEN 'in_progress'
                WHEN s.h < 8 THEN 'done' WHEN s.h < 20 THEN 'not_started'
                ELSE 'in_progress' END AS status,
           (pg_temp.fy_start(p.fiscal_year)
            + CASE WHEN s.period BETWEEN 70 AND 84 THEN interval '3 months'
                   ELSE interval '0 months' END)::date AS start_month,
           (pg_temp.fy_start(p.fiscal_year)
            + CASE WHEN s.period >= 85 THEN interval '5 months'
                   ELSE interval '11 months' END)::date AS end_month
    FROM measure_plans p
    CROSS JOIN generate_series(1, %(measures)s) AS k
    CROSS JOIN LATERAL (SELECT pg_temp.pct((p.id - 1) * %(measures)s + k, 2) AS h,
                               pg_temp.pct((p.id - 1) * %(measures)s + k, 3) AS period) AS s
) AS m
"""

# Responsible people: none for one measure in three (the coordinator is reminded), one person
# (users 2-7; user 3 has left in vacant organisations) or two.
MEASURE_PEOPLE = """
INSERT INTO measure_people (measure_id, user_id)
SELECT m.id, pg_temp.user_id(m.org_id, u.k)
FROM measures m
CROSS JOIN LATERAL unnest(CASE mod(m.position, 3) WHEN 1 THEN ARRAY[2 + mod(m.position, 6)]
                                                  WHEN 2 THEN ARRAY[1, 6]
                                                  ELSE ARRAY[]::int[] END) AS u(k)
"""

MEASURE_UNITS = """
INSERT INTO measure_units (measure_id, unit_id)
SELECT m.id, pg_temp.unit_id(m.org_id, u.k)
FROM measures m
CROSS JOIN LATERAL unnest(CASE WHEN mod(m.position, 2) = 0 THEN ARRAY[1 + mod(m.position, 4), 2]
                               ELSE ARRAY[1 + mod(m.position, 4)] END) AS u(k)
"""

# An entry on the 20th of every month of the measure's period, before today; a sloppy measure's
# entries stop four months before today's month (or in June of an earlier year), so its latest
# quarter or month has none. Measures not started or cancelled have none at all.
ENTRIES = """
INSERT INTO progress_entries (measure_id, entry_date, text, author_id, created_at)
SELECT m.id, e.day, 'ดำเนินการตามแผนประจำเดือน และเผยแพร่ผลบนเว็บไซต์หน่วยงาน',
       pg_temp.user_id(m.org_id, 1), pg_temp.bkk(e.day, 16)
FROM measures m
CROSS JOIN LATERAL (
    SELECT CASE WHEN pg_temp.pct(m.id, 4) < %(sloppy)s AND m.status = 'in_progress'
                THEN least(date_trunc('month', %(today)s::timestamp) - interval '4 months',
                           m.start_month + interval '8 months')
                ELSE m.end_month END AS last_month
) AS cut
CROSS JOIN LATERAL (
    SELECT (month::date + 19) AS day
    FROM generate_series(m.start_month::timestamp, least(m.end_month, cut.last_month::date),
                         interval '1 month') AS month
) AS e
WHERE m.status IN ('in_progress', 'done') AND e.day < %(today)s
"""

# The memos of each organisation and year, worked out once: this year's are in review at step
# 1-3 and have waited WAITS[...] days there; earlier years' were approved. The first memo of one
# organisation in three is this year's progress report of the round last due (filed, so that
# round earns no reminder). `gaps` is the number of log rows minus one (one day apart); the
# national dataset has its own plan with the same columns (bench/national.py).
DOC_PLAN = """
CREATE TEMPORARY TABLE doc_plan ON COMMIT DROP AS
SELECT d.*, d.last_at - make_interval(days => d.gaps) AS submitted_at, true AS numbered,
       1 AS revision, NULL::int AS stop_step,
       CASE WHEN d.doc_type = 'progress_report' THEN %(filed_kind)s END AS round_kind
FROM (
    SELECT (p.id - 1) * %(documents)s + j AS id, p.org_id, p.id AS plan_id, p.fiscal_year, j,
           cur.current AS is_current,
           CASE WHEN cur.current THEN 'in_review' ELSE 'approved' END AS state,
           CASE WHEN cur.current THEN 1 + mod(p.org_id + j, 3) END AS current_step,
           CASE WHEN cur.current THEN mod(p.org_id + j, 3) ELSE 3 END AS gaps,
           CASE WHEN cur.current AND j = 1 AND mod(p.org_id, 3) = 0
                     AND pg_temp.has_rounds(p.org_id) THEN 'progress_report'
                ELSE 'general' END AS doc_type,
           CASE WHEN cur.current
                THEN pg_temp.bkk(%(today)s::date - (%(waits)s::int[])[
                         1 + mod(pg_temp.pct((p.id - 1) * %(documents)s + j, 5),
                                 cardinality(%(waits)s::int[]))], 10)
                ELSE pg_temp.bkk(pg_temp.fy_start(p.fiscal_year) + mod(j * 37, 300) + 3, 10)
           END AS last_at
    FROM measure_plans p
    CROSS JOIN generate_series(1, %(documents)s) AS j
    CROSS JOIN LATERAL (SELECT p.fiscal_year = %(fiscal_year)s AS current) AS cur
) AS d
"""

# Drafts never submitted have no number, no chain snapshot and no log.
DOCUMENTS = """
INSERT INTO documents (id, org_id, doc_type, state, revision, current_step, drafter_id, unit_id,
                       issuing_unit, doc_date, subject, addressee, closing, fiscal_year,
                       number_seq, number_prefix, created_at, updated_at, submitted_at,
                       finished_at, version)
SELECT d.id, d.org_id, d.doc_type, d.state, d.revision, d.current_step,
       pg_temp.user_id(d.org_id, 1), pg_temp.unit_id(d.org_id, 1),
       'สำนักปลัด' || o.name || ' โทร. ' || o.phone,
       (d.submitted_at AT TIME ZONE 'Asia/Bangkok')::date,
       CASE WHEN d.doc_type = 'progress_report'
            THEN 'รายงานความก้าวหน้าตามมาตรการ'
                 || CASE d.round_kind WHEN 'half' THEN ' รอบ ๖ เดือน'
                                      WHEN 'annual' THEN ' รอบ ๑๒ เดือน' ELSE '' END
                 || ' ปีงบประมาณ พ.ศ. ' || d.fiscal_year
            WHEN d.doc_type = 'analysis'
            THEN 'รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส (ITA) ประจำปีงบประมาณ พ.ศ. '
                 || d.fiscal_year - 1
            ELSE (%(subjects)s::text[])[1 + mod(d.j - 1, cardinality(%(subjects)s::text[]))] END,
       'นายก' || o.name, 'จึงเรียนมาเพื่อโปรดพิจารณา', d.fiscal_year,
       CASE WHEN d.numbered THEN d.j END, o.doc_prefix,
       d.submitted_at - interval '1 day', d.last_at,
       CASE WHEN d.state <> 'draft' THEN d.submitted_at END,
       CASE WHEN d.state IN ('approved', 'rejected') THEN d.last_at END, 1 + d.gaps
FROM doc_plan d JOIN organisations o ON o.id = d.org_id
"""

SECTIONS = """
INSERT INTO document_sections (document_id, position, heading, body)
SELECT d.id, s.position, s.heading, s.body
FROM doc_plan d
CROSS JOIN (VALUES (1, 'เรื่องเดิม', 'ตามที่หน่วยงานได้จัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใส'),
                   (2, 'ข้อเท็จจริง', 'บัดนี้ได้ดำเนินการเรียบร้อยแล้ว จึงขอรายงานผลดังนี้'))
     AS s(position, heading, body)
"""

# The chain as it stood at each submission (a resubmitted memo has one per revision).
DOCUMENT_STEPS = """
INSERT INTO document_steps (document_id, revision, step_no, position_id, position_title,
                            heading, forward_decisions, reject_decisions, phrases)
SELECT d.id, r.revision, c.step_no, c.position_id, pos.title, c.heading, c.forward_decisions,
       c.reject_decisions, c.phrases
FROM doc_plan d
CROSS JOIN generate_series(1, d.revision) AS r(revision)
JOIN chain_steps c ON c.org_id = d.org_id AND c.doc_type = d.doc_type
JOIN positions pos ON pos.id = c.position_id
WHERE d.state <> 'draft'
"""

SNAPSHOTS = """
INSERT INTO report_snapshots (document_id, round_id, plan_id, taken_at, data)
SELECT d.id, r.id, d.plan_id, d.submitted_at,
       json_build_object('as_of', r.period_end, 'measures', json_build_array())
FROM doc_plan d
JOIN report_rounds r ON r.org_id = d.org_id AND r.fiscal_year = d.fiscal_year
                    AND r.kind = d.round_kind
WHERE d.doc_type = 'progress_report'
"""

COUNTERS = """
INSERT INTO number_counters (org_id, fiscal_year, last_seq)
SELECT org_id, fiscal_year, max(j) FROM doc_plan WHERE numbered GROUP BY org_id, fiscal_year
"""

STEPS = [
    ("organisations", ORGANISATIONS),
    ("units", UNITS),
    ("positions", POSITIONS),
    ("users", USERS),
    ("acting_assignments", ACTING),
    ("chain_steps", CHAIN_STEPS),
    ("holidays", HOLIDAYS),
    ("report_rounds", ROUNDS),
    ("measure_plans", PLANS),
    ("measures", MEASURES),
    ("measure_people", MEASURE_PEOPLE),
    ("measure_units", MEASURE_UNITS),
    ("progress_entries", ENTRIES),
    ("(doc_plan)", DOC_PLAN),
    ("documents", DOCUMENTS),
    ("document_sections", SECTIONS),
    ("document_steps", DOCUMENT_STEPS),
    ("report_snapshots", SNAPSHOTS),
    ("number_counters", COUNTERS),
]
# Tables whose ids the steps give; their sequences are moved past them.
GIVEN_IDS = [
    "organisations",
    "units",
    "positions",
    "users",
    "measure_plans",
    "measures",
    "documents",
]


def steps_for(national: bool) -> list[tuple[str, str]]:
    """The statements in order; the national dataset swaps in its memo plan and adds the rest."""
    if not national:
        return STEPS
    from bench import national as n

    replaced = {"(doc_plan)": n.DOC_PLAN, "report_snapshots": n.SNAPSHOTS}
    found = [(table, replaced.get(table, statement)) for table, statement in STEPS]
    plan = [table for table, _ in found].index("(doc_plan)")
    found[plan:plan] = [
        ("ita_results", n.ITA_RESULTS),
        ("ita_tool_scores", n.ITA_TOOL_SCORES),
        ("ita_indicator_scores", n.ITA_INDICATOR_SCORES),
        ("measure_events", n.MEASURE_EVENTS),
        ("evidence", n.EVIDENCE),
        ("oit_items", n.OIT_ITEMS),
        ("oit_evidence", n.OIT_EVIDENCE),
    ]
    snapshots = [table for table, _ in found].index("report_snapshots")
    found.insert(snapshots + 1, ("analysis_snapshots", n.ANALYSIS_SNAPSHOTS))
    return found


def given_ids(national: bool) -> list[str]:
    return GIVEN_IDS + (["ita_results"] if national else [])
