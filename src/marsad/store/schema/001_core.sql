-- Core tables: outlets, articles as published, and failures kept with their reason.

CREATE TABLE source (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,              -- stable slug: host name or normalised outlet name
    name TEXT NOT NULL,                    -- as shown, usually Arabic
    name_latin TEXT,
    home_url TEXT,
    feed_urls TEXT NOT NULL DEFAULT '[]',  -- JSON list
    country TEXT,
    is_aggregator INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);

CREATE TABLE article (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,              -- canonical URL: one row per article
    source_id INTEGER REFERENCES source(id),
    title TEXT NOT NULL,                   -- as published
    body TEXT NOT NULL,                    -- paragraphs as published, joined by "\n"
    summary TEXT,
    author TEXT,
    published TEXT,                        -- ISO 8601, NULL when the page states none
    precision TEXT,                        -- minute | day | month | quarter | year
    fetched_at TEXT,
    language TEXT,
    categories TEXT NOT NULL DEFAULT '[]', -- JSON list
    original_outlet TEXT,                  -- the outlet a repost names
    original_url TEXT,                     -- "read at the source"
    images TEXT NOT NULL DEFAULT '[]',     -- JSON list of {url, caption}
    page_extra TEXT NOT NULL DEFAULT '{}', -- JSON: ticker, previous/next titles and URLs
    origin TEXT,                           -- where the page came from
    kind TEXT,                             -- the page it was extracted from: html | text | record
    content_hash TEXT NOT NULL,            -- sha256 of title and body as published
    duplicate_of INTEGER REFERENCES article(id),
    story_id INTEGER,
    hidden INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at TEXT
);
CREATE INDEX article_published ON article(published);
CREATE INDEX article_source ON article(source_id, published);
CREATE INDEX article_story ON article(story_id);
CREATE INDEX article_duplicate ON article(duplicate_of);

CREATE TABLE failure (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,                  -- file, URL or archive record
    url TEXT,
    stage TEXT NOT NULL,                   -- read | decode | fetch | extract | store | link | index
    reason TEXT NOT NULL,                  -- one clear sentence
    content BLOB,                          -- the input, capped, so nothing is lost
    seen_count INTEGER NOT NULL DEFAULT 1, -- how many runs met this same failure
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    last_seen TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
-- The same input failing the same way again is one row (seen_count goes up), not a new one.
CREATE UNIQUE INDEX failure_key ON failure(origin, coalesce(url, ''), stage, reason);
