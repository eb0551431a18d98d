-- Amounts are BIGINT in the currency's minor unit. A NULL time stands for
-- the zero time.Time, so that it round-trips.

CREATE TABLE shops (
	id                 TEXT PRIMARY KEY,
	name               TEXT NOT NULL,
	mode               TEXT NOT NULL,
	paybox_site        TEXT,
	paybox_rang        TEXT,
	paybox_identifiant TEXT,
	paybox_key         TEXT,
	paybox_hmac_key    TEXT,
	capture_delay      INTEGER NOT NULL DEFAULT 0,
	clock_offset_ns    BIGINT NOT NULL DEFAULT 0,
	created_at         TIMESTAMPTZ
);

-- A Paybox request names its shop by SITE and RANG only, so the pair must
-- designate one shop.
CREATE UNIQUE INDEX shops_paybox ON shops (paybox_site, paybox_rang) WHERE paybox_site IS NOT NULL;

CREATE TABLE transactions (
	id               TEXT PRIMARY KEY,
	shop_id          TEXT NOT NULL,
	number           BIGINT NOT NULL UNIQUE,
	reference        TEXT NOT NULL,
	currency         TEXT NOT NULL,
	amount           BIGINT NOT NULL,
	captured         BIGINT NOT NULL DEFAULT 0,
	refunded         BIGINT NOT NULL DEFAULT 0,
	status           TEXT NOT NULL,
	card_masked      TEXT NOT NULL DEFAULT '',
	card_fingerprint TEXT NOT NULL DEFAULT '',
	card_brand       TEXT NOT NULL DEFAULT '',
	card_country     TEXT NOT NULL DEFAULT '',
	card_exp_month   INTEGER NOT NULL DEFAULT 0,
	card_exp_year    INTEGER NOT NULL DEFAULT 0,
	card_sealed      BYTEA,
	token_id         TEXT NOT NULL DEFAULT '',
	auth_code        TEXT NOT NULL DEFAULT '',
	response_code    TEXT NOT NULL DEFAULT '',
	remit_at         TIMESTAMPTZ,
	created_at       TIMESTAMPTZ,
	updated_at       TIMESTAMPTZ
);

-- FindTransaction looks transactions up by reference and amount.
CREATE INDEX transactions_reference ON transactions (shop_id, reference, amount);
-- The back office lists a shop's transactions newest first.
CREATE INDEX transactions_created ON transactions (shop_id, created_at);

CREATE TABLE operations (
	id             TEXT PRIMARY KEY,
	transaction_id TEXT NOT NULL REFERENCES transactions (id),
	number         BIGINT NOT NULL UNIQUE,
	kind           TEXT NOT NULL,
	amount         BIGINT NOT NULL,
	approved       BOOLEAN NOT NULL,
	code           TEXT NOT NULL DEFAULT '',
	created_at     TIMESTAMPTZ
);

-- Every transaction load reads its operations in number order.
CREATE INDEX operations_transaction ON operations (transaction_id, number);

CREATE TABLE tokens (
	id               TEXT PRIMARY KEY,
	shop_id          TEXT NOT NULL,
	reference        TEXT NOT NULL,
	handle           TEXT NOT NULL,
	card_masked      TEXT NOT NULL DEFAULT '',
	card_fingerprint TEXT NOT NULL DEFAULT '',
	card_brand       TEXT NOT NULL DEFAULT '',
	card_country     TEXT NOT NULL DEFAULT '',
	card_exp_month   INTEGER NOT NULL DEFAULT 0,
	card_exp_year    INTEGER NOT NULL DEFAULT 0,
	card_sealed      BYTEA,
	created_at       TIMESTAMPTZ,
	updated_at       TIMESTAMPTZ,
	UNIQUE (shop_id, reference)
);

CREATE TABLE claims (
	shop_id TEXT NOT NULL,
	key     TEXT NOT NULL,
	at      TIMESTAMPTZ,
	PRIMARY KEY (shop_id, key)
);

-- The outbox. seq keeps the order events were written in, which times
-- alone do not when a unit of work emits several at once. The delivery
-- columns belong to the notification dispatcher: an event is due once its
-- status is pending and next_attempt_at is past.
CREATE TABLE events (
	id              TEXT PRIMARY KEY,
	seq             BIGINT GENERATED ALWAYS AS IDENTITY,
	shop_id         TEXT NOT NULL,
	transaction_id  TEXT NOT NULL,
	type            TEXT NOT NULL,
	at              TIMESTAMPTZ,
	data            BYTEA,
	status          TEXT NOT NULL DEFAULT 'pending',
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TIMESTAMPTZ
);

CREATE INDEX events_due ON events (status, next_attempt_at);
CREATE INDEX events_transaction ON events (transaction_id);

CREATE TABLE exchanges (
	id          TEXT PRIMARY KEY,
	seq         BIGINT GENERATED ALWAYS AS IDENTITY,
	shop_id     TEXT NOT NULL DEFAULT '',
	protocol    TEXT NOT NULL,
	operation   TEXT NOT NULL,
	code        TEXT NOT NULL,
	request     TEXT NOT NULL,
	response    TEXT NOT NULL,
	at          TIMESTAMPTZ,
	duration_ns BIGINT NOT NULL
);

CREATE INDEX exchanges_shop ON exchanges (shop_id, at);
-- Listing every shop's exchanges, newest first, would otherwise sort the
-- whole table.
CREATE INDEX exchanges_at ON exchanges (at);

-- Transaction and operation numbers share one sequence: Paybox fronts show
-- both, and they must never collide. Ten digits is all the protocol has.
CREATE SEQUENCE numbers START 1000001 MAXVALUE 9999999999;
