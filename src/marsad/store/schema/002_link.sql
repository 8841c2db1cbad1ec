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
