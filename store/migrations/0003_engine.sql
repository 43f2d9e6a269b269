-- What the engine learns for content managers and funders, and the staff queue entries.
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  ts_ms INTEGER NOT NULL,
  article_id TEXT NOT NULL,
  lang TEXT NOT NULL,
  helpful INTEGER NOT NULL
);
CREATE INDEX feedback_article ON feedback (article_id);

-- Questions without a confident answer; text masked of personal data, not linked to a person.
CREATE TABLE unanswered (
  id INTEGER PRIMARY KEY,
  ts_ms INTEGER NOT NULL,
  lang TEXT NOT NULL,
  text TEXT NOT NULL,
  confidence REAL NOT NULL,
  suggestions TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'added'))
);
CREATE INDEX unanswered_open ON unanswered (status, lang);

-- Aggregate counts only: what is asked, in which language, through which channel, where.
CREATE TABLE stats_daily (
  day TEXT NOT NULL,
  channel TEXT NOT NULL,
  lang TEXT NOT NULL,
  topic TEXT NOT NULL,       -- article id, or '' when not answered
  region TEXT NOT NULL,      -- labour-market region from the profile, or ''
  count INTEGER NOT NULL,
  PRIMARY KEY (day, channel, lang, topic, region)
) WITHOUT ROWID;

CREATE TABLE handoff (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
  reason TEXT NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN ('urgent', 'normal')),
  desk TEXT,
  lang TEXT,
  status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'assigned', 'closed', 'returned')),
  queued_ms INTEGER NOT NULL,
  assigned_to INTEGER,
  closed_ms INTEGER
);
CREATE INDEX handoff_open ON handoff (status, priority, queued_ms);
