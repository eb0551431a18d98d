package sqlite

import (
	"context"
	"time"

	"guichet"
)

// purgeBatch bounds the exchanges one unit of work of a purge deletes, so
// that the payments queued behind it wait for a few milliseconds at most,
// however far behind the purge is.
const purgeBatch = 1000

// PurgeExchanges deletes the exchanges past p in batches, each one Update
// of its own that also updates the totals: the writer commits payments
// between two batches. Rows are taken oldest first through the index on
// their time.
func (s *Store) PurgeExchanges(ctx context.Context, p guichet.ExchangePurge) (deleted, left guichet.ExchangeTotals, err error) {
	if !p.Before.IsZero() {
		for {
			var d guichet.ExchangeTotals
			err := s.Update(ctx, func(gt guichet.Tx) (err error) {
				d, err = gt.(*tx).deleteExchanges(`SELECT rowid FROM exchanges WHERE at < ? ORDER BY at, rowid LIMIT ?`, nanos(p.Before), purgeBatch)
				return err
			})
			if err != nil {
				return deleted, left, err
			}
			deleted.Count, deleted.Bytes = deleted.Count+d.Count, deleted.Bytes+d.Bytes
			if d.Count < purgeBatch {
				break
			}
		}
	}
	for done := false; !done; {
		err := s.Update(ctx, func(gt guichet.Tx) error {
			t := gt.(*tx)
			var err error
			if left, err = t.exchangeTotals(); err != nil || p.MaxBytes <= 0 || left.Bytes <= p.MaxBytes {
				done = true
				return err
			}
			// The oldest exchanges whose sizes, added up, bring the
			// total within the limit: a prefix of the oldest batch.
			rows, err := t.run.query(`SELECT size FROM exchanges ORDER BY at, rowid LIMIT ?`, purgeBatch)
			if err != nil {
				return convert(err, "purge exchanges")
			}
			n := 0
			excess := left.Bytes - p.MaxBytes
			for rows.Next() && excess > 0 {
				var size int64
				if err := rows.Scan(&size); err != nil {
					rows.Close()
					return convert(err, "purge exchanges")
				}
				excess -= size
				n++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return convert(err, "purge exchanges")
			}
			if n == 0 {
				// The totals count exchanges the table no longer
				// has (rows deleted by hand): nothing older is left.
				done = true
				return nil
			}
			d, err := t.deleteExchanges(`SELECT rowid FROM exchanges ORDER BY at, rowid LIMIT ?`, n)
			deleted.Count, deleted.Bytes = deleted.Count+d.Count, deleted.Bytes+d.Bytes
			left.Count, left.Bytes = left.Count-d.Count, left.Bytes-d.Bytes
			done = left.Bytes <= p.MaxBytes
			return err
		})
		if err != nil {
			return deleted, left, err
		}
	}
	return deleted, left, nil
}

// deleteExchanges deletes the exchanges whose rowids selectIDs selects, and
// takes them off the totals.
func (t *tx) deleteExchanges(selectIDs string, args ...any) (guichet.ExchangeTotals, error) {
	var d guichet.ExchangeTotals
	rows, err := t.run.query(`DELETE FROM exchanges WHERE rowid IN (`+selectIDs+`) RETURNING size`, args...)
	if err != nil {
		return d, convert(err, "purge exchanges")
	}
	for rows.Next() {
		var size int64
		if err := rows.Scan(&size); err != nil {
			rows.Close()
			return d, convert(err, "purge exchanges")
		}
		d.Count++
		d.Bytes += size
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return d, convert(err, "purge exchanges")
	}
	if _, err := t.run.exec("UPDATE exchange_totals SET count = count - ?, bytes = bytes - ? WHERE id = 1", d.Count, d.Bytes); err != nil {
		return d, convert(err, "purge exchanges")
	}
	return d, nil
}

func (t *tx) exchangeTotals() (guichet.ExchangeTotals, error) {
	var c guichet.ExchangeTotals
	rows, err := t.run.query("SELECT count, bytes FROM exchange_totals WHERE id = 1")
	if err != nil {
		return c, convert(err, "exchange totals")
	}
	defer rows.Close()
	if rows.Next() {
		err = rows.Scan(&c.Count, &c.Bytes)
	} else {
		err = rows.Err()
	}
	if err != nil {
		return c, convert(err, "exchange totals")
	}
	return c, nil
}

// PurgeClaims deletes the ended claims made before before, a batch per
// Update, oldest first.
func (s *Store) PurgeClaims(ctx context.Context, before time.Time) (int, error) {
	total := 0
	for {
		var n int64
		err := s.Update(ctx, func(gt guichet.Tx) error {
			res, err := gt.(*tx).run.exec(`DELETE FROM claims WHERE (shop_id, key) IN (SELECT shop_id, key FROM claims
				WHERE state <> 'pending' AND at < ? ORDER BY at LIMIT ?)`, nanos(before), purgeBatch)
			if err != nil {
				return convert(err, "purge claims")
			}
			n, err = res.RowsAffected()
			return convert(err, "purge claims")
		})
		total += int(n)
		if err != nil || n < purgeBatch {
			return total, err
		}
	}
}
