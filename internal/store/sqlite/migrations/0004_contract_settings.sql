-- Contract settings: a contract that requires the card's security code, a
-- Paybox contract that takes HMAC-signed Direct requests only. The
-- paybox_identifiant column now holds every identifier the contract
-- answers to, separated by commas, the current one first.
ALTER TABLE shops ADD COLUMN require_cvv INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shops ADD COLUMN paybox_hmac_only INTEGER NOT NULL DEFAULT 0;
