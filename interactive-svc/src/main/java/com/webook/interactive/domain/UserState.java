package com.webook.interactive.domain;

/** One user's relation to one item: liked now (status 1), collected (in any folder). */
public record UserState(boolean liked, boolean collected) {
  public static final UserState NONE = new UserState(false, false);
}
