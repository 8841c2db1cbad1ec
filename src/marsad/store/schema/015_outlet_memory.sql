-- Outlet memory: each page as fetched, the lines each outlet repeats, and what re-extraction changed.

-- The page an html or text article was extracted from, as fetched, so that `marsad reextract` can read it
-- again with the outlet's current profile (the newest page of the article's URL).
CREATE TABLE IF NOT EXISTS page (
    article_id INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
    url TEXT NOT NULL,                     -- the page's own URL (the article's may be its canonical one)
    kind TEXT NOT NULL,                    -- html | text
    content BLOB NOT NULL,                 -- zlib: the bytes as fetched (a str page: its UTF-8)
    is_text INTEGER NOT NULL DEFAULT 0,    -- the source handed over text (a decoded text dump), not bytes
    size INTEGER NOT NULL,                 -- bytes before compression
    content_type TEXT NOT NULL DEFAULT '',
    encoding TEXT,                         -- the transport's charset label
    fetched_at TEXT,
    origin TEXT,
    outlet_hint TEXT
);

-- Per outlet, how many of its pages were counted, and on how many of them each line (paragraph, under its
-- chrome key) appears: a new page adds its lines, an updated one first takes its old ones back, so the
-- profile never needs the pages read again. `line` is kept once the line is on two pages (only recurring
-- lines can be chrome); `hash` is the first 8 bytes of BLAKE2b of the key.
CREATE TABLE IF NOT EXISTS outlet_pages (
    source_id INTEGER PRIMARY KEY REFERENCES source(id) ON DELETE CASCADE,
    pages INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS outlet_line (
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    hash INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    line TEXT,
    PRIMARY KEY (source_id, hash)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outlet_line_recurring ON outlet_line(source_id, pages) WHERE line IS NOT NULL;
-- The lines each counted article gave its outlet (packed 8-byte hashes): what an update takes back.
CREATE TABLE IF NOT EXISTS article_lines (
    article_id INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL,
    hashes BLOB NOT NULL
);

-- What re-extraction changed in an article's body: the paragraphs dropped (with their place in the body
-- before) and added (with their place after), so the body before can always be rebuilt.
CREATE TABLE IF NOT EXISTS extraction_change (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    source TEXT NOT NULL,                  -- page (the kept page extracted again) | stored (its stored paragraphs)
    profile_pages INTEGER NOT NULL,        -- how many of the outlet's pages its profile was learnt from
    dropped TEXT NOT NULL DEFAULT '[]',    -- JSON [[index before, paragraph], ...]
    added TEXT NOT NULL DEFAULT '[]',      -- JSON [[index after, paragraph], ...]
    title_before TEXT                      -- set when the title changed too
);
CREATE INDEX IF NOT EXISTS extraction_change_article ON extraction_change(article_id);
