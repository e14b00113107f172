package com.webook.user.service.sms;

import com.webook.user.domain.CallerDeadline;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development stand-in for an SMS gateway: "delivers" a message by writing one log line,
 *
 * <pre>sms.delivered provider=log tpl=code-login to=[13800001111] args=[042917]</pre>
 *
 * (stable and greppable: developers and tests find their login code with {@code grep
 * sms.delivered}). This is the only place where a code may appear in a log, because the log IS the
 * delivery. It must never be configured in production: config validation rejects it unless {@code
 * sms.allowLogProvider} is true, and starting with it logs a warning.
 *
 * <p>An optional {@link DeliveryListener} sees every delivered line (in-process tests use it).
 * Thread-safe.
 */
public final class LogSmsProvider implements SmsSender {
  private static final Logger log = LoggerFactory.getLogger(LogSmsProvider.class);

  /** Told about every message this provider "delivers". */
  @FunctionalInterface
  public interface DeliveryListener {
    void delivered(String tplId, List<String> args, List<String> numbers, String line);
  }

  private final String name;
  private final boolean maskNumbers;
  private final DeliveryListener listener;

  /**
   * @param listener may be null
   */
  public LogSmsProvider(String name, boolean maskNumbers, DeliveryListener listener) {
    this.name = name;
    this.maskNumbers = maskNumbers;
    this.listener = listener;
    log.warn(
        "SMS provider '{}' writes messages, including login codes, to the log: development only, "
            + "never in production",
        name);
  }

  @Override
  public SmsDelivery send(
      String tplId, List<String> args, List<String> numbers, CallerDeadline deadline) {
    List<String> to = maskNumbers ? numbers.stream().map(LogSmsProvider::mask).toList() : numbers;
    String line =
        "sms.delivered provider=" + name + " tpl=" + tplId + " to=" + to + " args=" + args;
    log.info("{}", line);
    if (listener != null) {
      listener.delivered(tplId, args, numbers, line);
    }
    return SmsDelivery.SENT;
  }

  /** {@code 13800001111} → {@code 138****1111}; short numbers are masked entirely. */
  static String mask(String number) {
    if (number.length() < 8) {
      return "*".repeat(number.length());
    }
    return number.substring(0, 3)
        + "*".repeat(number.length() - 7)
        + number.substring(number.length() - 4);
  }
}
