package com.webook.user.domain;

/**
 * An SMS request accepted for later delivery (SPEC §4.5 point 4).
 *
 * @param id row id
 * @param message what to send
 * @param status where it is in its life
 * @param retryCnt failed delivery attempts so far
 * @param maxRetry attempts allowed before it is marked failed
 * @param nextRetryAt epoch ms from which it is due
 * @param ctime epoch ms of acceptance
 * @param utime epoch ms of the last change; while SENDING, the claim time (a fencing token)
 */
public record AsyncSms(
    long id,
    SmsMessage message,
    AsyncSmsStatus status,
    int retryCnt,
    int maxRetry,
    long nextRetryAt,
    long ctime,
    long utime) {}
