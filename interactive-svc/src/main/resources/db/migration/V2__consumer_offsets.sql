-- SPEC §6.4: the consumed position of every partition of the read-event topic, written in the
-- same transaction as the counters it accounts for (compare-and-set on next_offset, README
-- "Read events"). Kafka's committed offsets are advisory; this table is the truth.
CREATE TABLE consumer_offsets (
  topic       VARCHAR(249) NOT NULL,
  `partition` INT          NOT NULL,
  next_offset BIGINT       NOT NULL,
  utime       BIGINT       NOT NULL,
  PRIMARY KEY (topic, `partition`)
);
