-- Watchlists: what a reader follows (a saved search, a thread, a story, an outlet or a topic), the articles
-- that matched it with the time they arrived, and the alerts owed and sent (webhook, e-mail) with every attempt.

CREATE TABLE watchlist (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,                    -- search | thread | story | outlet | topic
    query TEXT NOT NULL DEFAULT '',        -- search: the query as written; topic: the name as given
    target TEXT,                           -- thread or story id, outlet key or name, topic's normalised name
    filters TEXT NOT NULL DEFAULT '{}',    -- JSON of a search's filters: outlet, category, since, until
    owner TEXT,                            -- the account's name; NULL: made by the operator (CLI)
    feed_token TEXT NOT NULL UNIQUE,       -- in the private feed's URL
    secret TEXT NOT NULL,                  -- HMAC key of webhook signatures
    webhook_url TEXT,
    email TEXT,
    delivery TEXT NOT NULL DEFAULT 'immediate', -- immediate | daily (e-mail digest)
    created_at TEXT NOT NULL,
    webhook_through INTEGER NOT NULL DEFAULT 0, -- watch_match.id last handed to a webhook delivery
    email_through INTEGER NOT NULL DEFAULT 0,   -- watch_match.id last handed to an e-mail delivery
    email_last_at TEXT                     -- when the last e-mail delivery was made up (digest schedule)
);
CREATE INDEX watchlist_owner ON watchlist(owner);

CREATE TABLE watch_match (
    id INTEGER PRIMARY KEY,
    watchlist_id INTEGER NOT NULL REFERENCES watchlist(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES article(id),
    arrived_at TEXT NOT NULL,
    UNIQUE (watchlist_id, article_id)
);

-- One row per alert owed: the articles it carries, until it is sent (or given up after its last attempt).
CREATE TABLE watch_delivery (
    id INTEGER PRIMARY KEY,
    watchlist_id INTEGER NOT NULL REFERENCES watchlist(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,                 -- webhook | email
    articles TEXT NOT NULL,                -- JSON list of article ids
    attempt INTEGER NOT NULL DEFAULT 0,    -- attempts made
    status TEXT NOT NULL DEFAULT 'pending', -- pending | sent | failed (no attempt left)
    error TEXT,                            -- the last attempt's error
    created_at TEXT NOT NULL,
    next_try_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX watch_delivery_due ON watch_delivery(status, next_try_at);

-- Every attempt, as it went.
CREATE TABLE watch_attempt (
    id INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES watch_delivery(id) ON DELETE CASCADE,
    watchlist_id INTEGER NOT NULL,
    channel TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL,                  -- sent | failed
    error TEXT,
    at TEXT NOT NULL,
    next_try_at TEXT                       -- when the next attempt is due (after a failure)
);
CREATE INDEX watch_attempt_watchlist ON watch_attempt(watchlist_id, id);
