package com.webook.user.repository.dao;

import static com.webook.user.repository.dao.jooq.Tables.ASYNC_SMS;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.webook.user.domain.AsyncSms;
import com.webook.user.domain.AsyncSmsStatus;
import com.webook.user.domain.SmsMessage;
import com.webook.user.repository.dao.jooq.tables.records.AsyncSmsRecord;
import com.webook.user.service.sms.AsyncSmsRepository;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.JSON;

/**
 * {@code async_sms} through jOOQ. Arguments and numbers are JSON arrays. Each method is one
 * autocommitted statement; the conditions in the WHERE clauses are what make concurrent workers
 * safe (see {@link AsyncSmsRepository}). Thread-safe.
 */
public final class AsyncSmsDao implements AsyncSmsRepository {
  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final DSLContext dsl;

  public AsyncSmsDao(DSLContext dsl) {
    this.dsl = dsl;
  }

  @Override
  public long insert(SmsMessage message, int maxRetry, long nextRetryAt, long now) {
    return dsl.insertInto(ASYNC_SMS)
        .set(ASYNC_SMS.TPL_ID, message.tplId())
        .set(ASYNC_SMS.ARGS, toJson(message.args()))
        .set(ASYNC_SMS.NUMBERS, toJson(message.numbers()))
        .set(ASYNC_SMS.STATUS, status(AsyncSmsStatus.WAITING))
        .set(ASYNC_SMS.RETRY_CNT, 0)
        .set(ASYNC_SMS.MAX_RETRY, maxRetry)
        .set(ASYNC_SMS.NEXT_RETRY_AT, nextRetryAt)
        .set(ASYNC_SMS.CTIME, now)
        .set(ASYNC_SMS.UTIME, now)
        .returningResult(ASYNC_SMS.ID)
        .fetchOne()
        .value1();
  }

  @Override
  public List<AsyncSms> findDue(long now, int limit) {
    return dsl.selectFrom(ASYNC_SMS)
        .where(ASYNC_SMS.STATUS.eq(status(AsyncSmsStatus.WAITING)))
        .and(ASYNC_SMS.NEXT_RETRY_AT.le(now))
        .orderBy(ASYNC_SMS.NEXT_RETRY_AT, ASYNC_SMS.ID)
        .limit(limit)
        .fetch(AsyncSmsDao::toDomain);
  }

  @Override
  public boolean claim(long id, long now) {
    return dsl.update(ASYNC_SMS)
            .set(ASYNC_SMS.STATUS, status(AsyncSmsStatus.SENDING))
            .set(ASYNC_SMS.UTIME, now)
            .where(ASYNC_SMS.ID.eq(id))
            .and(ASYNC_SMS.STATUS.eq(status(AsyncSmsStatus.WAITING)))
            .and(ASYNC_SMS.NEXT_RETRY_AT.le(now))
            .execute()
        == 1;
  }

  @Override
  public boolean markSent(long id, long claimedAt, long now) {
    return dsl.update(ASYNC_SMS)
            .set(ASYNC_SMS.STATUS, status(AsyncSmsStatus.SENT))
            .set(ASYNC_SMS.UTIME, now)
            .where(claimed(id, claimedAt))
            .execute()
        == 1;
  }

  @Override
  public boolean reschedule(long id, long claimedAt, int retryCnt, long nextRetryAt, long now) {
    return dsl.update(ASYNC_SMS)
            .set(ASYNC_SMS.STATUS, status(AsyncSmsStatus.WAITING))
            .set(ASYNC_SMS.RETRY_CNT, retryCnt)
            .set(ASYNC_SMS.NEXT_RETRY_AT, nextRetryAt)
            .set(ASYNC_SMS.UTIME, now)
            .where(claimed(id, claimedAt))
            .execute()
        == 1;
  }

  @Override
  public boolean markFailed(long id, long claimedAt, int retryCnt, long now) {
    return dsl.update(ASYNC_SMS)
            .set(ASYNC_SMS.STATUS, status(AsyncSmsStatus.FAILED))
            .set(ASYNC_SMS.RETRY_CNT, retryCnt)
            .set(ASYNC_SMS.UTIME, now)
            .where(claimed(id, claimedAt))
            .execute()
        == 1;
  }

  @Override
  public int reclaimStuck(long claimedBefore, long now) {
    return dsl.update(ASYNC_SMS)
        .set(ASYNC_SMS.STATUS, status(AsyncSmsStatus.WAITING))
        .set(ASYNC_SMS.NEXT_RETRY_AT, now)
        .set(ASYNC_SMS.UTIME, now)
        .where(ASYNC_SMS.STATUS.eq(status(AsyncSmsStatus.SENDING)))
        .and(ASYNC_SMS.UTIME.lt(claimedBefore))
        .execute();
  }

  @Override
  public AsyncSms find(long id) {
    return dsl.selectFrom(ASYNC_SMS).where(ASYNC_SMS.ID.eq(id)).fetchOne(AsyncSmsDao::toDomain);
  }

  private static org.jooq.Condition claimed(long id, long claimedAt) {
    return ASYNC_SMS
        .ID
        .eq(id)
        .and(ASYNC_SMS.STATUS.eq(status(AsyncSmsStatus.SENDING)))
        .and(ASYNC_SMS.UTIME.eq(claimedAt));
  }

  private static Byte status(AsyncSmsStatus s) {
    return (byte) s.code();
  }

  private static AsyncSms toDomain(AsyncSmsRecord r) {
    return new AsyncSms(
        r.getId(),
        new SmsMessage(r.getTplId(), fromJson(r.getArgs()), fromJson(r.getNumbers())),
        AsyncSmsStatus.of(r.getStatus()),
        r.getRetryCnt(),
        r.getMaxRetry(),
        r.getNextRetryAt(),
        r.getCtime(),
        r.getUtime());
  }

  private static JSON toJson(List<String> values) {
    try {
      return JSON.valueOf(JSON_MAPPER.writeValueAsString(values));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + values.size() + " strings", e);
    }
  }

  private static List<String> fromJson(JSON json) {
    try {
      return JSON_MAPPER.readValue(json.data(), STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("async_sms holds malformed JSON", e);
    }
  }
}
