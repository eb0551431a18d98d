-- Claims taken before the acquirer is asked: a claim is pending until the
-- outcome of its request is recorded. The request column describes what
-- was asked (the card sealed), so that the janitor can settle a claim
-- whose outcome was lost. Claims of before this migration are done.
ALTER TABLE claims ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
ALTER TABLE claims ADD COLUMN request BLOB;
ALTER TABLE claims ADD COLUMN transaction_id TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN settle_after INTEGER;

-- The janitor looks for pending claims only; they are few.
CREATE INDEX claims_pending ON claims (settle_after) WHERE state = 'pending';
