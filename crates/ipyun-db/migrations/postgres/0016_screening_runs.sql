-- Screening runs in the background (issue 6, F4 follow-up): a run is running, completed or
-- failed (with its reason); while it runs its progress is the enterprises in scope (total),
-- screened and stored, and its heartbeat (a run whose heartbeat is older than the lease was
-- interrupted: it is marked failed when read). Results keep their compact outcomes (each
-- filter's outcome and each factor's contribution, JSON), worded when read; rows stored before
-- this migration keep their worded explanation, and `outcomes` is NULL for them.
ALTER TABLE screening_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'completed'
    CHECK (status IN ('running', 'completed', 'failed'));
ALTER TABLE screening_runs ADD COLUMN total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE screening_runs ADD COLUMN stored BIGINT NOT NULL DEFAULT 0;
ALTER TABLE screening_runs ADD COLUMN failure TEXT;
ALTER TABLE screening_runs ADD COLUMN heartbeat_at TIMESTAMPTZ;
ALTER TABLE screening_runs ADD COLUMN finished_at TIMESTAMPTZ;
UPDATE screening_runs SET total = screened, stored = screened, heartbeat_at = created_at,
    finished_at = created_at;
CREATE INDEX screening_runs_running ON screening_runs(status) WHERE status = 'running';

ALTER TABLE screening_results ADD COLUMN outcomes TEXT;
