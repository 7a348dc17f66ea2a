"""Notifications: in-app messages, e-mail over SMTP, and the daily reminder run."""
