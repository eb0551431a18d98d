package guichet

import "time"

// JobClaim says which due jobs Tx.TakeJobs takes, and for how long.
//
// Two clocks are at play. Due is on the shop's clock, which a TEST shop may
// advance; Now and LeaseUntil are real time, the same for every shop, so that
// advancing a clock never ends the lease of a job being run.
type JobClaim struct {
	ShopID string
	// Due is the shop's time: jobs due at or before it are taken.
	Due time.Time
	// Kinds, when not empty, are the only kinds taken; ExceptKinds are
	// never taken.
	Kinds       []string
	ExceptKinds []string
	// GroupLimit, when positive, caps how many jobs of one group may run at
	// once: at most GroupLimit less the group's Running count are taken
	// from a group, so that a claim never takes jobs that would have to
	// wait for a slot of their group.
	GroupLimit int
	// Running counts, per group, the jobs the caller already runs.
	Running map[string]int
	// Now is the real time: a job leased until Now or earlier is free.
	Now time.Time
	// LeaseUntil is the real time until which the jobs taken are hidden
	// from other claims.
	LeaseUntil time.Time
	// RetryAt, when not zero, is the shop's time the jobs taken fall due
	// again at should their run end without rescheduling or deleting them
	// (or never end, its instance having died).
	RetryAt time.Time
	// Limit caps how many jobs are taken; 0 or less means 100.
	Limit int
}

// JobBacklog is how many jobs of a kind are due, and since when.
type JobBacklog struct {
	Kind string
	Due  int
	// Oldest is the due time of the earliest, on the shop's clock; zero
	// when every one of them is due at once (the zero due time).
	Oldest time.Time
}
