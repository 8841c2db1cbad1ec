-- Topics: the named things that recur in the archive, mined from it (marsad.link.topics), and the articles
-- that name them. A topic mined again keeps its row (and id) by its key.

CREATE TABLE IF NOT EXISTS topic (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,              -- the normalised name, each word without the article
    name TEXT NOT NULL,                    -- its most common form as published
    variants TEXT NOT NULL DEFAULT '[]',   -- JSON [[form as published, occurrences], ...], most common first
    keys TEXT NOT NULL DEFAULT '[]',       -- JSON: every normalised key it is found by (spelling variants)
    strength REAL NOT NULL DEFAULT 0,      -- cohesion x log2(1 + stories) x log2(1 + outlets) when mined
    article_count INTEGER NOT NULL DEFAULT 0,
    story_count INTEGER NOT NULL DEFAULT 0,
    outlet_count INTEGER NOT NULL DEFAULT 0,
    day_count INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT,
    last_seen TEXT,
    mined_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS topic_strength ON topic(strength);

CREATE TABLE IF NOT EXISTS article_topic (
    topic_id INTEGER NOT NULL REFERENCES topic(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    PRIMARY KEY (topic_id, article_id)
);
CREATE INDEX IF NOT EXISTS article_topic_article ON article_topic(article_id);
