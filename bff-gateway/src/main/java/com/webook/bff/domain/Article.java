package com.webook.bff.domain;

import java.time.Instant;

/**
 * An article as article-svc returns it, in the author view or the reader view. Absent text fields
 * are empty strings, as on the wire.
 *
 * @param status 0 unknown, 1 unpublished, 2 published, 3 private (SPEC §5.1); passed through as the
 *     VO's {@code status}
 * @param abstractText the first 100 code points of the sanitized content without tags, computed by
 *     article-svc ({@code abstract} is a Java keyword)
 * @param author who wrote it; the name is filled in the reader view only
 */
public record Article(
    long id,
    String title,
    String content,
    String abstractText,
    int status,
    Author author,
    Instant ctime,
    Instant utime) {

  /** Whether {@code uid} wrote it. */
  public boolean isBy(long uid) {
    return author.id() == uid;
  }
}
