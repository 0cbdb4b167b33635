-- Priority, SLA clocks, routing, assignment and the escalation ladder (docs/FAIRNESS.md).

-- A workspace's case policies, one validated JSON document per kind: 'sla' (targets, business hours, holidays, time
-- zone), 'priority' (optional channel and reach weights; none by default) and 'escalation' (tiers and rules).
CREATE TABLE case_policy (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  kind text NOT NULL CHECK (kind IN ('sla', 'priority', 'escalation')),
  document jsonb NOT NULL,
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, kind)
);

CREATE TABLE team (
  workspace_id uuid NOT NULL REFERENCES workspace (id),
  id uuid NOT NULL,
  name text NOT NULL,
  topics text[] NOT NULL DEFAULT '{}',
  languages text[] NOT NULL DEFAULT '{}',
  skills text[] NOT NULL DEFAULT '{}',
  -- the escalation tier whose cases this team works (0 frontline, 1 specialist, 2 executive office by default).
  tier smallint NOT NULL DEFAULT 0,
  assignment text NOT NULL DEFAULT 'pull' CHECK (assignment IN ('pull', 'round_robin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX team_name ON team (workspace_id, lower(name));

CREATE TABLE team_member (
  workspace_id uuid NOT NULL,
  team_id uuid NOT NULL,
  user_id uuid NOT NULL,
  capacity integer NOT NULL DEFAULT 5 CHECK (capacity >= 0),
  last_assigned_at timestamptz,
  PRIMARY KEY (workspace_id, team_id, user_id),
  FOREIGN KEY (workspace_id, team_id) REFERENCES team (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, user_id) REFERENCES app_user (workspace_id, id)
);
CREATE INDEX team_member_user ON team_member (workspace_id, user_id);

ALTER TABLE cases ADD COLUMN need_score smallint NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN language text;
ALTER TABLE cases ADD COLUMN required_skills text[] NOT NULL DEFAULT '{}';
ALTER TABLE cases ADD COLUMN team_id uuid;
ALTER TABLE cases ADD COLUMN escalated_at timestamptz;
-- The SLA clock stops while the case waits on the customer: when it stopped, and how many business minutes it has
-- been stopped in total (the due times are moved on by each pause when the clock restarts).
ALTER TABLE cases ADD COLUMN sla_paused_at timestamptz;
ALTER TABLE cases ADD COLUMN sla_paused_minutes integer NOT NULL DEFAULT 0;
-- When the timer recorded a breach of the current due time; cleared when a new due time replaces it.
ALTER TABLE cases ADD COLUMN first_response_breached_at timestamptz;
ALTER TABLE cases ADD COLUMN next_response_breached_at timestamptz;
ALTER TABLE cases ADD COLUMN resolution_breached_at timestamptz;
-- A short lease held by the agent answering the case.
ALTER TABLE cases ADD COLUMN locked_by uuid;
ALTER TABLE cases ADD COLUMN lock_expires_at timestamptz;

CREATE INDEX cases_team_queue ON cases (workspace_id, team_id, priority_rank, next_response_due_at, first_message_at, id)
  WHERE status IN ('new', 'open') AND assignee_id IS NULL;
CREATE INDEX cases_assignee_open ON cases (workspace_id, assignee_id) WHERE status IN ('new', 'open', 'waiting');
-- Repeated-contact counting reads a customer's recent inbound messages through their authors.
CREATE INDEX message_author ON message (workspace_id, author_id, sent_at);
