package postgres

import (
	"context"

	"guichet"
)

// purgeBatch bounds the exchanges one statement of a purge deletes, so that
// each holds its locks briefly however far behind the purge is.
const purgeBatch = 1000

// PurgeExchanges deletes the exchanges past p in batches, each one
// statement in a transaction of its own that also updates the totals.
// Instances may purge at once: the batches skip the rows another one has
// locked, and count only the rows they deleted.
func (s *Store) PurgeExchanges(ctx context.Context, p guichet.ExchangePurge) (deleted, left guichet.ExchangeTotals, err error) {
	if err := s.flush(ctx); err != nil {
		return deleted, left, err
	}
	if !p.Before.IsZero() {
		for {
			d, err := s.deleteExchanges(ctx, `SELECT id FROM exchanges WHERE at < $1 ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED`,
				p.Before, purgeBatch)
			deleted.Count, deleted.Bytes = deleted.Count+d.Count, deleted.Bytes+d.Bytes
			if err != nil || d.Count == 0 {
				if err != nil {
					return deleted, left, err
				}
				break
			}
		}
	}
	for {
		if left, err = s.exchangeTotals(ctx); err != nil || p.MaxBytes <= 0 || left.Bytes <= p.MaxBytes {
			return deleted, left, err
		}
		// The oldest exchanges whose sizes, added up, bring the total
		// within the limit: a prefix of the oldest batch.
		rows, err := s.pool.Query(ctx, `SELECT size FROM exchanges ORDER BY at, seq LIMIT $1`, purgeBatch)
		if err != nil {
			return deleted, left, convert(err, "purge exchanges")
		}
		var n int
		excess := left.Bytes - p.MaxBytes
		for rows.Next() && excess > 0 {
			var size int64
			if err := rows.Scan(&size); err != nil {
				rows.Close()
				return deleted, left, convert(err, "purge exchanges")
			}
			excess -= size
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return deleted, left, convert(err, "purge exchanges")
		}
		if n == 0 {
			// The totals count exchanges the table no longer has
			// (rows deleted by hand): there is nothing older to delete.
			return deleted, left, nil
		}
		d, err := s.deleteExchanges(ctx, `SELECT id FROM exchanges ORDER BY at, seq LIMIT $1 FOR UPDATE SKIP LOCKED`, n)
		deleted.Count, deleted.Bytes = deleted.Count+d.Count, deleted.Bytes+d.Bytes
		if err != nil {
			return deleted, left, err
		}
	}
}

// deleteExchanges deletes the exchanges the query selects and takes them
// off the totals, in one statement.
func (s *Store) deleteExchanges(ctx context.Context, selectIDs string, args ...any) (guichet.ExchangeTotals, error) {
	var d guichet.ExchangeTotals
	err := s.pool.QueryRow(ctx, `WITH deleted AS (
			DELETE FROM exchanges WHERE id IN (`+selectIDs+`) RETURNING size),
		counted AS (SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM deleted)
		UPDATE exchange_totals SET count = count - counted.n, bytes = exchange_totals.bytes - counted.bytes FROM counted
		WHERE id = 1 RETURNING counted.n, counted.bytes`, args...).Scan(&d.Count, &d.Bytes)
	if err != nil {
		return d, convert(err, "purge exchanges")
	}
	return d, nil
}

func (s *Store) exchangeTotals(ctx context.Context) (guichet.ExchangeTotals, error) {
	var t guichet.ExchangeTotals
	if err := s.pool.QueryRow(ctx, "SELECT count, bytes FROM exchange_totals WHERE id = 1").Scan(&t.Count, &t.Bytes); err != nil {
		return t, convert(err, "exchange totals")
	}
	return t, nil
}

// storableExchange is e with its text as the store keeps it.
func storableExchange(e guichet.Exchange) guichet.Exchange {
	for _, f := range []*string{&e.ID, &e.ShopID, &e.Protocol, &e.Operation, &e.Reference, &e.Code, &e.Request, &e.Response} {
		*f = guichet.StorableText(*f)
	}
	return e
}
