-- The abstract (SPEC §2.4: the first 100 code points of the sanitized content without tags) is
-- computed once, when an article is saved or published, and stored next to the content: lists
-- (the author's pages, ListPub for ranking) then read 100 characters per article instead of up to
-- 1 MiB of HTML each. utf8mb4 VARCHAR counts code points, as the abstract does.
ALTER TABLE articles ADD COLUMN abstract VARCHAR(100) NOT NULL DEFAULT '' AFTER content;
ALTER TABLE published_articles ADD COLUMN abstract VARCHAR(100) NOT NULL DEFAULT '' AFTER content;
