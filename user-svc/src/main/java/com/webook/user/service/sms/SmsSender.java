package com.webook.user.service.sms;

import java.util.List;

/**
 * Sends one text message (SPEC §4.5). Providers implement it, and so does every decorator around
 * them (rate limit, failover, sync-to-async), so the stack is composed from config without its
 * users knowing its shape. Implementations are thread-safe.
 */
public interface SmsSender {
  /**
   * Sends {@code args} filled into template {@code tplId} to {@code numbers}.
   *
   * @return {@link SmsDelivery#SENT} when a provider took it now, {@link SmsDelivery#QUEUED} when
   *     it was stored for delivery by the background worker
   * @throws SmsException when it was neither sent nor stored
   */
  SmsDelivery send(String tplId, List<String> args, List<String> numbers);
}
