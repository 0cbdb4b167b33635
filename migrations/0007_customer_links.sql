-- One customer across channels: merges with an exact record of what moved (so an un-merge restores it), and
-- suggestions from weak evidence that an agent accepts or dismisses.

-- Why the flag was set; the flag itself lives on customer.vulnerable (read by priority).
ALTER TABLE customer ADD COLUMN vulnerable_note text;

CREATE INDEX customer_live_name ON customer (workspace_id, lower(display_name), id) WHERE merged_into_id IS NULL;

CREATE TABLE customer_merge (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  survivor_id uuid NOT NULL,
  absorbed_id uuid NOT NULL,
  -- evidence: linked automatically from a message; agent: merged or a suggestion accepted by a person.
  source text NOT NULL CHECK (source IN ('evidence', 'agent')),
  reason text NOT NULL,
  evidence jsonb,
  -- exactly what moved: {"authorIds": [...], "identityIds": [...], "caseIds": [...], "survivorWasVulnerable": bool}
  moved jsonb NOT NULL,
  merged_by uuid,
  merged_at timestamptz NOT NULL DEFAULT now(),
  undone_at timestamptz,
  undone_by uuid,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, survivor_id) REFERENCES customer (workspace_id, id),
  FOREIGN KEY (workspace_id, absorbed_id) REFERENCES customer (workspace_id, id)
);
CREATE INDEX customer_merge_survivor ON customer_merge (workspace_id, survivor_id, merged_at);
CREATE INDEX customer_merge_absorbed ON customer_merge (workspace_id, absorbed_id, merged_at);

CREATE TABLE identity_suggestion (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  -- merge: customer_id and other_customer_id look like one person; identity: add (kind, platform, value) to customer_id.
  kind text NOT NULL CHECK (kind IN ('merge', 'identity')),
  other_customer_id uuid,
  identity_kind text CHECK (identity_kind IN ('handle', 'email', 'phone')),
  identity_platform text,
  identity_value text,
  evidence text NOT NULL,
  detail text NOT NULL,
  message_id uuid,
  -- one suggestion per pair or per claimed value, so a dismissed suggestion is never raised again.
  dedupe_key text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed')),
  decided_by uuid,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, customer_id) REFERENCES customer (workspace_id, id),
  FOREIGN KEY (workspace_id, other_customer_id) REFERENCES customer (workspace_id, id),
  CHECK ((kind = 'merge' AND other_customer_id IS NOT NULL) OR (kind = 'identity' AND identity_value IS NOT NULL))
);
CREATE UNIQUE INDEX identity_suggestion_dedupe ON identity_suggestion (workspace_id, dedupe_key);
CREATE INDEX identity_suggestion_customer ON identity_suggestion (workspace_id, customer_id) WHERE status = 'open';
CREATE INDEX identity_suggestion_other ON identity_suggestion (workspace_id, other_customer_id) WHERE status = 'open';

-- Weak evidence lookups when a new author appears: the same display name, or the same handle stem, on another
-- platform. The expressions must match identity.repository.ts exactly for the planner to use them.
CREATE INDEX author_display_name_key ON author (workspace_id, lower(btrim(display_name)));
CREATE INDEX author_handle_key ON author (workspace_id,
  regexp_replace(split_part(split_part(ltrim(lower(handle), '@'), '@', 1), '.', 1), '[^a-z0-9]', '', 'g'));

-- The equity report reads the cases that started in a period.
CREATE INDEX cases_first_message ON cases (workspace_id, first_message_at);
