-- An order's payments: the occurrences of a subscription, the later
-- payments of a schedule.
CREATE INDEX transactions_order ON transactions (shop_id, order_id, created_at);
