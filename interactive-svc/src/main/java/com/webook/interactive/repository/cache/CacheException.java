package com.webook.interactive.repository.cache;

/** Redis failed or was too slow for one cache step; the caller falls back or logs and counts. */
public final class CacheException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CacheException(String message, Throwable cause) {
    super(message, cause);
  }
}
