package com.webook.user.service.sms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webook.user.config.SmsProviderConfig;
import com.webook.user.domain.CallerDeadline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON-over-HTTP SMS gateway in the style of Tencent Cloud / Aliyun SMS. One POST per message:
 *
 * <pre>
 * POST {endpoint}
 * Content-Type: application/json
 * X-Sms-App-Id: {appId}
 * X-Sms-Timestamp: {epoch seconds}
 * X-Sms-Nonce: {random}
 * X-Sms-Signature: hex(HMAC-SHA256(secret, timestamp + "\n" + nonce + "\n" + body))
 *
 * {"appId":…, "signName":…, "templateId":…, "templateParams":[…], "phoneNumbers":[…]}
 * </pre>
 *
 * The send succeeded when the status is 2xx and, if {@code successPointer} is configured, the
 * response JSON has {@code successValue} there (Tencent: {@code /Response/SendStatusSet/0/Code} =
 * {@code Ok}; Aliyun: {@code /Code} = {@code OK}). A vendor whose signing scheme differs (Tencent
 * TC3, Aliyun RPC signature) replaces {@link #sign} and {@link #body}; everything else (timeouts,
 * outcome mapping) stays.
 *
 * <p>Outcomes: HTTP 429 → {@link SmsException.Reason#RATE_LIMITED} (the vendor's own limit),
 * request timeout → {@code TIMEOUT}, other errors → {@code FAILED}. The request timeout is the
 * configured one, shortened to the time the caller still waits ({@link
 * CallerDeadline#remaining()}); when the caller gave up (its deadline, not the provider, ran out),
 * the outcome is {@code CANCELLED}. Thread-safe.
 */
public class HttpSmsProvider implements SmsSender, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpSmsProvider.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SmsProviderConfig.Http config;
  private final HttpClient http;
  private final Clock clock;
  private final URI endpoint;

  public HttpSmsProvider(SmsProviderConfig.Http config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.endpoint = URI.create(config.endpoint());
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.timeout())
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    if (config.secret().isEmpty() || config.secret().startsWith("dev-")) {
      log.warn(
          "SMS provider '{}' uses an empty or development secret; production must set it from a secrets "
              + "file (--config) or the environment",
          config.name());
    }
  }

  @Override
  public SmsDelivery send(
      String tplId, List<String> args, List<String> numbers, CallerDeadline deadline) {
    Duration timeout = effectiveTimeout(deadline);
    String body = body(tplId, args, numbers);
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    String nonce = UUID.randomUUID().toString();
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("X-Sms-App-Id", config.appId())
            .header("X-Sms-Timestamp", timestamp)
            .header("X-Sms-Nonce", nonce)
            .header("X-Sms-Signature", sign(timestamp + "\n" + nonce + "\n" + body))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      if (deadline.gaveUp()) {
        throw new SmsException(
            SmsException.Reason.CANCELLED,
            "caller's deadline ran out while " + config.name() + " was sending",
            e);
      }
      throw new SmsException(
          SmsException.Reason.TIMEOUT,
          config.name() + " did not answer within " + timeout.toMillis() + " ms",
          e);
    } catch (IOException e) {
      throw new SmsException(SmsException.Reason.FAILED, config.name() + " unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SmsException(
          SmsException.Reason.CANCELLED, "interrupted while " + config.name() + " was sending", e);
    }
    return check(response);
  }

  /** The request body; vendors with another shape override this. */
  protected String body(String tplId, List<String> args, List<String> numbers) {
    ObjectNode root = JSON.createObjectNode();
    root.put("appId", config.appId());
    root.put("signName", config.signName());
    root.put("templateId", tplId);
    ArrayNode params = root.putArray("templateParams");
    args.forEach(params::add);
    ArrayNode phones = root.putArray("phoneNumbers");
    numbers.forEach(phones::add);
    return root.toString();
  }

  /** The request signature; vendors with another scheme override this. */
  protected String sign(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      byte[] key =
          config.secret().isEmpty()
              ? new byte[1]
              : config.secret().getBytes(StandardCharsets.UTF_8);
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private SmsDelivery check(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status == 429) {
      throw new SmsException(
          SmsException.Reason.RATE_LIMITED, config.name() + " answered 429 (vendor rate limit)");
    }
    if (status < 200 || status > 299) {
      throw new SmsException(
          SmsException.Reason.FAILED, config.name() + " answered HTTP " + status);
    }
    if (config.successPointer().isEmpty()) {
      return SmsDelivery.SENT;
    }
    JsonNode found;
    try {
      found = JSON.readTree(response.body()).at(config.successPointer());
    } catch (IOException e) {
      throw new SmsException(
          SmsException.Reason.FAILED, config.name() + " answered a body that is not JSON", e);
    }
    if (found.isMissingNode()
        || !found.isValueNode()
        || !config.successValue().equals(found.asText())) {
      throw new SmsException(
          SmsException.Reason.FAILED,
          config.name()
              + " refused the message: "
              + config.successPointer()
              + " = "
              + (found.isMissingNode() ? "(missing)" : abbreviate(found.toString())));
    }
    return SmsDelivery.SENT;
  }

  private Duration effectiveTimeout(CallerDeadline deadline) {
    if (deadline.gaveUp()) {
      throw new SmsException(SmsException.Reason.CANCELLED, "caller gave up before sending");
    }
    Duration timeout = config.timeout();
    Optional<Duration> left = deadline.remaining();
    if (left.isPresent()) {
      // Whole milliseconds, rounded down: the HTTP client's resolution.
      Duration remaining = left.get().truncatedTo(ChronoUnit.MILLIS);
      if (remaining.isNegative() || remaining.isZero()) {
        throw new SmsException(SmsException.Reason.CANCELLED, "caller's deadline already passed");
      }
      if (remaining.compareTo(timeout) < 0) {
        timeout = remaining;
      }
    }
    return timeout;
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  /** Stops the HTTP client; in-flight requests fail (and count as cancelled). */
  @Override
  public void close() {
    http.shutdownNow();
  }

  @Override
  public String toString() {
    return "HttpSmsProvider[" + config.name() + " " + endpoint + "]";
  }
}
