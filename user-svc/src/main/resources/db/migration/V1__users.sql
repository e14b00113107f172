-- SPEC §4.1. Absent email/phone/openId are NULL (never ''), so the unique keys allow many of them.
-- Times are epoch milliseconds.
CREATE TABLE users (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  email           VARCHAR(255) NULL,
  password        VARCHAR(72)  NULL,
  phone           VARCHAR(32)  NULL,
  nickname        VARCHAR(64)  NOT NULL DEFAULT '',
  birthday        BIGINT       NULL,
  about_me        VARCHAR(1024) NOT NULL DEFAULT '',
  wechat_open_id  VARCHAR(128) NULL,
  wechat_union_id VARCHAR(128) NULL,
  ctime           BIGINT       NOT NULL,
  utime           BIGINT       NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT uk_users_email UNIQUE (email),
  CONSTRAINT uk_users_phone UNIQUE (phone),
  CONSTRAINT uk_users_wechat_open_id UNIQUE (wechat_open_id)
);

-- SPEC §4.5: SMS requests accepted while providers are limited or down, sent later by a worker.
-- status: 0 waiting, 1 sending, 2 sent, 3 failed.
CREATE TABLE async_sms (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  tpl_id        VARCHAR(128) NOT NULL,
  args          JSON         NOT NULL,
  numbers       JSON         NOT NULL,
  status        TINYINT      NOT NULL DEFAULT 0,
  retry_cnt     INT          NOT NULL DEFAULT 0,
  max_retry     INT          NOT NULL,
  next_retry_at BIGINT       NOT NULL,
  ctime         BIGINT       NOT NULL,
  utime         BIGINT       NOT NULL,
  PRIMARY KEY (id)
);
CREATE INDEX idx_async_sms_status_next ON async_sms (status, next_retry_at);
