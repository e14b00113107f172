package com.webook.platform.retry;

/**
 * A dependency did not answer within the start budget. The message is complete for an operator
 * (dependency, address, budget, last cause); the process prints it as one line and exits 1.
 */
public final class StartBudgetExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StartBudgetExceededException(String message, Throwable lastFailure) {
    super(message, lastFailure);
  }
}
