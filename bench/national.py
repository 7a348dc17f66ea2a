"""The national dataset's statements (generate --national): memos in every state, the analysis
memo and the progress reports of each year, ITA results, measure events and evidence URLs.

Same rules as bench/steps.py: one INSERT ... SELECT per table, ids given, every choice a hash of
ids (pg_temp.pct). The decision log is not here: bench/auditlog.py writes it in Python, because
its hashes are models/audit.py's json.dumps, which SQL cannot reproduce byte for byte.
"""

# Evidence URLs point at the link-check benchmark's server on loopback (bench/linkcheck.py).
EVIDENCE_BASE = "http://127.0.0.1:18569"

# Per organisation and year: memos 1..documents (general), then the analysis memo, the 6-month
# and the 12-month progress report (the last not yet for this year; reports only where the
# organisation saved its rounds). States: this year's memos are spread over every state; earlier
# years' are mostly approved. One memo in eight that reached a signer was returned once at
# step 2 and resubmitted (revision 2). `gaps` is the number of log rows minus one, one day apart.
DOC_PLAN = """
CREATE TEMPORARY TABLE doc_plan ON COMMIT DROP AS
SELECT d.*, d.last_at - make_interval(days => d.gaps) AS submitted_at,
       d.state <> 'draft' AS numbered
FROM (
    SELECT s.*,
           CASE WHEN s.state = 'draft' THEN 0
                ELSE 3 * (s.revision - 1) + CASE s.state WHEN 'in_review' THEN s.current_step - 1
                                                         WHEN 'approved' THEN 3
                                                         ELSE s.stop_step END END AS gaps
    FROM (
        SELECT t.*,
               CASE WHEN t.state IN ('approved', 'in_review', 'rejected')
                         AND pg_temp.pct(t.id, 7) < 12 THEN 2 ELSE 1 END AS revision,
               CASE WHEN t.state = 'in_review' THEN 1 + mod(t.org_id + t.j, 3) END AS current_step,
               CASE t.state WHEN 'rejected' THEN 3 WHEN 'returned' THEN 1 + mod(t.id, 3)
                            WHEN 'withdrawn' THEN 1 + mod(t.id, 3) END AS stop_step,
               CASE WHEN t.state = 'in_review'
                    THEN pg_temp.bkk(%(today)s::date - (%(waits)s::int[])[
                             1 + mod(pg_temp.pct(t.id, 5), cardinality(%(waits)s::int[]))], 10)
                    WHEN t.is_current
                    THEN pg_temp.bkk(pg_temp.fy_start(t.fiscal_year) + 12 + mod(t.j * 37, 170), 10)
                    WHEN t.round_kind = 'half'
                    THEN pg_temp.bkk(pg_temp.fy_start(t.fiscal_year) + 205 + mod(t.org_id, 20), 10)
                    WHEN t.round_kind = 'annual'
                    THEN pg_temp.bkk(pg_temp.fy_start(t.fiscal_year) + 350 + mod(t.org_id, 10), 10)
                    ELSE pg_temp.bkk(pg_temp.fy_start(t.fiscal_year) + 12 + mod(t.j * 37, 330), 10)
               END AS last_at
        FROM (
            SELECT k.*,
                   CASE WHEN NOT k.is_current THEN
                             CASE WHEN k.doc_type <> 'general' OR k.h < 94 THEN 'approved'
                                  WHEN k.h < 98 THEN 'rejected' ELSE 'withdrawn' END
                        WHEN k.doc_type = 'general' THEN
                             CASE WHEN k.h < 40 THEN 'approved' WHEN k.h < 65 THEN 'in_review'
                                  WHEN k.h < 73 THEN 'returned' WHEN k.h < 90 THEN 'draft'
                                  WHEN k.h < 95 THEN 'rejected' ELSE 'withdrawn' END
                        WHEN k.doc_type = 'analysis' THEN
                             CASE WHEN k.h < 60 THEN 'approved' WHEN k.h < 85 THEN 'in_review'
                                  ELSE 'draft' END
                        ELSE CASE WHEN k.h < 25 THEN 'approved' WHEN k.h < 60 THEN 'in_review'
                                  ELSE 'draft' END
                   END AS state
            FROM (
                SELECT (p.id - 1) * (%(documents)s + 3) + j AS id, p.org_id, p.id AS plan_id,
                       p.fiscal_year, j, p.fiscal_year = %(fiscal_year)s AS is_current,
                       CASE WHEN j <= %(documents)s THEN 'general'
                            WHEN j = %(documents)s + 1 THEN 'analysis'
                            ELSE 'progress_report' END AS doc_type,
                       CASE j - %(documents)s WHEN 2 THEN 'half' WHEN 3 THEN 'annual' END
                           AS round_kind,
                       pg_temp.pct((p.id - 1) * (%(documents)s + 3) + j, 6) AS h
                FROM measure_plans p
                CROSS JOIN generate_series(1, %(documents)s + 3) AS j
                WHERE (j <= %(documents)s + 1 OR pg_temp.has_rounds(p.org_id))
                  AND NOT (j = %(documents)s + 3 AND p.fiscal_year = %(fiscal_year)s)
            ) AS k
        ) AS t
    ) AS s
) AS d
"""

# The app's own snapshot shape (bench/snapshots.py), one template per analysed year, with the
# organisation's name.
ANALYSIS_SNAPSHOTS = """
INSERT INTO analysis_snapshots (document_id, org_id, fiscal_year, taken_at, data)
SELECT d.id, d.org_id, d.fiscal_year - 1, coalesce(d.submitted_at, d.last_at) - interval '1 day',
       jsonb_set(%(analysis_templates)s::jsonb -> (d.fiscal_year - 1)::text,
                 '{org_name}', to_jsonb(o.name))::json
FROM doc_plan d
JOIN organisations o ON o.id = d.org_id
WHERE d.doc_type = 'analysis' AND %(analysis_templates)s::jsonb ? (d.fiscal_year - 1)::text
"""

SNAPSHOTS = """
INSERT INTO analysis_snapshots (document_id, org_id, fiscal_year, taken_at, data)
SELECT d.id, d.org_id, d.fiscal_year - 1, coalesce(d.submitted_at, d.last_at) - interval '1 day',
       json_build_object(
           'fiscal_year', d.fiscal_year - 1, 'previous_year', d.fiscal_year - 2,
           'overall', json_build_object('score', r.overall::text, 'previous', b.overall::text),
           'tools', (SELECT json_agg(json_build_array(t.tool_code, t.score::text)
                                     ORDER BY t.tool_code)
                     FROM ita_tool_scores t WHERE t.result_id = r.id))
FROM doc_plan d
JOIN ita_results r ON r.org_id = d.org_id AND r.fiscal_year = d.fiscal_year - 1
LEFT JOIN ita_results b ON b.org_id = d.org_id AND b.fiscal_year = d.fiscal_year - 2
WHERE d.doc_type = 'analysis'
"""

SNAPSHOTS = """
INSERT INTO report_snapshots (document_id, round_id, plan_id, taken_at, data)
SELECT d.id, r.id, d.plan_id, coalesce(d.submitted_at, d.last_at) - interval '1 day',
       json_build_object('as_of', r.period_end, 'plan', p.title, 'measures', json_build_array())
FROM doc_plan d
JOIN measure_plans p ON p.id = d.plan_id
JOIN report_rounds r ON r.org_id = d.org_id AND r.fiscal_year = d.fiscal_year
                    AND r.kind = d.round_kind
WHERE d.doc_type = 'progress_report'
"""

# The ITA result each year's analysis memo analyses: the year before (and one more, to compare).
ITA_RESULTS = """
INSERT INTO ita_results (id, org_id, fiscal_year, overall, announced_on, updated_by_id,
                         updated_at)
SELECT (o.id - 1) * (%(years)s + 1) + y.n, o.id, y.fy,
       round(60 + pg_temp.pct(o.id * 8 + y.n, 8) * 0.39 + pg_temp.pct(o.id, 9) * 0.01, 2),
       make_date(y.fy - 543, 9, 15), pg_temp.user_id(o.id, 1),
       pg_temp.bkk(make_date(y.fy - 543, 10, 20), 10)
FROM organisations o
CROSS JOIN unnest(%(ita_years)s::int[]) WITH ORDINALITY AS y(fy, n)
"""

ITA_TOOL_SCORES = """
INSERT INTO ita_tool_scores (result_id, tool_code, score)
SELECT r.id, t.code, least(100, round(r.overall + (t.k - 2.5) * 3 + mod(r.id, 5), 2))
FROM ita_results r
CROSS JOIN unnest(ARRAY['IIT', 'EIT1', 'EIT2', 'OIT']) WITH ORDINALITY AS t(code, k)
"""

ITA_INDICATOR_SCORES = """
INSERT INTO ita_indicator_scores (result_id, indicator_no, tool_code, score)
SELECT r.id, i, '', least(100, round(r.overall + mod(r.id * i, 17) - 8, 2))
FROM ita_results r CROSS JOIN generate_series(1, 10) AS i
"""

# Created by the coordinator; started a few days into the period; done after it ended (or a week
# before today); cancelled in the second month.
MEASURE_EVENTS = """
INSERT INTO measure_events (measure_id, kind, old_status, new_status, note, actor_id, actor_name,
                            created_at, effective_date)
SELECT m.id, e.kind, e.old_status, e.new_status, e.note, u.id, u.title || u.full_name, e.at,
       CASE WHEN e.new_status IS NOT NULL THEN (e.at AT TIME ZONE 'Asia/Bangkok')::date END
FROM measures m
JOIN users u ON u.id = pg_temp.user_id(m.org_id, 1)
CROSS JOIN LATERAL (
    VALUES ('created', NULL, NULL, '', m.created_at),
           ('status', 'not_started',
            CASE WHEN m.status = 'cancelled' THEN 'cancelled' ELSE 'in_progress' END,
            CASE WHEN m.status = 'cancelled' THEN m.cancel_reason ELSE '' END,
            pg_temp.bkk(m.start_month + CASE WHEN m.status = 'cancelled' THEN 40 ELSE 5 END, 11)),
           ('status', 'in_progress', 'done', '',
            pg_temp.bkk(least(%(today)s::date - 7,
                              (m.end_month + interval '1 month')::date + 5), 11))
) AS e(kind, old_status, new_status, note, at)
WHERE e.kind = 'created'
   OR (e.old_status = 'not_started' AND m.status <> 'not_started')
   OR (e.new_status = 'done' AND m.status = 'done')
"""

# One URL per measure with progress, tied to its latest entry: one in five is the
# organisation's OIT page for the year, shared by its measures (the checker fetches it once).
EVIDENCE = """
INSERT INTO evidence (measure_id, progress_entry_id, url, title, added_by_id, added_at)
SELECT m.id, last.id,
       %(evidence_base)s || '/o' || m.org_id || '/' || p.fiscal_year
       || CASE WHEN pg_temp.pct(m.id, 10) < 20 THEN '/oit.html'
               ELSE '/m' || m.id || '.pdf' END,
       CASE WHEN pg_temp.pct(m.id, 10) < 20 THEN 'หน้าเปิดเผยข้อมูลสาธารณะ (OIT)'
            ELSE 'ภาพกิจกรรมและรายงานผล ' || m.title END,
       pg_temp.user_id(m.org_id, 1), last.created_at
FROM measures m
JOIN measure_plans p ON p.id = m.plan_id
CROSS JOIN LATERAL (SELECT e.id, e.created_at FROM progress_entries e
                    WHERE e.measure_id = m.id ORDER BY e.id DESC LIMIT 1) AS last
WHERE m.status IN ('in_progress', 'done')
"""
