package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The article VOs of SPEC §2.4 as the BFF sends them, checked strictly: exactly the route's fields
 * (in the order the handler declares them), numbers as JSON integral numbers, booleans as JSON
 * booleans, text as JSON strings and times as strings in {@code yyyy-MM-dd HH:mm:ss}. Jackson's
 * {@code asLong()}/{@code asBoolean()} would also accept {@code "12"} and {@code "true"}; a client
 * written against the spec would not. After {@link #assertShape}, read values with the non-coercing
 * {@code longValue()}, {@code booleanValue()}, {@code textValue()}.
 */
final class ArticleVos {
  private ArticleVos() {}

  /** The JSON type a VO field must have. */
  enum Kind {
    INT64(
        "an integral JSON number within int64", n -> n.isIntegralNumber() && n.canConvertToLong()),
    INT32("an integral JSON number within int32", n -> n.isIntegralNumber() && n.canConvertToInt()),
    TEXT("a JSON string", JsonNode::isTextual),
    TIME("a JSON string \"yyyy-MM-dd HH:mm:ss\"", n -> n.isTextual() && isTime(n.textValue())),
    BOOLEAN("a JSON boolean", JsonNode::isBoolean);

    private final String description;
    private final Predicate<JsonNode> check;

    Kind(String description, Predicate<JsonNode> check) {
      this.description = description;
      this.check = check;
    }
  }

  record Field(String name, Kind kind) {}

  /** {@code /articles/list} items: exactly these six (SPEC §2.4). */
  static final List<Field> LIST_ITEM =
      List.of(
          new Field("id", Kind.INT64),
          new Field("title", Kind.TEXT),
          new Field("abstract", Kind.TEXT),
          new Field("status", Kind.INT32),
          new Field("ctime", Kind.TIME),
          new Field("utime", Kind.TIME));

  /** {@code /articles/detail/{id}}: a list item and the content (README, "Detail"). */
  static final List<Field> DETAIL =
      List.of(
          new Field("id", Kind.INT64),
          new Field("title", Kind.TEXT),
          new Field("abstract", Kind.TEXT),
          new Field("content", Kind.TEXT),
          new Field("status", Kind.INT32),
          new Field("ctime", Kind.TIME),
          new Field("utime", Kind.TIME));

  /** {@code /articles/pub/{id}}: the whole VO of SPEC §2.4. */
  static final List<Field> READER_VIEW =
      List.of(
          new Field("id", Kind.INT64),
          new Field("title", Kind.TEXT),
          new Field("abstract", Kind.TEXT),
          new Field("content", Kind.TEXT),
          new Field("status", Kind.INT32),
          new Field("author", Kind.TEXT),
          new Field("authorId", Kind.INT64),
          new Field("ctime", Kind.TIME),
          new Field("utime", Kind.TIME),
          new Field("readCnt", Kind.INT64),
          new Field("likeCnt", Kind.INT64),
          new Field("collectCnt", Kind.INT64),
          new Field("liked", Kind.BOOLEAN),
          new Field("collected", Kind.BOOLEAN));

  /** {@code /ranking/topN} entries: exactly the fields SPEC §2.4 names, in its order. */
  static final List<Field> HOT_ITEM =
      List.of(
          new Field("id", Kind.INT64),
          new Field("title", Kind.TEXT),
          new Field("abstract", Kind.TEXT),
          new Field("author", Kind.TEXT),
          new Field("authorId", Kind.INT64),
          new Field("likeCnt", Kind.INT64),
          new Field("readCnt", Kind.INT64),
          new Field("utime", Kind.TIME));

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
  private static final Pattern TIME_SHAPE =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}");

  /**
   * Asserts that {@code vo} is a JSON object with exactly {@code shape}'s fields, in that order,
   * each of its kind; returns {@code vo}.
   */
  static JsonNode assertShape(JsonNode vo, List<Field> shape) {
    assertThat(vo).as("a VO").isNotNull();
    assertThat(vo.isObject()).as("a JSON object: %s", vo).isTrue();
    List<String> names = new ArrayList<>();
    vo.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .as("the VO's fields: %s", vo)
        .containsExactlyElementsOf(shape.stream().map(Field::name).toList());
    for (Field f : shape) {
      assertThat(f.kind().check.test(vo.get(f.name())))
          .as("%s is %s, was %s", f.name(), f.kind().description, vo.get(f.name()))
          .isTrue();
    }
    return vo;
  }

  /** The pattern's shape (ASCII digits, fixed widths), then a real date and time of day. */
  private static boolean isTime(String s) {
    if (!TIME_SHAPE.matcher(s).matches()) {
      return false;
    }
    try {
      LocalDateTime.parse(s, TIME);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
