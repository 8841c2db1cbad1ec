-- Work an ingest still owes its committed articles: 'link' (stories, reposts, threads) and 'index' (search).
-- A row is written in the same transaction as the article row it names and deleted when that work is done
-- (linking: in linking's own transaction; indexing: after the search index commits), so a process killed
-- between the commit and the linking or indexing leaves the work recorded for the next command to finish.
-- seq grows with every mark: a mark written again (the article changed once more) is not cleared by work
-- that read the article before it.
CREATE TABLE IF NOT EXISTS pending_work (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                    -- link | index
    UNIQUE (kind, article_id)
);
