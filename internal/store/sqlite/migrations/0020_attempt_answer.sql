-- The beginning of what the merchant's server answered to a notification
-- attempt (guichet.Attempt.Answer), which tells the merchant why it was
-- refused. Attempts made before keep ''.
ALTER TABLE attempts ADD COLUMN answer TEXT NOT NULL DEFAULT '';

-- A shop's audit trail, newest first (ShopAudit), with or without a
-- transaction. The index ends, as every index of a rowid table does, with
-- the rowid that orders the entries made at the same time, so that a page
-- is read backwards along it, however big the audit, rather than sorted.
CREATE INDEX audit_shop ON audit (shop_id, at);
