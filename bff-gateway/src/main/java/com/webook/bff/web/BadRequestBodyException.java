package com.webook.bff.web;

/** The request body is not the JSON the route expects: answered 400 {@code {4,"请求格式错误"}}. */
public final class BadRequestBodyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadRequestBodyException(String reason, Throwable cause) {
    super(reason, cause, false, false);
  }
}
