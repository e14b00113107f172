package com.webook.user.service.sms;

/** What happened to a message that did not fail. */
public enum SmsDelivery {
  /** A provider accepted it. */
  SENT,
  /** Stored in {@code async_sms}; the worker delivers it later. */
  QUEUED
}
