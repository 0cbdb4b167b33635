-- One listener per channel across every `parley listen` / `parley start` process: the holder renews its lease
-- well before it expires; a crashed holder's lease simply runs out and another process takes the channel over.
CREATE TABLE channel_lease (
  workspace_id uuid NOT NULL,
  channel_id uuid NOT NULL,
  holder text NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, channel_id),
  FOREIGN KEY (workspace_id, channel_id) REFERENCES channel (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX channel_lease_holder ON channel_lease (holder);
