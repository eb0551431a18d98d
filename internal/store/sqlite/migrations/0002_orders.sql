-- Hosted payments: the orders merchants send to the payment page, the jobs
-- due on a shop's clock, and the notifications (deliveries) sent back to
-- merchants with each attempt at sending them.

ALTER TABLE transactions ADD COLUMN order_id TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN method TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN review TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN three_ds TEXT NOT NULL DEFAULT '';

ALTER TABLE shops ADD COLUMN three_ds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shops ADD COLUMN notify_attempts INTEGER NOT NULL DEFAULT 0;

CREATE TABLE orders (
	id             TEXT PRIMARY KEY,
	shop_id        TEXT NOT NULL,
	protocol       TEXT NOT NULL,
	reference      TEXT NOT NULL,
	amount         INTEGER NOT NULL,
	currency       TEXT NOT NULL,
	status         TEXT NOT NULL,
	request        BLOB,
	transaction_id TEXT NOT NULL DEFAULT '',
	created_at     INTEGER,
	updated_at     INTEGER
);

CREATE INDEX orders_reference ON orders (shop_id, reference);

-- seq keeps the order jobs were first inserted in, for jobs due at the same
-- time; rescheduling a job keeps its seq. It is the rowid, which SQLite
-- sets above every existing one, so that it also ends every index. A NULL
-- due_at (the zero time) is due at once.
CREATE TABLE jobs (
	seq     INTEGER PRIMARY KEY,
	id      TEXT NOT NULL UNIQUE,
	shop_id TEXT NOT NULL,
	kind    TEXT NOT NULL,
	ref     TEXT NOT NULL DEFAULT '',
	due_at  INTEGER,
	data    BLOB
);

CREATE INDEX jobs_due ON jobs (shop_id, due_at, seq);

CREATE TABLE deliveries (
	id             TEXT PRIMARY KEY,
	shop_id        TEXT NOT NULL,
	event_id       TEXT NOT NULL DEFAULT '',
	transaction_id TEXT NOT NULL DEFAULT '',
	order_ref      TEXT NOT NULL DEFAULT '',
	method         TEXT NOT NULL DEFAULT '',
	url            TEXT NOT NULL DEFAULT '',
	content_type   TEXT NOT NULL DEFAULT '',
	body           BLOB,
	status         TEXT NOT NULL,
	attempts       INTEGER NOT NULL DEFAULT 0,
	created_at     INTEGER,
	updated_at     INTEGER
);

-- The back office lists a shop's deliveries newest first, or those of one
-- order.
CREATE INDEX deliveries_created ON deliveries (shop_id, created_at);
CREATE INDEX deliveries_order ON deliveries (shop_id, order_ref);

-- seq (the rowid) orders attempts made at the same time.
CREATE TABLE attempts (
	seq         INTEGER PRIMARY KEY,
	delivery_id TEXT NOT NULL,
	at          INTEGER,
	status_code INTEGER NOT NULL DEFAULT 0,
	error       TEXT NOT NULL DEFAULT '',
	duration_ns INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX attempts_delivery ON attempts (delivery_id, at, seq);
