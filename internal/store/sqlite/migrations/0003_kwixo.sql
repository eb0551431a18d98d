-- KWIXO: the option a payment was made with, and each shop's KWIXO
-- contract (JSON, empty when the shop did not subscribe). The automatic
-- capture of authorizations left to capture. The card brands a shop
-- accepts (JSON, empty for all). The order reference each exchange
-- names, so that the back office finds an order's exchanges by index.

ALTER TABLE transactions ADD COLUMN method_option TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN kwixo TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN auto_capture_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shops ADD COLUMN brands TEXT NOT NULL DEFAULT '';

ALTER TABLE exchanges ADD COLUMN reference TEXT NOT NULL DEFAULT '';
CREATE INDEX exchanges_reference ON exchanges (reference, at);
