-- Parley's foundation schema. Every table carries workspace_id and leads its keys with it, so the tables can be
-- distributed by workspace (Citus) without changing a query.

CREATE TABLE workspace (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX app_user_email ON app_user (workspace_id, lower(email));
CREATE INDEX app_user_login ON app_user (lower(email));

CREATE TABLE user_session (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  token_hash text NOT NULL,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES app_user (workspace_id, id)
);
CREATE UNIQUE INDEX user_session_token ON user_session (token_hash);

CREATE TABLE api_token (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  name text NOT NULL,
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES app_user (workspace_id, id)
);
CREATE UNIQUE INDEX api_token_hash ON api_token (token_hash);

CREATE TABLE channel (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  kind text NOT NULL,
  name text NOT NULL,
  -- owned: the brand's own account or inbox (every message passes); otherwise a listening source.
  owned boolean NOT NULL DEFAULT true,
  config jsonb NOT NULL DEFAULT '{}'::jsonb,
  credentials_encrypted text,
  token_hash text,
  sync_cursor text,
  sync_stage text NOT NULL DEFAULT 'idle',
  failure_count integer NOT NULL DEFAULT 0,
  last_success_at timestamptz,
  health text NOT NULL DEFAULT 'idle' CHECK (health IN ('idle', 'connected', 'lagging', 'failing')),
  health_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX channel_token ON channel (token_hash) WHERE token_hash IS NOT NULL;

CREATE TABLE customer (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  display_name text NOT NULL,
  vulnerable boolean NOT NULL DEFAULT false,
  merged_into_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE customer_identity (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('handle', 'email', 'phone')),
  -- the platform for handles (x, bluesky, ...); 'email' or 'phone' otherwise.
  platform text NOT NULL,
  value text NOT NULL,
  verified boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customer (workspace_id, id)
);
CREATE UNIQUE INDEX customer_identity_value ON customer_identity (workspace_id, kind, platform, value);
CREATE INDEX customer_identity_customer ON customer_identity (workspace_id, customer_id);

CREATE TABLE author (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  platform text NOT NULL,
  external_id text NOT NULL,
  handle text,
  display_name text,
  follower_count integer,
  customer_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customer (workspace_id, id)
);
CREATE UNIQUE INDEX author_identity ON author (workspace_id, platform, external_id);
CREATE INDEX author_customer ON author (workspace_id, customer_id);

CREATE TABLE cases (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('new', 'open', 'waiting', 'resolved', 'closed')),
  priority text NOT NULL CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
  priority_rank smallint NOT NULL,
  priority_reason text,
  priority_overridden boolean NOT NULL DEFAULT false,
  severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  urgency real NOT NULL DEFAULT 0,
  topic text,
  subject text NOT NULL,
  customer_id uuid NOT NULL,
  assignee_id uuid,
  escalation_tier smallint NOT NULL DEFAULT 0,
  channel_id uuid NOT NULL,
  channel_kind text NOT NULL,
  message_count integer NOT NULL DEFAULT 0,
  inbound_count integer NOT NULL DEFAULT 0,
  first_message_at timestamptz NOT NULL,
  last_message_at timestamptz NOT NULL,
  last_inbound_at timestamptz,
  first_response_due_at timestamptz,
  next_response_due_at timestamptz,
  resolution_due_at timestamptz,
  first_responded_at timestamptz,
  resolved_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customer (workspace_id, id),
  FOREIGN KEY (workspace_id, channel_id) REFERENCES channel (workspace_id, id)
);
CREATE INDEX cases_queue ON cases (workspace_id, priority_rank, next_response_due_at, first_message_at, id)
  WHERE status IN ('new', 'open', 'waiting');
CREATE INDEX cases_customer_open ON cases (workspace_id, customer_id, last_message_at)
  WHERE status IN ('new', 'open', 'waiting');

CREATE TABLE message (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  channel_id uuid NOT NULL,
  case_id uuid,
  author_id uuid,
  -- for outbound messages: who spoke for the brand (an agent's name or the brand account's handle).
  sender_name text,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  external_id text NOT NULL,
  reply_to_external_id text,
  is_public boolean NOT NULL DEFAULT true,
  text text NOT NULL,
  raw jsonb,
  labels jsonb,
  model_version text,
  matched_rule_ids text[] NOT NULL DEFAULT '{}',
  sent_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, channel_id) REFERENCES channel (workspace_id, id),
  FOREIGN KEY (workspace_id, case_id) REFERENCES cases (workspace_id, id),
  FOREIGN KEY (workspace_id, author_id) REFERENCES author (workspace_id, id)
);
CREATE UNIQUE INDEX message_external ON message (workspace_id, channel_id, external_id);
CREATE INDEX message_case ON message (workspace_id, case_id, sent_at);
CREATE INDEX message_reply_to ON message (workspace_id, channel_id, reply_to_external_id);

CREATE TABLE note (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  user_id uuid NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, case_id) REFERENCES cases (workspace_id, id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES app_user (workspace_id, id)
);
CREATE INDEX note_case ON note (workspace_id, case_id, created_at);

-- Append-only: every case change. Feeds the live UI, alerts and analytics.
CREATE TABLE event (
  workspace_id uuid NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  type text NOT NULL,
  case_id uuid,
  actor_user_id uuid,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, seq)
);
CREATE INDEX event_case ON event (workspace_id, case_id, seq);
