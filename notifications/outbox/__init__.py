"""Instant notifications of memo events, through an outbox.

- events.py: `record()` — the one call the services in workflow/ make; it writes the event, the
  in-app notifications and the e-mail/LINE deliveries in the decision's own transaction.
- recipients.py: who hears of which event.
- texts.py: what each channel says (Thai; e-mail as HTML with a plain-text part).
- sender.py: claims due deliveries (FOR UPDATE SKIP LOCKED, a token and a lease), sends them,
  records each one's result; retried with back-off; `flask notify work|pending`.
- after_commit.py: in development and tests, the request delivers its own events once it
  has committed (no extra process); production runs `flask notify work --watch`.
- preferences.py, digest.py: per person and channel (in-app: instant or off; e-mail and LINE:
  instant, the 07:30 digest on working days, or off); the executives' morning digest, by e-mail
  and, for those who chose it, as one LINE push.
- line.py: the LINE Messaging API (line-bot-sdk v3), the encrypted token, account linking and
  the monthly meter.
"""
