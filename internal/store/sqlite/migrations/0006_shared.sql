-- What instances sharing a database must agree on: settings and sealed
-- installation secrets (the key that signs Paybox returns, the sandbox API
-- token, the master key's check value), and the cards typed on a hosted
-- page that wait for their holder's 3-D Secure authentication.

CREATE TABLE settings (
	name       TEXT PRIMARY KEY,
	value      BLOB NOT NULL,
	created_at INTEGER NOT NULL
);

-- The card is sealed by the vault; the CVV is never stored.
CREATE TABLE pending_cards (
	order_id         TEXT PRIMARY KEY,
	shop_id          TEXT NOT NULL,
	card_masked      TEXT NOT NULL DEFAULT '',
	card_fingerprint TEXT NOT NULL DEFAULT '',
	card_brand       TEXT NOT NULL DEFAULT '',
	card_country     TEXT NOT NULL DEFAULT '',
	card_exp_month   INTEGER NOT NULL DEFAULT 0,
	card_exp_year    INTEGER NOT NULL DEFAULT 0,
	card_sealed      BLOB,
	created_at       INTEGER,
	expires_at       INTEGER
);
