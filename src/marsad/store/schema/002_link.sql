-- Linking: stories (one event, several outlets, days), threads (one matter, months) and dated events.

CREATE TABLE thread (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    story_count INTEGER NOT NULL DEFAULT 0,
    terms TEXT NOT NULL DEFAULT '[]',      -- JSON: the distinctive terms that chain its stories
    updated_at TEXT
);

CREATE TABLE story (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,                   -- the representative (most central) headline
    representative_id INTEGER REFERENCES article(id),
    first_seen TEXT,
    last_seen TEXT,
    thread_id INTEGER REFERENCES thread(id),
    article_count INTEGER NOT NULL DEFAULT 0,
    outlet_count INTEGER NOT NULL DEFAULT 0,
    outlets TEXT NOT NULL DEFAULT '[]',    -- JSON list of outlet names
    updated_at TEXT
);
CREATE INDEX story_thread ON story(thread_id);
CREATE INDEX story_last_seen ON story(last_seen);

CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER REFERENCES thread(id),
    story_id INTEGER REFERENCES story(id),
    article_id INTEGER NOT NULL REFERENCES article(id),
    date TEXT NOT NULL,                    -- ISO at its precision: 2017-09-20, 2017-11, 2018-Q1, 2018
    precision TEXT NOT NULL,
    text TEXT NOT NULL,                    -- the sentence the date was found in, as published
    span_start INTEGER,
    span_end INTEGER
);
CREATE INDEX event_thread ON event(thread_id, date);
CREATE INDEX event_article ON event(article_id);
CREATE INDEX event_story ON event(story_id);

-- Link state: what incremental linking needs to go on where it stopped, without re-reading the archive.

-- One row per linked article: its MinHash signature (128 x uint32, little-endian) and shingle count for
-- verifying repost candidates, and its tf-idf vector (JSON) for story centroids and representatives.
CREATE TABLE link_doc (
    article_id INTEGER PRIMARY KEY REFERENCES article(id),
    seq INTEGER NOT NULL,                  -- link order
    at TEXT,                               -- the time linking used (published, or estimated)
    signature BLOB NOT NULL,
    shingle_count INTEGER NOT NULL,
    vector TEXT NOT NULL DEFAULT '{}',
    in_centroid INTEGER NOT NULL DEFAULT 0, -- 1 when the vector counts in its story's centroid
    events_done INTEGER NOT NULL DEFAULT 0  -- 1 once its dated events are in `event`
);
CREATE INDEX link_doc_seq ON link_doc(seq);

-- LSH buckets: one row per (band, article); key mixes the band number and its two MinHash values.
CREATE TABLE lsh_band (
    key INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;

-- Document frequencies of analysed terms (idf learned from the store) and a few counters.
CREATE TABLE term_df (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE link_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Story and thread centroids (JSON term -> weight), numbers and places, kept so linking resumes exactly.
CREATE TABLE story_state (
    story_id INTEGER PRIMARY KEY REFERENCES story(id),
    centroid TEXT NOT NULL,
    numbers TEXT NOT NULL DEFAULT '[]',
    places TEXT NOT NULL DEFAULT '[]',
    members INTEGER NOT NULL DEFAULT 0,
    first_at TEXT,
    last_at TEXT
);
CREATE INDEX story_state_last ON story_state(last_at);

CREATE TABLE thread_state (
    thread_id INTEGER PRIMARY KEY REFERENCES thread(id),
    profile TEXT NOT NULL,
    last_at TEXT
);
CREATE INDEX thread_state_last ON thread_state(last_at);
