package com.webook.ranking.repository.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.webook.ranking.domain.Candidate;
import com.webook.ranking.domain.Counts;
import com.webook.ranking.domain.HotArticle;
import com.webook.ranking.domain.HotList;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of {@code ranking:topN}: this class's own records (times as epoch ms), so the domain can
 * change without breaking a value another instance wrote; unknown fields are ignored (a newer
 * writer during a rolling upgrade), missing ones make the value unreadable. JSON rather than
 * protobuf bytes so an operator can read it with {@code redis-cli GET ranking:topN}. Thread-safe.
 */
final class HotListJson {
  private final ObjectMapper json =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  record StoredList(long computedAt, List<StoredArticle> articles) {}

  record StoredArticle(
      long id,
      String title,
      String abstractText,
      long authorId,
      String authorName,
      long utime,
      long readCnt,
      long likeCnt,
      long collectCnt,
      double score) {}

  String write(HotList list) {
    List<StoredArticle> articles = new ArrayList<>(list.articles().size());
    for (HotArticle h : list.articles()) {
      Candidate a = h.article();
      Counts n = h.counts();
      articles.add(
          new StoredArticle(
              a.id(),
              a.title(),
              a.abstractText(),
              a.authorId(),
              a.authorName(),
              a.utime().toEpochMilli(),
              n.reads(),
              n.likes(),
              n.collects(),
              h.score()));
    }
    try {
      return json.writeValueAsString(new StoredList(list.computedAt().toEpochMilli(), articles));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the hot list as JSON", e);
    }
  }

  /** The list in {@code value}; an unreadable value is an {@link IllegalArgumentException}. */
  HotList read(String value) {
    StoredList stored;
    try {
      stored = json.readValue(value, StoredList.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "ranking:topN is not a hot list: " + e.getOriginalMessage());
    }
    List<HotArticle> articles = new ArrayList<>(stored.articles().size());
    for (StoredArticle s : stored.articles()) {
      articles.add(
          new HotArticle(
              new Candidate(
                  s.id(),
                  s.title(),
                  s.abstractText(),
                  s.authorId(),
                  s.authorName(),
                  Instant.ofEpochMilli(s.utime())),
              new Counts(s.readCnt(), s.likeCnt(), s.collectCnt()),
              s.score()));
    }
    return new HotList(articles, Instant.ofEpochMilli(stored.computedAt()));
  }
}
