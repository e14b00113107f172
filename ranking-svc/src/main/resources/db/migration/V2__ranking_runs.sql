-- Every computation of the hot list, whoever ran it (README "Scheduling"): operators see who
-- computed what and when; tests count runs per period. Times are epoch ms.
-- due: the fire time the run was for (the job row's next_time when it was taken).
-- outcome: published (stored in Redis), fenced (the lock was someone else's by the end: nothing
-- written), local_only (Redis failed at publish), failed (a source failed: the last list stays),
-- lost (the job row was taken over during the run: nothing written).
CREATE TABLE ranking_runs (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  instance    VARCHAR(128) NOT NULL,
  job_version BIGINT       NOT NULL,
  due         BIGINT       NOT NULL,
  started     BIGINT       NOT NULL,
  finished    BIGINT       NOT NULL,
  outcome     VARCHAR(16)  NOT NULL,
  scanned     BIGINT       NOT NULL,
  listed      INT          NOT NULL,
  detail      VARCHAR(512) NOT NULL DEFAULT '',
  PRIMARY KEY (id)
);
CREATE INDEX idx_ranking_runs_started ON ranking_runs (started);
