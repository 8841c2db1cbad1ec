-- Crawl state: which outlets are crawled, their feeds and sitemaps with HTTP validators, the queue of
-- article URLs (in the database, so a stopped crawl resumes where it was) and each outlet's health.

-- 1 for outlets an operator added with `marsad sources add` (0: known only from ingested articles).
ALTER TABLE source ADD COLUMN crawl INTEGER NOT NULL DEFAULT 0;

CREATE TABLE crawl_feed (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    url TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'feed',       -- feed (RSS/Atom) | sitemap
    etag TEXT,                               -- validators of the last 200 answer
    last_modified TEXT,
    next_due TEXT NOT NULL DEFAULT '',       -- ISO UTC; '' = due now
    last_checked TEXT,
    last_status INTEGER,
    last_error TEXT,
    consecutive_errors INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX crawl_feed_source ON crawl_feed(source_id);

CREATE TABLE crawl_queue (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    source_id INTEGER REFERENCES source(id) ON DELETE CASCADE,
    found_in TEXT,                           -- the feed or sitemap that listed it
    state TEXT NOT NULL DEFAULT 'queued',    -- queued | done | failed
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before TEXT NOT NULL DEFAULT '',     -- ISO UTC: no retry before this
    queued_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    fetched_at TEXT,
    status INTEGER,                          -- last HTTP status
    etag TEXT,
    last_modified TEXT,
    error TEXT                               -- last error, one sentence
);
CREATE INDEX crawl_queue_due ON crawl_queue(state, not_before, id);
CREATE INDEX crawl_queue_source ON crawl_queue(source_id, state);

CREATE TABLE crawl_health (
    source_id INTEGER PRIMARY KEY REFERENCES source(id) ON DELETE CASCADE,
    last_success TEXT,                       -- last feed or page fetched without error
    last_error TEXT,
    last_error_at TEXT,
    errors INTEGER NOT NULL DEFAULT 0,       -- fetch errors, all time
    pages INTEGER NOT NULL DEFAULT 0         -- pages fetched and handed to ingest, all time
);

-- robots.txt per origin ("https://host:port"), kept between crawls and revalidated conditionally.
CREATE TABLE crawl_robots (
    origin TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT NOT NULL
);
