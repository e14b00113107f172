package com.webook.interactive.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Parses one {@code article_read} value, {@code {"uid":int64,"aid":int64}} (SPEC §5.3), strictly:
 * the value must be a JSON object whose {@code aid} is an integral number in int64 &gt; 0 and whose
 * {@code uid} is an integral number in int64 &ge; 0 (0 = anonymous). Anything else is poison, with
 * one of a closed set of reasons (safe as a metric tag). Extra fields are ignored. Thread-safe.
 */
final class ReadEventParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The outcome of parsing one record. */
  sealed interface Result permits Read, Poison {}

  /** A well-formed read of article {@code aid} by {@code uid}. */
  record Read(long uid, long aid) implements Result {}

  /** An unparseable record and why. */
  record Poison(String reason) implements Result {}

  static final String EMPTY = "empty value";
  static final String MALFORMED = "malformed JSON";
  static final String NOT_OBJECT = "not a JSON object";
  static final String MISSING_AID = "missing aid";
  static final String BAD_AID = "aid not an int64";
  static final String NON_POSITIVE_AID = "aid not positive";
  static final String MISSING_UID = "missing uid";
  static final String BAD_UID = "uid not an int64";
  static final String NEGATIVE_UID = "uid negative";

  private ReadEventParser() {}

  static Result parse(byte[] value) {
    if (value == null || value.length == 0) {
      return new Poison(EMPTY);
    }
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      return new Poison(MALFORMED);
    } catch (IOException e) {
      return new Poison(MALFORMED);
    }
    if (node == null || !node.isObject()) {
      return new Poison(node == null || node.isMissingNode() ? MALFORMED : NOT_OBJECT);
    }
    JsonNode aid = node.get("aid");
    if (aid == null || aid.isNull()) {
      return new Poison(MISSING_AID);
    }
    if (!aid.isIntegralNumber() || !aid.canConvertToLong()) {
      return new Poison(BAD_AID);
    }
    if (aid.longValue() <= 0) {
      return new Poison(NON_POSITIVE_AID);
    }
    JsonNode uid = node.get("uid");
    if (uid == null || uid.isNull()) {
      return new Poison(MISSING_UID);
    }
    if (!uid.isIntegralNumber() || !uid.canConvertToLong()) {
      return new Poison(BAD_UID);
    }
    if (uid.longValue() < 0) {
      return new Poison(NEGATIVE_UID);
    }
    return new Read(uid.longValue(), aid.longValue());
  }
}
