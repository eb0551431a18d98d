-- Hosted payments: the orders merchants send to the payment page, the jobs
-- due on a shop's clock, and the notifications (deliveries) sent back to
-- merchants with each attempt at sending them.

ALTER TABLE transactions
	ADD COLUMN order_id TEXT NOT NULL DEFAULT '',
	ADD COLUMN method   TEXT NOT NULL DEFAULT '',
	ADD COLUMN review   TEXT NOT NULL DEFAULT '',
	ADD COLUMN three_ds TEXT NOT NULL DEFAULT '';

ALTER TABLE shops
	ADD COLUMN three_ds        BOOLEAN NOT NULL DEFAULT false,
	ADD COLUMN notify_attempts INTEGER NOT NULL DEFAULT 0;

CREATE TABLE orders (
	id             TEXT PRIMARY KEY,
	shop_id        TEXT NOT NULL,
	protocol       TEXT NOT NULL,
	reference      TEXT NOT NULL,
	amount         BIGINT NOT NULL,
	currency       TEXT NOT NULL,
	status         TEXT NOT NULL,
	request        BYTEA,
	transaction_id TEXT NOT NULL DEFAULT '',
	created_at     TIMESTAMPTZ,
	updated_at     TIMESTAMPTZ
);

CREATE INDEX orders_reference ON orders (shop_id, reference);

-- seq keeps the order jobs were first inserted in, for jobs due at the same
-- time; rescheduling a job keeps its seq. A NULL due_at (the zero time) is
-- due at once, hence NULLS FIRST in the index, as in DueJobs.
CREATE TABLE jobs (
	id      TEXT PRIMARY KEY,
	seq     BIGINT GENERATED ALWAYS AS IDENTITY,
	shop_id TEXT NOT NULL,
	kind    TEXT NOT NULL,
	ref     TEXT NOT NULL DEFAULT '',
	due_at  TIMESTAMPTZ,
	data    BYTEA
);

CREATE INDEX jobs_due ON jobs (shop_id, due_at NULLS FIRST, seq);

CREATE TABLE deliveries (
	id             TEXT PRIMARY KEY,
	shop_id        TEXT NOT NULL,
	event_id       TEXT NOT NULL DEFAULT '',
	transaction_id TEXT NOT NULL DEFAULT '',
	order_ref      TEXT NOT NULL DEFAULT '',
	method         TEXT NOT NULL DEFAULT '',
	url            TEXT NOT NULL DEFAULT '',
	content_type   TEXT NOT NULL DEFAULT '',
	body           BYTEA,
	status         TEXT NOT NULL,
	attempts       INTEGER NOT NULL DEFAULT 0,
	created_at     TIMESTAMPTZ,
	updated_at     TIMESTAMPTZ
);

-- The back office lists a shop's deliveries newest first, or those of one
-- order; the index is in the order of the listing.
CREATE INDEX deliveries_created ON deliveries (shop_id, created_at DESC NULLS LAST, id DESC);
CREATE INDEX deliveries_order ON deliveries (shop_id, order_ref);

-- seq orders attempts made at the same time.
CREATE TABLE attempts (
	seq         BIGINT GENERATED ALWAYS AS IDENTITY,
	delivery_id TEXT NOT NULL,
	at          TIMESTAMPTZ,
	status_code INTEGER NOT NULL DEFAULT 0,
	error       TEXT NOT NULL DEFAULT '',
	duration_ns BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX attempts_delivery ON attempts (delivery_id, at NULLS FIRST, seq);
