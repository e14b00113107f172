package com.webook.bff.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of the access log (SPEC §10): values of fields named like a password, a token,
 * a secret or a verification code become {@code ***}, in JSON bodies (at any depth), in text that
 * is not valid JSON (a cut or malformed body) and in query strings. Masking happens before cutting,
 * so a cut can never leave half a secret. Thread-safe.
 */
public final class SecretMasking {
  static final String MASK = "***";
  private static final Pattern JSON_FIELD =
      Pattern.compile("(\"([^\"\\\\]{1,64})\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"?|[^,}\\]\\s]+)");
  private static final Pattern FORM_FIELD =
      Pattern.compile("(^|[?&\\s])([^=&\\s]{1,64})=([^&\\s]*)");

  private final ObjectMapper mapper;

  public SecretMasking(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Whether a request field or header of this name holds a secret. */
  public static boolean isSecret(String name) {
    String n = normalize(name);
    return n.equals("code") || n.equals("inputcode") || isResponseSecret(n);
  }

  // In responses "code" is the envelope's status code, which the log must show.
  private static boolean isResponseSecret(String normalized) {
    return normalized.contains("password")
        || normalized.contains("token")
        || normalized.contains("secret")
        || normalized.equals("authorization")
        || normalized.equals("cookie")
        || normalized.equals("setcookie");
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /** A request body for the log: secrets masked, then cut to {@code maxBytes} UTF-8 bytes. */
  public String requestBody(byte[] body, int maxBytes) {
    return body(body, maxBytes, true);
  }

  /** A response body for the log (the envelope's {@code code} stays visible). */
  public String responseBody(byte[] body, int maxBytes) {
    return body(body, maxBytes, false);
  }

  private String body(byte[] body, int maxBytes, boolean request) {
    if (body.length == 0) {
      return "";
    }
    String masked;
    try {
      JsonNode tree = mapper.readTree(body);
      masked =
          tree == null
              ? maskText(new String(body, StandardCharsets.UTF_8), request)
              : mapper.writeValueAsString(mask(tree, request));
    } catch (java.io.IOException e) {
      masked = maskText(new String(body, StandardCharsets.UTF_8), request);
    }
    return cut(masked, maxBytes);
  }

  private static boolean secret(String name, boolean request) {
    return request ? isSecret(name) : isResponseSecret(normalize(name));
  }

  /** A query string for the log, secrets masked ({@code code=***&state=abc}). */
  public static String query(String query) {
    return query == null || query.isEmpty() ? "" : maskForm(query);
  }

  static String maskText(String text, boolean request) {
    Matcher m = JSON_FIELD.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement =
          secret(m.group(2), request) ? m.group(1) + "\"" + MASK + "\"" : m.group(0);
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return maskForm(sb.toString());
  }

  static String maskForm(String text) {
    Matcher m = FORM_FIELD.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement = isSecret(m.group(2)) ? m.group(1) + m.group(2) + "=" + MASK : m.group(0);
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static JsonNode mask(JsonNode node, boolean request) {
    if (node instanceof ObjectNode object) {
      // A copy: set() below replaces values while we walk the fields.
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.properties());
      for (Map.Entry<String, JsonNode> f : fields) {
        object.set(
            f.getKey(),
            secret(f.getKey(), request) ? TextNode.valueOf(MASK) : mask(f.getValue(), request));
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, mask(array.get(i), request));
      }
    }
    return node;
  }

  static String cut(String s, int maxBytes) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return s;
    }
    int end = maxBytes;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) { // do not split a UTF-8 character
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8) + "…(" + bytes.length + " bytes)";
  }
}
