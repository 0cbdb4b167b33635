-- Reply threads and the public-to-private fallback (docs/REPLIES.md).
--
-- A reply split into numbered posts is one reply row per part, tied by thread_id and ordered by thread_part. Each
-- part has its own outbox row (its reply id is its idempotency key), written only once the part before it is
-- recorded as sent, so a thread goes out in order and a part that fails stops the rest.

ALTER TABLE reply ADD COLUMN thread_id uuid;
ALTER TABLE reply ADD COLUMN thread_part smallint;
ALTER TABLE reply ADD COLUMN thread_size smallint;
ALTER TABLE reply ADD CONSTRAINT reply_thread_shape CHECK (
  (thread_id IS NULL AND thread_part IS NULL AND thread_size IS NULL)
  OR (thread_id IS NOT NULL AND thread_size BETWEEN 2 AND 25 AND thread_part BETWEEN 1 AND thread_size)
);
CREATE UNIQUE INDEX reply_thread_part ON reply (workspace_id, thread_id, thread_part) WHERE thread_id IS NOT NULL;

-- An email written to a customer's known address rather than in answer to a message on the email channel.
ALTER TABLE reply ADD COLUMN recipient_address text;
-- A direct message written by move-private: when the platform refuses it (the customer's DMs are closed), the
-- conversation falls back to email or a secure link, whose pages live under link_base_url.
ALTER TABLE reply ADD COLUMN private_fallback boolean NOT NULL DEFAULT false;
ALTER TABLE reply ADD COLUMN link_base_url text;

-- A secure link to a private web-form conversation about one case, posted in public where DMs are closed. Only the
-- token's SHA-256 is stored; the token also carries an HMAC over the case and expiry under the installation's key.
CREATE TABLE private_link (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  -- the web-form channel the customer's messages arrive on, and answers are emailed from
  channel_id uuid NOT NULL,
  token_hash text NOT NULL,
  -- the brand's private message shown on the page; null when it held personal data (a generic greeting instead)
  intro_text text,
  created_by uuid,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  use_count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, case_id) REFERENCES cases (workspace_id, id),
  FOREIGN KEY (workspace_id, channel_id) REFERENCES channel (workspace_id, id)
);
-- The one lookup that crosses workspaces: a public page knows only the token.
CREATE UNIQUE INDEX private_link_token ON private_link (token_hash);
CREATE INDEX private_link_case ON private_link (workspace_id, case_id);
