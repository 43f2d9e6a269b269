-- Conversations, their messages, provider de-duplication, the outbox and the audit log.
CREATE TABLE conversation (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,              -- the channel's address of the person (webchat: session hash)
  lang TEXT,
  lang_source TEXT,
  mode TEXT NOT NULL DEFAULT 'bot' CHECK (mode IN ('bot', 'queued', 'human')),
  state TEXT NOT NULL DEFAULT '{}',   -- engine state (JSON)
  profile TEXT NOT NULL DEFAULT '{}', -- audience, municipality, ... (JSON)
  next_seq INTEGER NOT NULL DEFAULT 1,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  last_inbound_ms INTEGER,
  UNIQUE (channel, address)
);

CREATE TABLE message (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  sender TEXT NOT NULL CHECK (sender IN ('person', 'bot', 'staff', 'system')),
  text TEXT NOT NULL,
  payload TEXT,
  choices TEXT,                        -- JSON array of {id, label}
  provider_message_id TEXT,
  created_ms INTEGER NOT NULL,
  UNIQUE (conversation_id, seq)
);

-- Providers redeliver; an inbound message id is processed once.
CREATE TABLE inbound_seen (
  channel TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  PRIMARY KEY (channel, provider_message_id)
) WITHOUT ROWID;

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  message_id INTEGER NOT NULL REFERENCES message(id) ON DELETE CASCADE,
  channel TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  last_error TEXT,
  created_ms INTEGER NOT NULL,
  sent_ms INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_ms);
CREATE INDEX outbox_conversation ON outbox (conversation_id, id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  ts_ms INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  detail TEXT
);
CREATE INDEX audit_subject ON audit_log (subject, ts_ms);

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
