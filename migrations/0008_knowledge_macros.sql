-- Policy articles the composer suggests, searchable with PostgreSQL full-text search, and reply macros.

CREATE TABLE kb_article (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  topics text[] NOT NULL DEFAULT '{}',
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
  ) STORED,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX kb_article_search ON kb_article USING gin (search);
CREATE INDEX kb_article_topics ON kb_article USING gin (topics);

CREATE TABLE macro (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL,
  body text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX macro_name ON macro (workspace_id, lower(name));
