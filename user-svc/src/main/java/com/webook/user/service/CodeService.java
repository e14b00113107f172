package com.webook.user.service;

import com.webook.platform.errors.RateLimitedException;
import com.webook.user.domain.CallerDeadline;
import com.webook.user.repository.cache.CodeCache;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One-time SMS codes (SPEC §4.4). {@link #send} stores a fresh 6-digit code and then sends it
 * through the SMS stack with template args {@code [code]}; {@link #verify} answers only yes or no.
 * Codes never appear in logs or error messages here (the dev log provider is the delivery, see
 * {@code LogSmsProvider}). Thread-safe.
 */
public final class CodeService {
  private static final int MAX_INPUT = 64;

  private final CodeCache cache;
  private final SmsService sms;
  private final String templateId;
  private final RandomGenerator random;

  /**
   * @param random a {@link java.security.SecureRandom} in production
   */
  public CodeService(CodeCache cache, SmsService sms, String templateId, RandomGenerator random) {
    this.cache = cache;
    this.sms = sms;
    this.templateId = templateId;
    this.random = random;
  }

  /**
   * Stores and sends a code for ({@code biz}, {@code phone}).
   *
   * @param deadline the caller's, for the SMS (see {@link SmsService#send})
   * @throws RateLimitedException within the resend interval of the last code
   * @throws IllegalStateException when the stored key has no expiry (a system error)
   * @throws com.webook.platform.errors.UnavailableException when the SMS can neither be sent nor
   *     queued; the code stays stored, so a new one can be requested after the resend interval
   */
  public void send(String biz, String phone, CallerDeadline deadline) {
    String code = newCode();
    switch (cache.store(biz, phone, code)) {
      case STORED -> sms.send(templateId, List.of(code), List.of(phone), deadline);
      case TOO_FREQUENT ->
          throw new RateLimitedException("a code was sent recently, try again later");
      case NO_EXPIRY ->
          throw new IllegalStateException("code key for biz " + biz + " has no expiry");
    }
  }

  /** True only for the right code, at most once, within the attempts; false for anything else. */
  public boolean verify(String biz, String phone, String input) {
    if (input.isEmpty() || input.length() > MAX_INPUT) {
      // Cannot be a code; not worth a Redis round trip (nor an attempt).
      return false;
    }
    return cache.verify(biz, phone, input) == CodeCache.VerifyResult.CORRECT;
  }

  /** Six digits, zero-padded: 000000 to 999999, uniformly. */
  String newCode() {
    return String.format("%06d", random.nextInt(1_000_000));
  }
}
