"""The home page and the user's own work.

waiting  memos waiting for me, moving below me, my own in review; working days waited
home     the executive home page: waiting, late measures by unit, report deadlines, ITA
work     my drafts, returned to me (reason first), my measures with their next update
ita_slot the latest ITA result and trend chart, when the ITA area is installed
setup    the first-run checklist of a new organisation, and the target working days
"""
