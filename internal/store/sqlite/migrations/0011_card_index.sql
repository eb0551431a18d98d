-- A card's payments at a shop, newest first: the exemptions from strong
-- authentication count them.
CREATE INDEX transactions_card ON transactions (shop_id, card_fingerprint, created_at);
