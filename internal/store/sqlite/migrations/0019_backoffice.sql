-- The back office: its users, their sessions, the record of what they did,
-- and the journal of transactions it pages through.

-- The protocol a transaction was made through, which the journal shows and
-- filters on. Transactions stored before it are given what tells it best:
-- the front that asked for their first operation, or else the protocol of
-- the order they paid; those with neither keep ''.
ALTER TABLE transactions ADD COLUMN front TEXT NOT NULL DEFAULT '';
UPDATE transactions SET front = coalesce(
	nullif((SELECT front FROM operations WHERE transaction_id = transactions.id ORDER BY number LIMIT 1), ''),
	(SELECT protocol FROM orders WHERE id = transactions.order_id),
	'')
WHERE EXISTS (SELECT 1 FROM operations WHERE transaction_id = transactions.id AND front <> '')
	OR EXISTS (SELECT 1 FROM orders WHERE id = transactions.order_id);

-- The journal lists transactions newest first, by creation time then
-- number, a page at a time from a cursor on both (keyset pagination). Each
-- index below is in that order after the equality it serves, so that a
-- page, however deep, starts with a descent to the cursor and reads on in
-- order, rather than a scan and a sort: every shop's transactions, one
-- shop's (which replaces the index on the shop and time alone, its
-- prefix), one front's, and one reference's, which no index answered
-- without its shop. The other filters (status, method, review, amount,
-- card) are read from the rows the order's index gives: an index on the
-- status would be rewritten by every capture and refund, on the payments'
-- path.
CREATE INDEX transactions_newest ON transactions (created_at, number);
CREATE INDEX transactions_shop_newest ON transactions (shop_id, created_at, number);
DROP INDEX transactions_created;
CREATE INDEX transactions_front_newest ON transactions (front, created_at, number);
CREATE INDEX transactions_reference_newest ON transactions (reference, created_at, number);

-- A user's shops are a JSON array, '' for an operator, who sees them all.
-- The password is the hash of one, never a password.
CREATE TABLE users (
	name       TEXT PRIMARY KEY,
	role       TEXT NOT NULL,
	shops      TEXT NOT NULL DEFAULT '',
	password   TEXT NOT NULL,
	created_at INTEGER
);

-- A session's ID is the hash of its cookie's secret. Expired sessions are
-- deleted by their expiry time.
CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	user_name  TEXT NOT NULL,
	csrf       TEXT NOT NULL,
	created_at INTEGER,
	expires_at INTEGER
);

CREATE INDEX sessions_expires ON sessions (expires_at);

-- What back-office users did, listed by transaction, oldest first; the
-- rowid orders the entries made at the same time, and ends the index.
CREATE TABLE audit (
	id             TEXT PRIMARY KEY,
	at             INTEGER,
	user_name      TEXT NOT NULL,
	shop_id        TEXT NOT NULL DEFAULT '',
	transaction_id TEXT NOT NULL DEFAULT '',
	action         TEXT NOT NULL,
	detail         TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_transaction ON audit (transaction_id, at);
