-- Means of payment that are not cards (a wallet app such as Payconiq):
-- what their provider tells of a payment, and the date a payment may be
-- refunded until; and the time a buyer first reached an order's page,
-- with the means of payment chosen there.
ALTER TABLE transactions ADD COLUMN details TEXT NOT NULL DEFAULT '';
ALTER TABLE transactions ADD COLUMN refund_by INTEGER;
ALTER TABLE orders ADD COLUMN seen_at INTEGER;
ALTER TABLE orders ADD COLUMN method TEXT NOT NULL DEFAULT '';
