-- A shop's orders of a protocol, newest first (Orders).
CREATE INDEX orders_shop_created ON orders (shop_id, protocol, created_at);
