-- The exchange log is kept within an age and a size (Store.PurgeExchanges).
-- Each exchange records the size it counts for (guichet.ExchangeSize: the
-- bytes of its text plus 64), and exchange_totals keeps their count and sum
-- up to date with every insert and delete, so that the purge knows whether
-- the log is over its size without reading the table.
ALTER TABLE exchanges ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
UPDATE exchanges SET size = length(CAST(id AS BLOB)) + length(CAST(shop_id AS BLOB)) + length(CAST(protocol AS BLOB))
	+ length(CAST(operation AS BLOB)) + length(CAST(reference AS BLOB)) + length(CAST(code AS BLOB))
	+ length(CAST(request AS BLOB)) + length(CAST(response AS BLOB)) + 64;

CREATE TABLE exchange_totals (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	count INTEGER NOT NULL,
	bytes INTEGER NOT NULL
);
INSERT INTO exchange_totals (id, count, bytes) SELECT 1, count(*), coalesce(sum(size), 0) FROM exchanges;
