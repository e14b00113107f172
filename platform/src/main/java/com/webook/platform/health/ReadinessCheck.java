package com.webook.platform.health;

/**
 * One condition of {@code /health/ready}. Implementations must be quick (they run on every probe)
 * and must not throw: report failure as a {@link Result}.
 */
public interface ReadinessCheck {
  String name();

  Result check();

  /**
   * @param ready whether this condition holds; @param detail a short human-readable status
   */
  record Result(boolean ready, String detail) {
    public static Result ok(String detail) {
      return new Result(true, detail);
    }

    public static Result down(String detail) {
      return new Result(false, detail);
    }
  }

  static ReadinessCheck of(String name, java.util.function.Supplier<Result> check) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Result check() {
        try {
          return check.get();
        } catch (RuntimeException e) {
          return Result.down(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
    };
  }
}
