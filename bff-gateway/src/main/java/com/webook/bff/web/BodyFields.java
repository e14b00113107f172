package com.webook.bff.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Fields of request bodies that the route reads as JSON trees ({@link JsonNode} record components),
 * so that the route, not Jackson's coercions, decides what an id is: bound to a {@code Long},
 * Jackson would take {@code 1.5} as 1 ({@code ACCEPT_FLOAT_AS_INT}) and {@code "5"} as 5, and would
 * refuse {@code 9223372036854775808} as an unparseable body. Here a field has one of three fates:
 *
 * <ul>
 *   <li>the wrong JSON type (a string, boolean, object or array where a number belongs; anything
 *       but {@code true}/{@code false} where a boolean belongs) → {@link BadRequestBodyException},
 *       the 400 {@code {4,"请求格式错误"}} every route gives a body that is not its JSON;
 *   <li>the right type but not an acceptable value (a number that is not an integer, outside int64,
 *       or out of the field's range) → empty, which the route answers {@code {4,"参数错误"}};
 *   <li>absent or JSON {@code null} → empty, or the field's default where it has one.
 * </ul>
 *
 * Pure functions.
 */
final class BodyFields {
  private BodyFields() {}

  /**
   * A positive int64 written as a JSON integer ({@code 7}, not {@code 7.0}, {@code 7e0} or {@code
   * "7"}); empty when absent, null, or a number that is not one.
   *
   * @throws BadRequestBodyException if present and not a JSON number
   */
  static OptionalLong positiveInt64(String name, JsonNode field) {
    OptionalLong value = int64(name, field);
    return value.isPresent() && value.getAsLong() > 0 ? value : OptionalLong.empty();
  }

  /**
   * A non-negative int64 written as a JSON integer, {@code whenAbsent} when absent or null; empty
   * for a number that is not one.
   *
   * @throws BadRequestBodyException if present and not a JSON number
   */
  static OptionalLong nonNegativeInt64(String name, JsonNode field, long whenAbsent) {
    if (isAbsent(field)) {
      return OptionalLong.of(whenAbsent);
    }
    OptionalLong value = int64(name, field);
    return value.isPresent() && value.getAsLong() >= 0 ? value : OptionalLong.empty();
  }

  /**
   * A JSON boolean; empty when absent or null (never a silent {@code false}).
   *
   * @throws BadRequestBodyException if present and not a JSON boolean ({@code "true"}, {@code 1})
   */
  static Optional<Boolean> bool(String name, JsonNode field) {
    if (isAbsent(field)) {
      return Optional.empty();
    }
    if (!field.isBoolean()) {
      throw new BadRequestBodyException(
          name + " is a " + field.getNodeType() + ", not a boolean", null);
    }
    return Optional.of(field.booleanValue());
  }

  private static OptionalLong int64(String name, JsonNode field) {
    if (isAbsent(field)) {
      return OptionalLong.empty();
    }
    if (!field.isNumber()) {
      throw new BadRequestBodyException(
          name + " is a " + field.getNodeType() + ", not a number", null);
    }
    // isIntegralNumber: written without fraction or exponent (1.0 and 1e3 are floating-point
    // nodes); canConvertToLong: within int64 (2^63 is a BigInteger node).
    if (!field.isIntegralNumber() || !field.canConvertToLong()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(field.longValue());
  }

  private static boolean isAbsent(JsonNode field) {
    return field == null || field.isNull() || field.isMissingNode();
  }
}
