-- The knowledge base as versioned documents ("kb/<id>.json", "desks.json", ...). A release records
-- the documents that changed; the state at release R is, per name, the newest row at or below R.
CREATE TABLE kb_release (
  version INTEGER PRIMARY KEY,
  created_ms INTEGER NOT NULL,
  author TEXT NOT NULL,
  note TEXT
);

CREATE TABLE kb_document (
  name TEXT NOT NULL,
  release INTEGER NOT NULL REFERENCES kb_release(version),
  body TEXT,                          -- NULL: the document was removed in this release
  PRIMARY KEY (name, release)
) WITHOUT ROWID;

CREATE TABLE kb_draft (
  name TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  author TEXT NOT NULL,
  updated_ms INTEGER NOT NULL
);
