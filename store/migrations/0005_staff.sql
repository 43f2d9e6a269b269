-- Staff accounts, login sessions, API tokens, conversation notes.
CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'content-manager', 'admin')),
  queues TEXT NOT NULL DEFAULT '[]',        -- JSON list of queue ids the person works in
  languages TEXT NOT NULL DEFAULT '[]',     -- JSON list of locales the person speaks
  password_hash TEXT NOT NULL,              -- Argon2id (libsodium crypto_pwhash_str)
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until_ms INTEGER NOT NULL DEFAULT 0,
  available INTEGER NOT NULL DEFAULT 1,
  created_ms INTEGER NOT NULL
);

CREATE TABLE staff_session (
  token_hash TEXT PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'cookie' CHECK (kind IN ('cookie', 'api')),
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE conversation_note (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  text TEXT NOT NULL,
  ts_ms INTEGER NOT NULL
);

ALTER TABLE handoff ADD COLUMN queue TEXT NOT NULL DEFAULT 'general';
ALTER TABLE handoff ADD COLUMN rating INTEGER;
