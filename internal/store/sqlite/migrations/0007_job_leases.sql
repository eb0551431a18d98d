-- Job leases and groups. A job taken to run is leased until lease_until
-- (real time, in nanoseconds, unlike due_at, which is on the shop's clock):
-- other takers leave it alone until then, and should its instance die, it
-- is taken again afterwards. group_key names the jobs that share a limit on
-- how many run at once: a delivery's destination.
ALTER TABLE jobs ADD COLUMN group_key TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN lease_until INTEGER;
