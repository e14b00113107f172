-- Mirrors ranking-svc/src/main/resources/db/migration/V1__jobs.sql (the table belongs to the
-- service that uses the scheduler; the platform's tests create the same one). Keep them equal.
-- SPEC §7.2: generic jobs preempted through MySQL. status: 0 waiting, 1 running, 2 paused.
-- next_time and utime are epoch ms; version is the CAS counter for preemption.
CREATE TABLE jobs (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  name       VARCHAR(128) NOT NULL,
  executor   VARCHAR(128) NOT NULL,
  cfg        TEXT         NOT NULL,
  expression VARCHAR(128) NOT NULL,
  version    BIGINT       NOT NULL DEFAULT 0,
  next_time  BIGINT       NOT NULL,
  status     TINYINT      NOT NULL DEFAULT 0,
  ctime      BIGINT       NOT NULL,
  utime      BIGINT       NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uk_jobs_name UNIQUE (name)
);
CREATE INDEX idx_jobs_next_time ON jobs (next_time);
