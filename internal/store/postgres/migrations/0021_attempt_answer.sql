-- The beginning of what the merchant's server answered to a notification
-- attempt (guichet.Attempt.Answer), which tells the merchant why it was
-- refused. Attempts made before keep ''. A constant default rewrites no
-- row.
ALTER TABLE attempts ADD COLUMN answer TEXT NOT NULL DEFAULT '';

-- A shop's audit trail, newest first (ShopAudit), with or without a
-- transaction: the index is read backwards, in the order of the query
-- (at DESC NULLS LAST, seq DESC), so that a page of a big audit is the
-- first rows of a descent rather than a sort of all the shop's entries.
CREATE INDEX audit_shop ON audit (shop_id, at NULLS FIRST, seq);
