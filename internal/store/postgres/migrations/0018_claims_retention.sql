-- Ended claims are purged by age (PurgeClaims): an index on their time
-- keeps each batch cheap on a big table.
CREATE INDEX claims_ended_at ON claims (at) WHERE state <> 'pending';
