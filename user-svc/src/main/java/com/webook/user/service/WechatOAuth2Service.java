package com.webook.user.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.UnavailableException;
import com.webook.user.config.WechatConfig;
import com.webook.user.domain.WechatInfo;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeChat website login (SPEC §4.6): builds the QR-code authorization URL and exchanges the code
 * WeChat hands back for the user's openid/unionid through the {@code sns/oauth2/access_token} API.
 *
 * <p>Outcome mapping of the exchange: WeChat's {@code errcode != 0} means the code is bad (expired,
 * used, forged) → {@link InvalidInputException}; the exception is {@code errcode -1} ("system
 * busy"), which is WeChat's own trouble → {@link UnavailableException}, as are network errors,
 * timeouts, non-200 answers and unparseable bodies. The app secret and the code travel in the
 * request URL, so neither the URL nor exception messages that could contain it are logged.
 *
 * <p>Thread-safe; the {@link HttpClient} is owned (and closed) by the composition root.
 */
public final class WechatOAuth2Service implements OAuth2Service {
  private static final Logger log = LoggerFactory.getLogger(WechatOAuth2Service.class);
  private static final int ERRCODE_SYSTEM_BUSY = -1;

  private final WechatConfig config;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public WechatOAuth2Service(WechatConfig config, HttpClient http) {
    this.config = config;
    this.http = http;
  }

  @Override
  public String authUrl(String state) {
    return config.authorizeUrl()
        + "?appid="
        + escape(config.appId())
        + "&redirect_uri="
        + escape(config.redirectUri())
        + "&response_type=code&scope=snsapi_login"
        + "&state="
        + escape(state)
        + "#wechat_redirect";
  }

  @Override
  public WechatInfo verifyCode(String code) {
    URI uri =
        URI.create(
            config.apiBaseUrl()
                + "/sns/oauth2/access_token"
                + "?appid="
                + escape(config.appId())
                + "&secret="
                + escape(config.appSecret())
                + "&code="
                + escape(code)
                + "&grant_type=authorization_code");
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.timeout()).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      log.warn("wechat token API did not answer within {}", config.timeout());
      throw new UnavailableException("wechat did not answer in time");
    } catch (IOException e) {
      log.warn("wechat token API unreachable ({})", e.getClass().getSimpleName());
      throw new UnavailableException("wechat is unreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while calling wechat");
    }
    if (response.statusCode() != 200) {
      log.warn("wechat token API answered HTTP {}", response.statusCode());
      throw new UnavailableException("wechat answered HTTP " + response.statusCode());
    }
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (JsonProcessingException e) {
      log.warn("wechat token API answered a body that is not JSON");
      throw new UnavailableException("wechat answered an unexpected body");
    }
    if (body == null || !body.isObject()) {
      log.warn("wechat token API answered a body that is not a JSON object");
      throw new UnavailableException("wechat answered an unexpected body");
    }
    int errcode = body.path("errcode").asInt(0);
    if (errcode == ERRCODE_SYSTEM_BUSY) {
      log.warn("wechat token API is busy (errcode -1)");
      throw new UnavailableException("wechat is busy, retry later");
    }
    if (errcode != 0) {
      // 40029 invalid code, 40163 code used, 42003 code expired …; 40013/40125 mean our appid or
      // secret is wrong, which every login would then hit: visible in this log line.
      log.info(
          "wechat rejected the code: errcode {} ({})", errcode, body.path("errmsg").asText(""));
      throw new InvalidInputException("wechat rejected the code (errcode " + errcode + ")");
    }
    String openId = body.path("openid").asText("");
    if (openId.isEmpty()) {
      log.warn("wechat token API answered without an openid");
      throw new UnavailableException("wechat answered without an openid");
    }
    return new WechatInfo(openId, body.path("unionid").asText(""));
  }

  /** Percent-encodes a query component (RFC 3986: a space is %20, not '+'). */
  static String escape(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
