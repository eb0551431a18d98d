-- The protocols of the orders, which start-up checks each has a notifier.
CREATE INDEX orders_protocol ON orders (protocol);
