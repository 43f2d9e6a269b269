-- Misstanden reports and their status history. Contact details are encrypted (base64 secretbox).
CREATE TABLE report (
  id INTEGER PRIMARY KEY,
  ref TEXT NOT NULL UNIQUE,                 -- MS-2026-000123
  conversation_id INTEGER REFERENCES conversation(id) ON DELETE SET NULL,
  channel TEXT NOT NULL,
  lang TEXT NOT NULL,
  category TEXT NOT NULL,
  description TEXT,
  municipality TEXT,
  region TEXT,
  address TEXT,
  responsible TEXT,
  started TEXT,
  ongoing TEXT,
  others TEXT,
  evidence TEXT NOT NULL DEFAULT '[]',      -- provider media references
  anonymous INTEGER NOT NULL,
  contact_enc TEXT,
  contact_lang TEXT,
  consent_ms INTEGER NOT NULL,
  queue TEXT NOT NULL,
  urgent INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'in_progress', 'referred', 'closed')),
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);
CREATE INDEX report_filter ON report (status, category, region, created_ms);

CREATE TABLE report_status (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  note TEXT,
  actor TEXT NOT NULL,
  ts_ms INTEGER NOT NULL
);
CREATE INDEX report_status_report ON report_status (report_id, ts_ms);
