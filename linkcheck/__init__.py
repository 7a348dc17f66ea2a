"""Evidence link checker: records each evidence URL's HTTP status and when it last worked,
without letting a URL typed by a user reach the server's own network (see `safety`)."""

from linkcheck.fetch import Result, Settings, check_url
from linkcheck.run import Summary, check_all

__all__ = ["Result", "Settings", "Summary", "check_all", "check_url"]
