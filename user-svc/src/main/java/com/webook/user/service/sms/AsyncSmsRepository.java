package com.webook.user.service.sms;

import com.webook.user.domain.AsyncSms;
import com.webook.user.domain.SmsMessage;
import java.util.List;

/**
 * The {@code async_sms} queue (SPEC §4.5 point 4). Every state change is a conditional update, so
 * several workers (one per instance) can share the table: a row is claimed by whoever flips it from
 * WAITING to SENDING first, and only the claimer, identified by its claim time (the row's {@code
 * utime} while SENDING), may finish it. Times are epoch milliseconds.
 *
 * <p>An interface because the worker's retry logic is tested against an in-memory fake; the only
 * production implementation is {@code dao.AsyncSmsDao} (there is no cache in front).
 */
public interface AsyncSmsRepository {
  /** Stores a WAITING request due at {@code nextRetryAt}; returns its id. */
  long insert(SmsMessage message, int maxRetry, long nextRetryAt, long now);

  /** WAITING requests due at {@code now}, oldest due first, at most {@code limit}. */
  List<AsyncSms> findDue(long now, int limit);

  /** WAITING and due → SENDING with {@code utime = now}; false when someone else was first. */
  boolean claim(long id, long now);

  /** SENDING (claimed at {@code claimedAt}) → SENT. */
  boolean markSent(long id, long claimedAt, long now);

  /** SENDING (claimed at {@code claimedAt}) → WAITING again, due at {@code nextRetryAt}. */
  boolean reschedule(long id, long claimedAt, int retryCnt, long nextRetryAt, long now);

  /** SENDING (claimed at {@code claimedAt}) → FAILED: no more attempts. */
  boolean markFailed(long id, long claimedAt, int retryCnt, long now);

  /**
   * SENDING rows claimed before {@code claimedBefore} → WAITING, due now: their sender died
   * mid-send. Their retry count is unchanged. Returns how many were taken back.
   */
  int reclaimStuck(long claimedBefore, long now);

  /** For tests and operators: one row, or null. */
  AsyncSms find(long id);
}
