package com.webook.article.repository.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.webook.article.domain.Article;
import com.webook.article.domain.ArticleStatus;
import com.webook.article.domain.ArticleSummary;
import com.webook.article.domain.PublishedArticle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shapes of cached articles. They are this class's own records (times as epoch ms,
 * statuses as codes), so the domain records can change without breaking values other instances
 * wrote; unknown fields are ignored (a newer writer during a rolling upgrade), missing ones make
 * the value unreadable (treated as a miss by the caller), never a half-filled article. Thread-safe.
 */
final class ArticleJson {
  private static final TypeReference<List<CachedSummary>> SUMMARIES = new TypeReference<>() {};

  private final ObjectMapper json =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  record CachedArticle(
      long id,
      String title,
      String content,
      String abstractText,
      long authorId,
      int status,
      long ctime,
      long utime) {
    static CachedArticle of(Article a) {
      return new CachedArticle(
          a.id(),
          a.title(),
          a.content(),
          a.abstractText(),
          a.authorId(),
          a.status().code(),
          a.ctime().toEpochMilli(),
          a.utime().toEpochMilli());
    }

    Article toDomain() {
      return new Article(
          id,
          title,
          content,
          abstractText,
          authorId,
          ArticleStatus.of(status),
          Instant.ofEpochMilli(ctime),
          Instant.ofEpochMilli(utime));
    }
  }

  record CachedView(CachedArticle article, String authorName) {}

  record CachedSummary(
      long id,
      String title,
      String abstractText,
      long authorId,
      int status,
      long ctime,
      long utime) {
    static CachedSummary of(ArticleSummary s) {
      return new CachedSummary(
          s.id(),
          s.title(),
          s.abstractText(),
          s.authorId(),
          s.status().code(),
          s.ctime().toEpochMilli(),
          s.utime().toEpochMilli());
    }

    ArticleSummary toDomain() {
      return new ArticleSummary(
          id,
          title,
          abstractText,
          authorId,
          ArticleStatus.of(status),
          Instant.ofEpochMilli(ctime),
          Instant.ofEpochMilli(utime));
    }
  }

  String article(Article a) {
    return write(CachedArticle.of(a));
  }

  Article article(String body) throws JsonProcessingException {
    return json.readValue(body, CachedArticle.class).toDomain();
  }

  String view(PublishedArticle v) {
    return write(new CachedView(CachedArticle.of(v.article()), v.authorName()));
  }

  PublishedArticle view(String body) throws JsonProcessingException {
    CachedView v = json.readValue(body, CachedView.class);
    return new PublishedArticle(v.article().toDomain(), v.authorName());
  }

  String summaries(List<ArticleSummary> list) {
    List<CachedSummary> cached = new ArrayList<>(list.size());
    for (ArticleSummary s : list) {
      cached.add(CachedSummary.of(s));
    }
    return write(cached);
  }

  List<ArticleSummary> summaries(String body) throws JsonProcessingException {
    List<CachedSummary> cached = json.readValue(body, SUMMARIES);
    List<ArticleSummary> list = new ArrayList<>(cached.size());
    for (CachedSummary s : cached) {
      list.add(s.toDomain());
    }
    return list;
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }
}
