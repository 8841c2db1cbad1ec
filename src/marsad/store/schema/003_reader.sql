-- The reader's writes: reports on articles and images, hidden images, moderation decisions, settings and
-- the per-client report attempts used for rate limiting. Nothing here is ever deleted.

CREATE TABLE setting (
    key TEXT PRIMARY KEY,                  -- client_salt, session_secret, admin_password, report_threshold
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);

CREATE TABLE report (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES article(id),
    image_url TEXT NOT NULL DEFAULT '',    -- '' for a report on the article itself
    client TEXT NOT NULL,                  -- salted sha256 of address and user agent, never the address
    reason TEXT NOT NULL DEFAULT '',
    round INTEGER NOT NULL DEFAULT 0,      -- moderation round: a restore starts a new one
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    UNIQUE (article_id, image_url, client, round)
);
CREATE INDEX report_item ON report(article_id, image_url, round);

-- One row per reported item: its state and the round its counting is in.
CREATE TABLE flag (
    article_id INTEGER NOT NULL REFERENCES article(id),
    image_url TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'reported', -- reported | hidden | restored | confirmed
    round INTEGER NOT NULL DEFAULT 0,
    hidden_at TEXT,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (article_id, image_url)
);
CREATE INDEX flag_state ON flag(state, updated_at);

CREATE TABLE moderation (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES article(id),
    image_url TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,                  -- auto-hide | restore | confirm
    actor TEXT NOT NULL,                   -- 'reports' for automatic hiding, else 'moderator'
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX moderation_item ON moderation(article_id, image_url);

CREATE TABLE report_attempt (
    client TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX report_attempt_client ON report_attempt(client, created_at);
