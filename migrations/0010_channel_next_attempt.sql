-- While a listener waits out a back-off after a failure (rate limit, 5xx, network), the channel shows when it will try
-- again; null while it is connected, idle, or trying right now.
ALTER TABLE channel ADD COLUMN next_attempt_at timestamptz;
