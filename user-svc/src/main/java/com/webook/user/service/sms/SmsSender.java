package com.webook.user.service.sms;

import com.webook.user.domain.CallerDeadline;
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
   * @param deadline the caller's: no provider is tried for a caller who {@link
   *     CallerDeadline#gaveUp() gave up}, and no provider is waited for longer than it {@link
   *     CallerDeadline#remaining() still waits} ({@link CallerDeadline#NONE} for background work)
   * @return {@link SmsDelivery#SENT} when a provider took it now, {@link SmsDelivery#QUEUED} when
   *     it was stored for delivery by the background worker
   * @throws SmsException when it was neither sent nor stored
   */
  SmsDelivery send(String tplId, List<String> args, List<String> numbers, CallerDeadline deadline);
}
