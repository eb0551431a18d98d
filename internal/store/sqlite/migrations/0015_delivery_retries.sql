-- A notification may time its retries at marks of the clock (Lyra retries
-- at the next quarter-hour) and bound its attempts itself.
ALTER TABLE deliveries ADD COLUMN retry_marks_ns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 0;
