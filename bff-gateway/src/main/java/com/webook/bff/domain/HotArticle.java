package com.webook.bff.domain;

import java.time.Instant;

/**
 * One entry of the hot list (SPEC §2.4 {@code /ranking/topN}, §7): a published article as
 * ranking-svc ranked it, without its content, with the counters it was ranked by.
 *
 * @param abstractText the first 100 code points of the content without tags ({@code abstract} is a
 *     Java keyword)
 * @param author who wrote it, with the name article-svc filled in
 * @param readCnt reads when the list was computed (0 when ranking-svc sent no counters for it)
 * @param likeCnt likes when the list was computed (0 likewise)
 */
public record HotArticle(
    long id,
    String title,
    String abstractText,
    Author author,
    Instant utime,
    long readCnt,
    long likeCnt) {}
