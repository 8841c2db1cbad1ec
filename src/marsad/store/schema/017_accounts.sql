-- Accounts with a role: admin (everything), editor (moderation), reader (their own watchlists and follows).
-- `generation` is the account's session generation: a signed session cookie carries the one it was made
-- in, and a sign-out, a new password or disabling the account sets a new one, ending those sessions.

CREATE TABLE IF NOT EXISTS account (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,             -- lower-cased as given: the sign-in name
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reader')),
    password TEXT NOT NULL,                -- scrypt$<salt b64>$<digest b64>
    created_at TEXT NOT NULL,              -- ISO-8601 UTC
    disabled INTEGER NOT NULL DEFAULT 0,
    generation TEXT NOT NULL DEFAULT '0'
);

-- The one moderator's password, as `marsad admin set-password` kept it, becomes the account "admin".
INSERT INTO account(name, role, password, created_at)
SELECT 'admin', 'admin', value, updated_at FROM setting WHERE key = 'admin_password'
ON CONFLICT (name) DO NOTHING;
DELETE FROM setting WHERE key = 'admin_password';
-- From now on a decision's moderation.actor is "account:NAME", the account that decided ('reports' for an
-- automatic hide and 'moderator' for older decisions as before).
