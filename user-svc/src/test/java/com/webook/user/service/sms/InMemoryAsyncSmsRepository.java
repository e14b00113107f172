package com.webook.user.service.sms;

import com.webook.user.domain.AsyncSms;
import com.webook.user.domain.AsyncSmsStatus;
import com.webook.user.domain.SmsMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The async queue in memory, with the same conditional semantics as the SQL in AsyncSmsDao
 * (AsyncSmsDaoIT checks the real one against the same rules). Thread-safe (synchronized).
 */
public final class InMemoryAsyncSmsRepository implements AsyncSmsRepository {
  private final Map<Long, AsyncSms> rows = new TreeMap<>();
  private long nextId = 1;
  private boolean failInserts;
  private boolean failReads;
  private boolean otherWorkerClaimsFirst;

  public synchronized void failInserts(boolean fail) {
    this.failInserts = fail;
  }

  /** Makes findDue (the first query of a poll) fail, as if the database were down. */
  public synchronized void failReads(boolean fail) {
    this.failReads = fail;
  }

  /** Makes another worker win every claim (it claims the row one millisecond earlier). */
  public synchronized void otherWorkerClaimsFirst(boolean yes) {
    this.otherWorkerClaimsFirst = yes;
  }

  /** Puts a row as it is, e.g. one left in SENDING by a dead process. */
  public synchronized void put(AsyncSms row) {
    rows.put(row.id(), row);
    nextId = Math.max(nextId, row.id() + 1);
  }

  public synchronized List<AsyncSms> all() {
    return List.copyOf(rows.values());
  }

  @Override
  public synchronized long insert(SmsMessage message, int maxRetry, long nextRetryAt, long now) {
    if (failInserts) {
      throw new IllegalStateException("database down (scripted)");
    }
    long id = nextId++;
    rows.put(
        id, new AsyncSms(id, message, AsyncSmsStatus.WAITING, 0, maxRetry, nextRetryAt, now, now));
    return id;
  }

  @Override
  public synchronized List<AsyncSms> findDue(long now, int limit) {
    if (failReads) {
      throw new IllegalStateException("database down (scripted)");
    }
    List<AsyncSms> due = new ArrayList<>();
    rows.values().stream()
        .filter(r -> r.status() == AsyncSmsStatus.WAITING && r.nextRetryAt() <= now)
        .sorted(Comparator.comparingLong(AsyncSms::nextRetryAt).thenComparingLong(AsyncSms::id))
        .limit(limit)
        .forEach(due::add);
    return due;
  }

  @Override
  public synchronized boolean claim(long id, long now) {
    AsyncSms r = rows.get(id);
    if (r == null || r.status() != AsyncSmsStatus.WAITING || r.nextRetryAt() > now) {
      return false;
    }
    if (otherWorkerClaimsFirst) {
      rows.put(id, with(r, AsyncSmsStatus.SENDING, r.retryCnt(), r.nextRetryAt(), now - 1));
      return false;
    }
    rows.put(id, with(r, AsyncSmsStatus.SENDING, r.retryCnt(), r.nextRetryAt(), now));
    return true;
  }

  @Override
  public synchronized boolean markSent(long id, long claimedAt, long now) {
    AsyncSms r = claimed(id, claimedAt);
    if (r == null) {
      return false;
    }
    rows.put(id, with(r, AsyncSmsStatus.SENT, r.retryCnt(), r.nextRetryAt(), now));
    return true;
  }

  @Override
  public synchronized boolean reschedule(
      long id, long claimedAt, int retryCnt, long nextRetryAt, long now) {
    AsyncSms r = claimed(id, claimedAt);
    if (r == null) {
      return false;
    }
    rows.put(id, with(r, AsyncSmsStatus.WAITING, retryCnt, nextRetryAt, now));
    return true;
  }

  @Override
  public synchronized boolean markFailed(long id, long claimedAt, int retryCnt, long now) {
    AsyncSms r = claimed(id, claimedAt);
    if (r == null) {
      return false;
    }
    rows.put(id, with(r, AsyncSmsStatus.FAILED, retryCnt, r.nextRetryAt(), now));
    return true;
  }

  @Override
  public synchronized int reclaimStuck(long claimedBefore, long now) {
    int n = 0;
    for (AsyncSms r : List.copyOf(rows.values())) {
      if (r.status() == AsyncSmsStatus.SENDING && r.utime() < claimedBefore) {
        rows.put(r.id(), with(r, AsyncSmsStatus.WAITING, r.retryCnt(), now, now));
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized AsyncSms find(long id) {
    return rows.get(id);
  }

  private AsyncSms claimed(long id, long claimedAt) {
    AsyncSms r = rows.get(id);
    return r != null && r.status() == AsyncSmsStatus.SENDING && r.utime() == claimedAt ? r : null;
  }

  private static AsyncSms with(
      AsyncSms r, AsyncSmsStatus status, int retryCnt, long nextRetryAt, long utime) {
    return new AsyncSms(
        r.id(), r.message(), status, retryCnt, r.maxRetry(), nextRetryAt, r.ctime(), utime);
  }
}
