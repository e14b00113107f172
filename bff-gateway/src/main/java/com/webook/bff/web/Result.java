package com.webook.bff.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The response envelope of SPEC §2.1: {@code {"code": int, "msg": string, "data": any}}, with
 * {@code data} always present ({@code null} when there is nothing to return).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"code", "msg", "data"})
public record Result(int code, String msg, Object data) {
  public static Result ok(String msg) {
    return new Result(0, msg, null);
  }

  public static Result ok(String msg, Object data) {
    return new Result(0, msg, data);
  }

  public static Result error(int code, String msg) {
    return new Result(code, msg, null);
  }
}
