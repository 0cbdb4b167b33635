-- Replies and their transactional outbox (docs/REPLIES.md). A reply row and its outbox row are written in one
-- transaction; delivery workers claim outbox rows with FOR UPDATE SKIP LOCKED. A row is marked 'sending' with a
-- fresh attempt id in its own committed transaction before the platform is called, so a crash between sending and
-- recording leaves evidence: the next worker reconciles it with the platform, or marks the reply 'unknown'.

CREATE TABLE reply (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  channel_id uuid NOT NULL,
  author_user_id uuid NOT NULL,
  -- the message answered; its author is the recipient and its platform id the thread parent.
  in_reply_to_message_id uuid,
  text text NOT NULL,
  is_private boolean NOT NULL DEFAULT false,
  -- connector: sent by the channel's send connector through the outbox; manual: the agent posts it on the site
  -- and confirms the link (blogs, forums); logged: a phone callback outcome, recorded as it is written.
  delivery text NOT NULL CHECK (delivery IN ('connector', 'manual', 'logged')),
  status text NOT NULL CHECK (status IN ('held', 'queued', 'sending', 'sent', 'failed', 'unknown', 'manual', 'rejected')),
  hold_reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
  failure_reason text,
  external_id text,
  external_url text,
  message_id uuid,
  reviewed_by uuid,
  reviewed_at timestamptz,
  review_note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, case_id) REFERENCES cases (workspace_id, id),
  FOREIGN KEY (workspace_id, channel_id) REFERENCES channel (workspace_id, id),
  FOREIGN KEY (workspace_id, author_user_id) REFERENCES app_user (workspace_id, id),
  FOREIGN KEY (workspace_id, in_reply_to_message_id) REFERENCES message (workspace_id, id),
  FOREIGN KEY (workspace_id, message_id) REFERENCES message (workspace_id, id)
);
CREATE INDEX reply_case ON reply (workspace_id, case_id, created_at);
CREATE INDEX reply_status ON reply (workspace_id, status, created_at);

CREATE TABLE outbox (
  workspace_id uuid NOT NULL,
  reply_id uuid NOT NULL,
  channel_id uuid NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'sending', 'done')),
  attempts integer NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL,
  -- the attempt that owns a 'sending' row; results of any other attempt are discarded (fencing).
  attempt_id uuid,
  claimed_by text,
  sending_started_at timestamptz,
  first_attempt_at timestamptz,
  -- the last attempt may have reached the platform (timeout, 5xx, crash): check before sending again.
  needs_reconcile boolean NOT NULL DEFAULT false,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, reply_id),
  FOREIGN KEY (workspace_id, reply_id) REFERENCES reply (workspace_id, id)
);
-- Workers scan every workspace for due rows: the one outbox query that crosses workspaces.
CREATE INDEX outbox_due ON outbox (available_at) WHERE state = 'pending';
CREATE INDEX outbox_sending ON outbox (sending_started_at) WHERE state = 'sending';
CREATE INDEX outbox_channel ON outbox (workspace_id, channel_id) WHERE state = 'pending';
