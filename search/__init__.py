"""Search over memos, reports and measures, in Thai and English.

    tokens   cutting text into words (pythainlp newmm) for the index and for a query
    index    the search_index rows, kept in step with the data at each commit; reindex_all
    query    search(): match, rank, filter and page, only what the user may see
    excerpt  the query's words marked in a title and an excerpt, the rest escaped

The app factory calls `init_app`, which registers the session listeners that keep the index in
step with every commit.
"""

from flask import Flask

from search.index import listen, refresh, reindex_all
from search.query import PAGE_SIZE, Hit, Results, search

__all__ = ["PAGE_SIZE", "Hit", "Results", "init_app", "refresh", "reindex_all", "search"]


def init_app(app: Flask) -> None:
    """Keep the search index in step with the data from now on (for any session)."""
    listen()
