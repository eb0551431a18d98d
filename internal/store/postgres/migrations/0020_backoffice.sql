-- The back office: its users, their sessions, the record of what they did,
-- and the journal of transactions it pages through.

-- The protocol a transaction was made through, which the journal shows and
-- filters on. Transactions stored before it are given what tells it best:
-- the front that asked for their first operation, or else the protocol of
-- the order they paid; those with neither keep ''. Only the rows that gain
-- a front are rewritten. Adding the column with a constant default
-- rewrites none.
ALTER TABLE transactions ADD COLUMN front TEXT NOT NULL DEFAULT '';
UPDATE transactions t SET front = v.front
FROM (
	SELECT x.id, coalesce(
		nullif((SELECT o.front FROM operations o WHERE o.transaction_id = x.id ORDER BY o.number LIMIT 1), ''),
		(SELECT r.protocol FROM orders r WHERE r.id = x.order_id),
		'') AS front
	FROM transactions x
) v
WHERE v.id = t.id AND v.front <> '';

-- The journal lists transactions newest first, by creation time then
-- number, a NULL time last, a page at a time from a cursor on both (keyset
-- pagination). Each index below is in that order after the equality it
-- serves, so that a page, however deep, starts with a descent to the
-- cursor and reads on in order, rather than a scan and a sort: every
-- shop's transactions, one shop's (which replaces the index on the shop
-- and time alone, its prefix), one front's, and one reference's, which no
-- index answered without its shop. The other filters (status, method,
-- review, amount, card) are read from the rows the order's index gives:
-- an index on the status would be rewritten by every capture and refund,
-- which would also stop them from being HOT updates that leave every
-- other index alone, on the payments' path.
CREATE INDEX transactions_newest ON transactions (created_at DESC NULLS LAST, number DESC);
CREATE INDEX transactions_shop_newest ON transactions (shop_id, created_at DESC NULLS LAST, number DESC);
DROP INDEX transactions_created;
CREATE INDEX transactions_front_newest ON transactions (front, created_at DESC NULLS LAST, number DESC);
CREATE INDEX transactions_reference_newest ON transactions (reference, created_at DESC NULLS LAST, number DESC);

-- A user's shops are a JSON array, '' for an operator, who sees them all.
-- The password is the hash of one, never a password.
CREATE TABLE users (
	name       TEXT PRIMARY KEY,
	role       TEXT NOT NULL,
	shops      TEXT NOT NULL DEFAULT '',
	password   TEXT NOT NULL,
	created_at TIMESTAMPTZ
);

-- A session's ID is the hash of its cookie's secret. Expired sessions are
-- deleted by their expiry time.
CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	user_name  TEXT NOT NULL,
	csrf       TEXT NOT NULL,
	created_at TIMESTAMPTZ,
	expires_at TIMESTAMPTZ
);

CREATE INDEX sessions_expires ON sessions (expires_at);

-- What back-office users did, listed by transaction, oldest first; seq
-- orders the entries made at the same time, which times alone do not.
CREATE TABLE audit (
	id             TEXT PRIMARY KEY,
	seq            BIGINT GENERATED ALWAYS AS IDENTITY,
	at             TIMESTAMPTZ,
	user_name      TEXT NOT NULL,
	shop_id        TEXT NOT NULL DEFAULT '',
	transaction_id TEXT NOT NULL DEFAULT '',
	action         TEXT NOT NULL,
	detail         TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_transaction ON audit (transaction_id, at NULLS FIRST, seq);
