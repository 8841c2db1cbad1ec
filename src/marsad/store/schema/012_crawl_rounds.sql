-- Crawl rounds: when each began and ended and how (for /healthz, /metrics and the operator). A round
-- killed outright stays 'running'; the next one starts a new row.
CREATE TABLE crawl_round (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,                 -- ISO UTC
    finished_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'running',  -- running | ok | stopped (asked to stop, at a safe point) | failed
    error TEXT,                               -- why it failed
    feeds_checked INTEGER NOT NULL DEFAULT 0,
    feeds_failed INTEGER NOT NULL DEFAULT 0,
    urls_queued INTEGER NOT NULL DEFAULT 0,
    pages_fetched INTEGER NOT NULL DEFAULT 0,
    pages_failed INTEGER NOT NULL DEFAULT 0,
    articles_new INTEGER NOT NULL DEFAULT 0,
    articles_updated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX crawl_round_finished ON crawl_round(finished_at);
