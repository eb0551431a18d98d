-- What every front needs of the core, beyond Paybox's numbers: the
-- identifiers a front gives its operations, the deadline of an
-- authorization left to the merchant's validation, the content of an order
-- with its attempts and expiry, and tokens that may be cancelled and
-- reactivated.
ALTER TABLE operations ADD COLUMN front TEXT NOT NULL DEFAULT '';
ALTER TABLE operations ADD COLUMN ref TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX operations_ref ON operations (front, ref) WHERE ref <> '';

ALTER TABLE transactions ADD COLUMN capture_by TIMESTAMPTZ;

ALTER TABLE orders ADD COLUMN content TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN expires_at TIMESTAMPTZ;

ALTER TABLE tokens ADD COLUMN order_id TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN cancelled_at TIMESTAMPTZ;
