-- Job leases and groups. A job taken to run is leased until lease_until
-- (real time, unlike due_at, which is on the shop's clock): other takers,
-- in this instance or another, leave it alone until then, and should its
-- instance die, it is taken again afterwards. group_key names the jobs that
-- share a limit on how many run at once: a delivery's destination.
ALTER TABLE jobs
	ADD COLUMN group_key   TEXT NOT NULL DEFAULT '',
	ADD COLUMN lease_until TIMESTAMPTZ;

-- A claim takes the earliest free due jobs of each group of a shop.
CREATE INDEX jobs_group_due ON jobs (shop_id, group_key, due_at NULLS FIRST, seq);
