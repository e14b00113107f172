package com.webook.bff.web;

/**
 * What a route answers when something fails that the user cannot act on (SPEC §2.1): the user
 * module's own code for the user routes whose other answers use module codes, the article module's
 * for every article route, else the generic 5. Declared per route in {@link
 * com.webook.bff.HttpApi}.
 */
public enum SystemError {
  /** {@code {501001,"系统错误"}}: signup, login, profile. */
  USER(501001),
  /** {@code {502001,"系统错误"}}: every {@code /articles/*} route. */
  ARTICLE(502001),
  /** {@code {5,"系统错误"}}: routes whose answers use the generic codes 0/4/5. */
  GENERIC(5);

  public static final String MESSAGE = "系统错误";

  private final int code;

  SystemError(int code) {
    this.code = code;
  }

  public Result result() {
    return Result.error(code, MESSAGE);
  }
}
