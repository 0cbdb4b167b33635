-- Reports, competitor watch and outbound webhooks (docs/REPORTS.md, docs/WEBHOOKS.md).

-- Competitor watch: the official accounts of competitors, per platform. When one of them replies to a post of one
-- of our customers, the customer's open case gets a churn-risk event (poaching detection on ingest).
CREATE TABLE competitor_account (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  competitor text NOT NULL,
  -- the platform of the handle: x, bluesky, mastodon, facebook, ...
  platform text NOT NULL,
  -- the handle as written, and folded for matching (lower case, no leading @).
  handle text NOT NULL,
  handle_key text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX competitor_account_handle ON competitor_account (workspace_id, platform, handle_key);

-- One row per competitor reply seen, so a redelivered post raises the flag once.
CREATE TABLE churn_signal (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  channel_id uuid NOT NULL,
  external_id text NOT NULL,
  -- the account as it was configured when it replied (the configuration may change later).
  competitor_account_id uuid,
  competitor text NOT NULL,
  platform text NOT NULL,
  handle text NOT NULL,
  customer_id uuid NOT NULL,
  -- the customer's message the competitor answered, and the customer's open case (if any) that was flagged.
  message_id uuid NOT NULL,
  case_id uuid,
  text text NOT NULL,
  sent_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customer (workspace_id, id),
  FOREIGN KEY (workspace_id, message_id) REFERENCES message (workspace_id, id)
);
CREATE UNIQUE INDEX churn_signal_external ON churn_signal (workspace_id, channel_id, external_id);
CREATE INDEX churn_signal_recent ON churn_signal (workspace_id, sent_at);

-- People who asked not to be approached: never listed as an opportunity, never offered outreach. Either a customer,
-- or a platform handle not (yet) known as a customer.
CREATE TABLE outreach_opt_out (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  customer_id uuid,
  platform text,
  handle_key text,
  reason text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customer (workspace_id, id),
  CHECK (customer_id IS NOT NULL OR (platform IS NOT NULL AND handle_key IS NOT NULL))
);
CREATE UNIQUE INDEX outreach_opt_out_customer ON outreach_opt_out (workspace_id, customer_id) WHERE customer_id IS NOT NULL;
CREATE UNIQUE INDEX outreach_opt_out_handle ON outreach_opt_out (workspace_id, platform, handle_key) WHERE customer_id IS NULL;

-- Outbound webhooks: an admin subscribes a URL to event types; a background worker turns matching events into
-- deliveries and posts them, signed with the subscription's secret (sealed with PARLEY_SECRET_KEY).
CREATE TABLE webhook_subscription (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  url text NOT NULL,
  description text,
  event_types text[] NOT NULL,
  secret_sealed text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  disabled_at timestamptz,
  disabled_reason text,
  consecutive_failures integer NOT NULL DEFAULT 0,
  last_success_at timestamptz,
  last_failure_at timestamptz,
  last_error text,
  -- events up to this seq happened before the subscription (or before it was last enabled): never delivered.
  start_seq bigint NOT NULL,
  -- the database time of the last fan-out pass; each pass looks back a little before it for late commits.
  scanned_until timestamptz NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
-- The fan-out pass reads every workspace's enabled subscriptions: one of the few queries that cross workspaces.
CREATE INDEX webhook_subscription_enabled ON webhook_subscription (enabled, workspace_id);

CREATE TABLE webhook_delivery (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  subscription_id uuid NOT NULL,
  event_seq bigint NOT NULL,
  event_type text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL,
  claimed_by text,
  claimed_at timestamptz,
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, subscription_id) REFERENCES webhook_subscription (workspace_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX webhook_delivery_event ON webhook_delivery (workspace_id, subscription_id, event_seq);
CREATE INDEX webhook_delivery_due ON webhook_delivery (available_at) WHERE state = 'pending';
CREATE INDEX webhook_delivery_sending ON webhook_delivery (claimed_at) WHERE state = 'sending';
CREATE INDEX webhook_delivery_recent ON webhook_delivery (workspace_id, subscription_id, created_at);

-- The webhook fan-out reads each workspace's recent events by time.
CREATE INDEX event_recent ON event (workspace_id, created_at);
