"""Evidence link checker: records each evidence URL's HTTP status and when it last worked,
without letting a URL typed by a user reach the server's own network (see `safety`)."""

from workflow.linkcheck.fetch import Result, Settings, check_url

__all__ = ["Result", "Settings", "check_url"]
