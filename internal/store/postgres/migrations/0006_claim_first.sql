-- Claims taken before the acquirer is asked: a claim is pending until the
-- outcome of its request is recorded. The request column describes what
-- was asked (the card sealed), so that the janitor can settle a claim
-- whose outcome was lost. Claims of before this migration are done.
ALTER TABLE claims ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
ALTER TABLE claims ADD COLUMN request BYTEA;
ALTER TABLE claims ADD COLUMN transaction_id TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN settle_after TIMESTAMPTZ;

-- The janitor looks for pending claims only; they are few.
CREATE INDEX claims_pending ON claims (settle_after) WHERE state = 'pending';

-- end_claim ends a pending claim, and raises an error that aborts the unit
-- of work when the claim is not pending (GC001) or does not exist (GC002),
-- so that the end of a claim can be sent in a batch with the commit and
-- still stop a second record of one outcome.
CREATE FUNCTION end_claim(p_shop TEXT, p_key TEXT, p_state TEXT, p_transaction TEXT) RETURNS void AS $$
BEGIN
	UPDATE claims SET state = p_state, transaction_id = p_transaction, request = NULL
		WHERE shop_id = p_shop AND key = p_key AND state = 'pending';
	IF FOUND THEN
		RETURN;
	END IF;
	IF EXISTS (SELECT 1 FROM claims WHERE shop_id = p_shop AND key = p_key) THEN
		RAISE EXCEPTION 'claim % is no longer pending', p_key USING ERRCODE = 'GC001';
	END IF;
	RAISE EXCEPTION 'no claim %', p_key USING ERRCODE = 'GC002';
END
$$ LANGUAGE plpgsql;
