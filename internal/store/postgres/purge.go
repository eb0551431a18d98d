package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"guichet"
)

// purgeBatch bounds the exchanges one statement of a purge deletes, so that
// each holds its locks briefly however far behind the purge is.
const purgeBatch = 1000

// purgeLock is the advisory lock key that makes size purges take turns.
const purgeLock int64 = 0x6775696368657475

// PurgeExchanges deletes the exchanges past p in batches, each one
// statement in a transaction of its own that also updates the totals.
// Instances may purge at once: the age batches skip the rows another one
// has locked, and count only the rows they deleted; the size batches take
// turns (purgeExcess).
func (s *Store) PurgeExchanges(ctx context.Context, p guichet.ExchangePurge) (deleted, left guichet.ExchangeTotals, err error) {
	if err := s.flush(ctx); err != nil {
		return deleted, left, err
	}
	if !p.Before.IsZero() {
		for {
			d, err := s.deleteExchanges(ctx, s.pool, `SELECT id FROM exchanges WHERE at < $1 ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED`,
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
	if p.MaxBytes <= 0 {
		left, err = s.exchangeTotals(ctx, s.pool)
		return deleted, left, err
	}
	for {
		d, l, more, err := s.purgeExcess(ctx, p.MaxBytes)
		deleted.Count, deleted.Bytes = deleted.Count+d.Count, deleted.Bytes+d.Bytes
		if left = l; err != nil || !more {
			return deleted, left, err
		}
	}
}

// purgeExcess deletes, in one transaction, the oldest exchanges of one
// batch whose sizes bring the total within max. The transaction first takes
// an advisory lock, so that instances purging at once take turns: each
// reads the totals the other left, and none deletes what another's
// deletion already brought within the limit. It reports whether there may
// be more to delete.
func (s *Store) purgeExcess(ctx context.Context, max int64) (deleted, left guichet.ExchangeTotals, more bool, err error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return deleted, left, false, convert(err, "purge exchanges")
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", purgeLock); err != nil {
		return deleted, left, false, convert(err, "purge exchanges")
	}
	if left, err = s.exchangeTotals(ctx, tx); err != nil || left.Bytes <= max {
		return deleted, left, false, err
	}
	// The oldest exchanges whose sizes, added up, bring the total within
	// the limit: a prefix of the oldest batch.
	rows, err := tx.Query(ctx, `SELECT size FROM exchanges ORDER BY at, seq LIMIT $1`, purgeBatch)
	if err != nil {
		return deleted, left, false, convert(err, "purge exchanges")
	}
	var n int
	excess := left.Bytes - max
	for rows.Next() && excess > 0 {
		var size int64
		if err := rows.Scan(&size); err != nil {
			rows.Close()
			return deleted, left, false, convert(err, "purge exchanges")
		}
		excess -= size
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return deleted, left, false, convert(err, "purge exchanges")
	}
	if n == 0 {
		// The totals count exchanges the table no longer has (rows
		// deleted by hand): there is nothing older to delete.
		return deleted, left, false, nil
	}
	if deleted, err = s.deleteExchanges(ctx, tx, `SELECT id FROM exchanges ORDER BY at, seq LIMIT $1 FOR UPDATE`, n); err != nil {
		return deleted, left, false, err
	}
	if err := tx.Commit(ctx); err != nil {
		return guichet.ExchangeTotals{}, left, false, convert(err, "purge exchanges")
	}
	left.Count, left.Bytes = left.Count-deleted.Count, left.Bytes-deleted.Bytes
	return deleted, left, true, nil
}

// querier is what the purge's statements run on: the pool, or one
// transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// deleteExchanges deletes the exchanges the query selects and takes them
// off the totals, in one statement.
func (s *Store) deleteExchanges(ctx context.Context, q querier, selectIDs string, args ...any) (guichet.ExchangeTotals, error) {
	var d guichet.ExchangeTotals
	err := q.QueryRow(ctx, `WITH deleted AS (
			DELETE FROM exchanges WHERE id IN (`+selectIDs+`) RETURNING size),
		counted AS (SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM deleted)
		UPDATE exchange_totals SET count = count - counted.n, bytes = exchange_totals.bytes - counted.bytes FROM counted
		WHERE id = 1 RETURNING counted.n, counted.bytes`, args...).Scan(&d.Count, &d.Bytes)
	if err != nil {
		return d, convert(err, "purge exchanges")
	}
	return d, nil
}

func (s *Store) exchangeTotals(ctx context.Context, q querier) (guichet.ExchangeTotals, error) {
	var t guichet.ExchangeTotals
	if err := q.QueryRow(ctx, "SELECT count, bytes FROM exchange_totals WHERE id = 1").Scan(&t.Count, &t.Bytes); err != nil {
		return t, convert(err, "exchange totals")
	}
	return t, nil
}

// PurgeClaims deletes the ended claims made before before, a batch per
// statement, oldest first; instances purging at once skip each other's
// rows.
func (s *Store) PurgeClaims(ctx context.Context, before time.Time) (int, error) {
	total := 0
	for {
		tag, err := s.pool.Exec(ctx, `DELETE FROM claims WHERE (shop_id, key) IN (SELECT shop_id, key FROM claims
			WHERE state <> 'pending' AND at < $1 ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED)`, before, purgeBatch)
		if err != nil {
			return total, convert(err, "purge claims")
		}
		total += int(tag.RowsAffected())
		if tag.RowsAffected() == 0 {
			return total, nil
		}
	}
}
