"""Search: a Tantivy index beside the database, fed with Marsad's own Arabic analysis.

    index_articles(store, ids)   add or update articles (hidden ones leave the index); ingest calls it
    reindex(store)               rebuild the index from SQLite
    search(store, query, ...)    -> SearchResult(total, facets, hits)

See query.py for the query language and snippets.py for how highlights find the words as published.
"""

from marsad.search.engine import Hit, SearchResult, search, search_ids
from marsad.search.index import IndexUnavailable, index_articles, index_path, reindex
from marsad.search.query import QueryError, parse

__all__ = [
    "Hit",
    "IndexUnavailable",
    "QueryError",
    "SearchResult",
    "index_articles",
    "index_path",
    "parse",
    "reindex",
    "search",
    "search_ids",
]
