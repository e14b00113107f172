package com.webook.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads keys from etcd through its HTTP gateway (v3 JSON API), for assertions on registrations. */
public final class EtcdKeys {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern KEY = Pattern.compile("\"key\":\"([^\"]+)\"");

  private EtcdKeys() {}

  /** Every key starting with {@code prefix}. */
  public static List<String> withPrefix(String endpoint, String prefix) throws Exception {
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] end = p.clone();
    end[end.length - 1]++;
    String body =
        "{\"key\":\"" + b64(p) + "\",\"range_end\":\"" + b64(end) + "\",\"keys_only\":true}";
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(endpoint + "/v3/kv/range"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(3))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("etcd range failed: " + r.statusCode() + " " + r.body());
    }
    List<String> keys = new ArrayList<>();
    Matcher m = KEY.matcher(r.body());
    while (m.find()) {
      keys.add(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
    }
    return keys;
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
