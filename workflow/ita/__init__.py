"""ITA results in, analysis memo out.

catalogue  the year's tools, indicators, questions, weights and levels (plain objects)
checks     reading a catalogue file, refusing a malformed one with the line and the reason
store      shipped files (data/catalogue/*.yaml) and imported catalogues
entry      the key of every figure (form, CSV, services) and score parsing
scoring    overall, level, computed totals and their disagreements with the entered ones
results    reading, saving, importing and deleting an organisation's results
csvio      the CSV template and reading it back
analysis   the frozen data of an analysis memo: comparisons, strengths, weaknesses, plan
memo       drafting the analysis memo from that data, and refreshing it
charts     server-rendered SVG charts for the page and the PDF
annexes    the memo's attachments as tables for the PDF
"""
