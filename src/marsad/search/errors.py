"""Why a search cannot be answered, one class per cause, so that callers tell them apart by type.

- `QueryError`: the query itself cannot run (an unclosed quote, too long, an unknown outlet, a date it
  cannot read, a start after the end). The reader can fix it: show the message.
- `IndexUnavailable`: the index is missing, was built by another analyser or an older Marsad, or another
  process holds it. The operator fixes it (`marsad reindex`); a reader can be answered some other way.

Both are `SearchError`s, and their messages are written for the person who can act on them.
"""

from __future__ import annotations


class SearchError(Exception):
    """A search that cannot be answered; the message says why."""


class QueryError(SearchError, ValueError):
    """A query that cannot be searched; the message says why, in words a reader understands."""


class IndexUnavailable(SearchError, RuntimeError):
    """The index is missing, locked by another writer, or from an older Marsad: say what to do."""
