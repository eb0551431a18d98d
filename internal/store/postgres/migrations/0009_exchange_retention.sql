-- The exchange log is kept within an age and a size (Store.PurgeExchanges).
-- Each exchange records the size it counts for (guichet.ExchangeSize: the
-- bytes of its text plus 64), and exchange_totals keeps their count and sum
-- up to date with every insert and delete, so that the purge knows whether
-- the log is over its size without reading the table.
ALTER TABLE exchanges ADD COLUMN size BIGINT NOT NULL DEFAULT 0;
UPDATE exchanges SET size = octet_length(id) + octet_length(shop_id) + octet_length(protocol) + octet_length(operation)
	+ octet_length(reference) + octet_length(code) + octet_length(request) + octet_length(response) + 64;

CREATE TABLE exchange_totals (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	count BIGINT NOT NULL,
	bytes BIGINT NOT NULL
);
INSERT INTO exchange_totals (id, count, bytes) SELECT 1, count(*), coalesce(sum(size), 0) FROM exchanges;
