-- SPEC §6.1. Times: epoch ms.
CREATE TABLE interactives (
  id          BIGINT       NOT NULL AUTO_INCREMENT,
  biz         VARCHAR(128) NOT NULL,
  biz_id      BIGINT       NOT NULL,
  read_cnt    BIGINT       NOT NULL DEFAULT 0,
  like_cnt    BIGINT       NOT NULL DEFAULT 0,
  collect_cnt BIGINT       NOT NULL DEFAULT 0,
  ctime       BIGINT       NOT NULL,
  utime       BIGINT       NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uk_interactives_biz UNIQUE (biz_id, biz)
);

-- status: 1 liked, 0 cancelled
CREATE TABLE user_like_bizs (
  id     BIGINT       NOT NULL AUTO_INCREMENT,
  uid    BIGINT       NOT NULL,
  biz    VARCHAR(128) NOT NULL,
  biz_id BIGINT       NOT NULL,
  status TINYINT      NOT NULL,
  ctime  BIGINT       NOT NULL,
  utime  BIGINT       NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uk_user_like_bizs UNIQUE (uid, biz_id, biz)
);

CREATE TABLE user_collection_bizs (
  id     BIGINT       NOT NULL AUTO_INCREMENT,
  uid    BIGINT       NOT NULL,
  biz    VARCHAR(128) NOT NULL,
  biz_id BIGINT       NOT NULL,
  cid    BIGINT       NOT NULL DEFAULT 0,
  ctime  BIGINT       NOT NULL,
  utime  BIGINT       NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uk_user_collection_bizs UNIQUE (uid, biz_id, biz)
);
CREATE INDEX idx_user_collection_bizs_cid ON user_collection_bizs (cid);

CREATE TABLE collections (
  id    BIGINT       NOT NULL AUTO_INCREMENT,
  uid   BIGINT       NOT NULL,
  name  VARCHAR(256) NOT NULL,
  ctime BIGINT       NOT NULL,
  utime BIGINT       NOT NULL,
  PRIMARY KEY (id)
);
