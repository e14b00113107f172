package com.webook.user.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.webook.platform.config.Check;
import java.net.URI;
import java.time.Duration;

/**
 * One SMS provider in {@code sms.providers}, selected by {@code type}. The list order is the order
 * failover tries them in (SPEC §4.5).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SmsProviderConfig.Log.class, name = "log"),
  @JsonSubTypes.Type(value = SmsProviderConfig.Http.class, name = "http")
})
public sealed interface SmsProviderConfig {
  /** Used in the limiter key {@code sms:<name>}, metric tags and logs. */
  String name();

  /** How long one request to this provider may take; zero when it does no I/O. */
  Duration timeout();

  /**
   * The development stand-in for a gateway: "delivers" by writing one log line. Never configure it
   * in production: the line carries the message arguments, i.e. login codes.
   *
   * @param name provider name
   * @param maskNumbers whether the logged numbers are masked ({@code 138****0000})
   */
  record Log(String name, boolean maskNumbers) implements SmsProviderConfig {
    public Log {
      checkName(name);
    }

    @Override
    public Duration timeout() {
      return Duration.ZERO;
    }
  }

  /**
   * A JSON-over-HTTP gateway in the style of Aliyun/Tencent SMS.
   *
   * @param name provider name
   * @param endpoint the send URL (http or https)
   * @param appId application id at the vendor (sent in the body and the signature header)
   * @param secret signing key; from a secrets file ({@code --config}) or env in production
   * @param signName the message signature registered at the vendor
   * @param timeout per-request timeout (also the connect timeout)
   * @param successPointer JSON pointer into the response checked for success, empty to rely on the
   *     HTTP status alone (e.g. {@code /Response/SendStatusSet/0/Code})
   * @param successValue the value found at {@code successPointer} when the vendor accepted
   */
  record Http(
      String name,
      String endpoint,
      String appId,
      String secret,
      String signName,
      Duration timeout,
      String successPointer,
      String successValue)
      implements SmsProviderConfig {
    public Http {
      checkName(name);
      Check.notBlank("endpoint", endpoint);
      URI uri;
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("endpoint: '" + endpoint + "' is not a URL");
      }
      if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "endpoint: '" + endpoint + "' must be an http:// or https:// URL");
      }
      Check.notBlank("appId", appId);
      secret = secret == null ? "" : secret;
      Check.notBlank("signName", signName);
      Check.positive("timeout", timeout);
      successPointer = successPointer == null ? "" : successPointer;
      if (!successPointer.isEmpty() && !successPointer.startsWith("/")) {
        throw new IllegalArgumentException(
            "successPointer: must be empty or a JSON pointer starting with '/'");
      }
      successValue = successValue == null ? "" : successValue;
    }

    @Override
    public String toString() {
      // Keeps the secret out of logs and config error messages.
      return "Http[name="
          + name
          + ", endpoint="
          + endpoint
          + ", appId="
          + appId
          + ", secret=***, signName="
          + signName
          + ", timeout="
          + timeout
          + ", successPointer="
          + successPointer
          + ", successValue="
          + successValue
          + "]";
    }
  }

  private static void checkName(String name) {
    Check.notBlank("name", name);
    if (!name.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
      throw new IllegalArgumentException(
          "name: '" + name + "' must match [a-z0-9][a-z0-9_-]{0,31}");
    }
  }
}
