-- Alerting (docs/ALERTS.md): viral-risk and complaint-spike alerts, engagement snapshots of posts, the engage /
-- monitor / ignore recommendation on each inbound message, each workspace's alert policy, and the spike detector's
-- saved state. workspace_id leads every key.

-- {action, score, reasons: [{code, weight, text}], signals: [...]} — written by ingest, shown by the UI.
ALTER TABLE message ADD COLUMN recommendation jsonb;

-- The spike job reads inbound messages in the order they were received.
CREATE INDEX message_received ON message (workspace_id, received_at, id) WHERE direction = 'inbound';

CREATE TABLE alert_policy (
  workspace_id uuid PRIMARY KEY REFERENCES workspace (id),
  document jsonb NOT NULL,
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alert (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('viral_risk', 'spike')),
  -- one alert per post ('viral:<message id>') and per spike ('spike:<dimension>:<key>:<opened at, epoch ms>').
  dedupe_key text NOT NULL,
  title text NOT NULL,
  -- viral_risk: the risk score (0-100); spike: observed / expected in the window that raised it.
  score real NOT NULL,
  dimension text CHECK (dimension IN ('topic', 'rule', 'channel')),
  series_key text,
  message_id uuid,
  case_id uuid,
  example_message_ids uuid[] NOT NULL DEFAULT '{}',
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  raised_at timestamptz NOT NULL,
  started_at timestamptz NOT NULL,
  -- spikes: when the rate came back to its baseline.
  ended_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, message_id) REFERENCES message (workspace_id, id),
  FOREIGN KEY (workspace_id, acknowledged_by) REFERENCES app_user (workspace_id, id)
);
CREATE UNIQUE INDEX alert_dedupe ON alert (workspace_id, dedupe_key);
CREATE INDEX alert_recent ON alert (workspace_id, raised_at, id);

-- Engagement counts of a post as observed over time (the velocity of viral risk).
CREATE TABLE post_engagement (
  workspace_id uuid NOT NULL,
  message_id uuid NOT NULL,
  observed_at timestamptz NOT NULL,
  replies integer NOT NULL CHECK (replies >= 0),
  reposts integer NOT NULL CHECK (reposts >= 0),
  quotes integer NOT NULL CHECK (quotes >= 0),
  likes integer NOT NULL CHECK (likes >= 0),
  follower_count integer,
  PRIMARY KEY (workspace_id, message_id, observed_at),
  FOREIGN KEY (workspace_id, message_id) REFERENCES message (workspace_id, id)
);

-- The spike detector of each workspace between runs: how far it has read and its baselines (JSON).
CREATE TABLE alert_detector (
  workspace_id uuid PRIMARY KEY REFERENCES workspace (id),
  cursor_received_at timestamptz NOT NULL,
  cursor_message_id uuid NOT NULL,
  state jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
