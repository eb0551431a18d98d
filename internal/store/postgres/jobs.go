package postgres

import (
	"time"

	"guichet"
	"guichet/internal/store/tables"
)

// takeJobsQuery takes due jobs in one statement. groups lists the groups
// with free due jobs; for each, the lateral subquery locks, in order, as
// many of its free due jobs as the group may still start, skipping those
// another unit of work holds, so that instances claiming at the same moment
// get the next jobs rather than nothing; chosen keeps the earliest of them
// up to the claim's limit (the others are unlocked by the commit that
// follows at once). Locking a row that another claim leased and committed
// meanwhile checks the row's new version against the subquery's conditions
// (READ COMMITTED re-evaluates them), so a job leased elsewhere is never
// taken twice. leased writes the lease, and the final SELECT returns the
// jobs as they were, original due times included.
var takeJobsQuery = `WITH groups AS (
		SELECT DISTINCT group_key FROM jobs
		WHERE shop_id = $1 AND (due_at IS NULL OR due_at <= $2) AND (lease_until IS NULL OR lease_until <= $3)
			AND (cardinality($4::text[]) = 0 OR kind = ANY($4::text[])) AND NOT (kind = ANY($5::text[]))
	), chosen AS (
		SELECT t.* FROM groups AS g
		LEFT JOIN unnest($6::text[], $7::int[]) AS r(grp, n) ON r.grp = g.group_key
		CROSS JOIN LATERAL (
			SELECT ` + tables.Jobs.Qualified("j") + `, j.seq FROM jobs AS j
			WHERE j.shop_id = $1 AND j.group_key = g.group_key
				AND (j.due_at IS NULL OR j.due_at <= $2) AND (j.lease_until IS NULL OR j.lease_until <= $3)
				AND (cardinality($4::text[]) = 0 OR j.kind = ANY($4::text[])) AND NOT (j.kind = ANY($5::text[]))
			ORDER BY j.due_at NULLS FIRST, j.seq
			LIMIT CASE WHEN $8 <= 0 THEN $9 ELSE least(greatest($8 - coalesce(r.n, 0), 0), $9) END
			FOR UPDATE OF j SKIP LOCKED
		) AS t
		ORDER BY t.due_at NULLS FIRST, t.seq LIMIT $9
	), leased AS (
		UPDATE jobs SET lease_until = $10, due_at = coalesce($11::timestamptz, jobs.due_at)
		FROM chosen WHERE jobs.id = chosen.id
	)
	SELECT ` + tables.Jobs.Columns + ` FROM chosen ORDER BY due_at NULLS FIRST, seq`

// TakeJobs takes and leases due jobs; see takeJobsQuery.
func (t *tx) TakeJobs(c guichet.JobClaim) ([]guichet.Job, error) {
	if err := t.check(true); err != nil {
		return nil, err
	}
	limit := c.Limit
	if limit <= 0 {
		limit = 100
	}
	groups := make([]string, 0, len(c.Running))
	counts := make([]int32, 0, len(c.Running))
	for g, n := range c.Running {
		groups, counts = append(groups, g), append(counts, int32(n))
	}
	kinds := append([]string{}, c.Kinds...)
	except := append([]string{}, c.ExceptKinds...)
	return list(t, "take jobs", tables.Jobs.Scan, takeJobsQuery, c.ShopID, timeArg(c.Due), timeArg(c.Now), kinds, except,
		groups, counts, c.GroupLimit, limit, timeArg(c.LeaseUntil), timeArg(c.RetryAt))
}

// jobBacklog counts a shop's due jobs by kind.
const jobBacklog = "SELECT " + tables.JobBacklogColumns + ` FROM jobs
	WHERE shop_id = $1 AND (due_at IS NULL OR due_at <= $2) GROUP BY kind ORDER BY kind`

// JobBacklog counts due jobs by kind.
func (t *tx) JobBacklog(shopID string, now time.Time) ([]guichet.JobBacklog, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "count jobs", tables.ScanJobBacklog, jobBacklog, shopID, timeArg(now))
}

// jobsQuery lists a shop's jobs, leased or not, in the order DueJobs takes
// them, which the index jobs_due (shop_id, due_at NULLS FIRST, seq) gives
// without a sort. A NULL $2 (the zero until) bounds nothing, and an empty
// array $3 filters no kind, so that one text serves every call.
var jobsQuery = "SELECT " + tables.Jobs.Columns + ` FROM jobs
	WHERE shop_id = $1 AND ($2::timestamptz IS NULL OR due_at IS NULL OR due_at <= $2)
		AND (cardinality($3::text[]) = 0 OR kind = ANY($3::text[]))
	ORDER BY due_at NULLS FIRST, seq LIMIT $4`

// Jobs lists a shop's jobs without locking any, unlike DueJobs inside
// Update: the back office only shows them, and must not hold back a worker
// taking them meanwhile.
func (t *tx) Jobs(shopID string, until time.Time, kinds []string, limit int) ([]guichet.Job, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	// A nil slice would be a NULL array, whose cardinality is NULL, not 0.
	kinds = append([]string{}, kinds...)
	return list(t, "list jobs", tables.Jobs.Scan, jobsQuery, shopID, timeArg(until), kinds, tables.JobsLimit(limit))
}
