package sqlite

import (
	"encoding/json"
	"time"

	"guichet"
	"guichet/internal/store/tables"
)

// takeJobsQuery lists the jobs a claim takes. The window counts the jobs of
// each group in the order they would be taken, so that no group gets more
// than its share; json_each keeps the query text constant whatever the
// lists, and with it the writer's statement cache small. NULL due times
// (the zero time) sort first, as in DueJobs.
var takeJobsQuery = `SELECT ` + tables.Jobs.Qualified("c") + ` FROM (
		SELECT ` + tables.Jobs.Columns + `, seq,
			row_number() OVER (PARTITION BY group_key ORDER BY due_at, seq) AS rn
		FROM jobs
		WHERE shop_id = ?1 AND (due_at IS NULL OR due_at <= ?2) AND (lease_until IS NULL OR lease_until <= ?3)
			AND (json_array_length(?4) = 0 OR kind IN (SELECT value FROM json_each(?4)))
			AND kind NOT IN (SELECT value FROM json_each(?5))
	) AS c LEFT JOIN json_each(?6) AS r ON r.key = c.group_key
	WHERE ?7 <= 0 OR c.rn <= ?7 - coalesce(r.value, 0)
	ORDER BY c.due_at, c.seq LIMIT ?8`

// TakeJobs needs no row locks: the writer runs one Update function at a
// time, and the file belongs to one Store. The lease still matters, to the
// several takers of one process.
func (t *tx) TakeJobs(c guichet.JobClaim) ([]guichet.Job, error) {
	if err := t.check(true); err != nil {
		return nil, err
	}
	limit := c.Limit
	if limit <= 0 {
		limit = 100
	}
	kinds, except, running, err := claimLists(c)
	if err != nil {
		return nil, err
	}
	jobs, err := list(t, "take jobs", tables.Jobs.Scan, takeJobsQuery, c.ShopID, nanos(c.Due), nanos(c.Now), kinds, except, running,
		c.GroupLimit, limit)
	if err != nil || len(jobs) == 0 {
		return jobs, err
	}
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.ID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, convert(err, "take jobs")
	}
	_, err = t.run.exec(`UPDATE jobs SET lease_until = ?, due_at = coalesce(?, due_at)
		WHERE id IN (SELECT value FROM json_each(?))`, nanos(c.LeaseUntil), nanos(c.RetryAt), string(list))
	if err != nil {
		return nil, convert(err, "lease jobs")
	}
	return jobs, nil
}

// claimLists encodes the lists of a claim as JSON for json_each.
func claimLists(c guichet.JobClaim) (kinds, except, running string, err error) {
	enc := func(v any) string {
		if err != nil {
			return ""
		}
		var b []byte
		b, err = json.Marshal(v)
		return string(b)
	}
	kinds = enc(append([]string{}, c.Kinds...))
	except = enc(append([]string{}, c.ExceptKinds...))
	running = enc(orEmpty(c.Running))
	if err != nil {
		err = convert(err, "take jobs")
	}
	return kinds, except, running, err
}

func orEmpty(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// jobBacklog counts a shop's due jobs by kind.
const jobBacklog = "SELECT " + tables.JobBacklogColumns + ` FROM jobs
	WHERE shop_id = ? AND (due_at IS NULL OR due_at <= ?) GROUP BY kind ORDER BY kind`

// JobBacklog counts due jobs by kind.
func (t *tx) JobBacklog(shopID string, now time.Time) ([]guichet.JobBacklog, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "count jobs", tables.ScanJobBacklog, jobBacklog, shopID, nanos(now))
}

// jobsQuery lists a shop's jobs, leased or not, in the order DueJobs takes
// them, which the index jobs_due (shop_id, due_at, seq) gives without a
// sort. A NULL ?2 (the zero until) bounds nothing, and an empty array ?3
// filters no kind: one text whatever the arguments, for the writer's
// statement cache, with the kinds passed as one JSON array for json_each.
var jobsQuery = "SELECT " + tables.Jobs.Columns + ` FROM jobs
	WHERE shop_id = ?1 AND (?2 IS NULL OR due_at IS NULL OR due_at <= ?2)
		AND (json_array_length(?3) = 0 OR kind IN (SELECT value FROM json_each(?3)))
	ORDER BY due_at, seq LIMIT ?4`

// Jobs lists a shop's jobs without leasing or reserving any: it only reads,
// so View may call it as well as Update.
func (t *tx) Jobs(shopID string, until time.Time, kinds []string, limit int) ([]guichet.Job, error) {
	if err := t.check(false); err != nil {
		return nil, err
	}
	return list(t, "list jobs", tables.Jobs.Scan, jobsQuery, shopID, nanos(until), tables.TextList(kinds),
		tables.JobsLimit(limit))
}
