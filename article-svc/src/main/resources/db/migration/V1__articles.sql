-- SPEC §5.1. Status: 0 unknown, 1 unpublished, 2 published, 3 private. Times: epoch ms.
-- The author's table: drafts and everything the author sees.
CREATE TABLE articles (
  id        BIGINT        NOT NULL AUTO_INCREMENT,
  title     VARCHAR(1024) NOT NULL,
  content   MEDIUMTEXT    NOT NULL,
  author_id BIGINT        NOT NULL,
  status    TINYINT       NOT NULL DEFAULT 0,
  ctime     BIGINT        NOT NULL,
  utime     BIGINT        NOT NULL,
  PRIMARY KEY (id)
);
CREATE INDEX idx_articles_author_utime ON articles (author_id, utime);
CREATE INDEX idx_articles_utime ON articles (utime);

-- The readers' table: the id is copied from articles (not auto-increment).
CREATE TABLE published_articles (
  id        BIGINT        NOT NULL,
  title     VARCHAR(1024) NOT NULL,
  content   MEDIUMTEXT    NOT NULL,
  author_id BIGINT        NOT NULL,
  status    TINYINT       NOT NULL DEFAULT 0,
  ctime     BIGINT        NOT NULL,
  utime     BIGINT        NOT NULL,
  PRIMARY KEY (id)
);
CREATE INDEX idx_published_articles_status_utime ON published_articles (status, utime);
