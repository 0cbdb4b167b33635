-- Callbacks an agent promises a customer ("we will call you back at 3 pm"). When one falls due, the worker marks it
-- due, puts its case back in the queue with the callback time as the response deadline, and records callback.due.

CREATE TABLE callback (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  -- E.164; NULL means "the number the customer is known by".
  phone text,
  note text,
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'due', 'completed', 'canceled')),
  outcome text CHECK (outcome IN ('reached', 'no_answer', 'left_voicemail', 'wrong_number', 'canceled')),
  outcome_note text,
  created_by uuid NOT NULL,
  completed_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  due_marked_at timestamptz,
  completed_at timestamptz,
  PRIMARY KEY (workspace_id, id),
  FOREIGN KEY (workspace_id, case_id) REFERENCES cases (workspace_id, id),
  FOREIGN KEY (workspace_id, created_by) REFERENCES app_user (workspace_id, id),
  FOREIGN KEY (workspace_id, completed_by) REFERENCES app_user (workspace_id, id)
);
CREATE INDEX callback_case ON callback (workspace_id, case_id, due_at);
-- The due-callback timer is the one query that crosses workspaces (like the listeners' channel scan).
CREATE INDEX callback_pending ON callback (due_at, workspace_id) WHERE status = 'scheduled';

-- Webhooks and the public web form name their channel by id alone (/webhooks/twilio/:channelId, /public/forms/:id).
CREATE INDEX channel_by_id ON channel (id);
