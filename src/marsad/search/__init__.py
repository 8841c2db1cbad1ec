"""Search: a Tantivy index beside the database, fed with Marsad's own Arabic analysis.

    index_articles(store, ids)   add or update articles (hidden ones leave the index); ingest and
                                 moderation call it
    reindex(store)               rebuild the index from SQLite (`marsad reindex`)
    search(store, query, ...)    -> SearchResult(total, facets, hits, relaxed)
    search_ids(store, query)     every matching article id (strict), for exports and checks

Both searches raise QueryError when the query itself cannot run (its message is for the reader) and
IndexUnavailable when the index is missing, stale or locked (`marsad reindex`); both are SearchErrors.

How it behaves:
- The index lives in `<db path>.index/`. SQLite is the source of truth; the index holds analysed terms
  (`marsad.arabic.analyse`, the same function at query time), outlet id, date, month, categories and
  language. An index built by another analyser version is refused until `marsad reindex`.
- It is split by article id into two shards; a query that visits many documents searches both at once,
  on two threads. Word weights (idf) are those of the whole index.
- Hidden articles leave the index (and are dropped at query time even if the index lags behind).
  Duplicates stay searchable; `collapse=True` folds them, and the articles of one story, into one hit
  (story and duplicate links are read from SQLite at query time, so relinking needs no reindex).
- Relevance is BM25 (the title is indexed twice, so its words weigh double) times a mild recency factor, at most +10%, halving every
  30 days back from the newest candidate. `sort="newest"` orders by date.
- `total` counts matching articles; facets count every match, by outlet name and by month as published.
- `since`/`until` take "2018", "2018-05", "2018-05-31" (whole periods, UTC) or datetimes.
- When no article has every word, the query is retried asking for about two words in three and the
  result says `relaxed=True`.

See query.py for the query language and snippets.py for how highlights find the words as published.
"""

from marsad.search.engine import Hit, SearchResult, search, search_ids
from marsad.search.errors import IndexUnavailable, QueryError, SearchError
from marsad.search.index import index_articles, index_path, reindex
from marsad.search.query import parse

__all__ = [
    "Hit",
    "IndexUnavailable",
    "QueryError",
    "SearchError",
    "SearchResult",
    "index_articles",
    "index_path",
    "parse",
    "reindex",
    "search",
    "search_ids",
]
