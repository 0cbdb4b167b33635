-- Monitoring rules: what each workspace listens for on the open social web (rule language: docs/LISTENING.md).
-- Every listening process compiles the enabled rules of all workspaces into one matcher and reloads it when
-- count(*) / max(updated_at) / the id-and-time checksum of this table changes.

CREATE TABLE monitoring_rule (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL,
  tag text NOT NULL CHECK (tag IN ('brand', 'product', 'competitor', 'other')),
  query text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, created_by) REFERENCES app_user (workspace_id, id)
);
CREATE UNIQUE INDEX monitoring_rule_name ON monitoring_rule (workspace_id, lower(name));

-- Testing a rule reads the workspace's latest messages.
CREATE INDEX message_recent ON message (workspace_id, sent_at);
