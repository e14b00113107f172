package com.webook.bff.config;

import com.webook.platform.config.Check;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may call the API with credentials (SPEC §2.1).
 *
 * @param allowLocalhost allow every origin whose host contains {@code localhost} (the spec's rule
 *     for development frontends; turn it off in production, see README)
 * @param allowedDomains further allowed domains: an origin is allowed when its host equals one of
 *     them or is a subdomain of one ({@code app.webook.com} for {@code webook.com})
 * @param maxAge how long browsers may cache a preflight answer
 */
public record CorsConfig(boolean allowLocalhost, List<String> allowedDomains, Duration maxAge) {
  public CorsConfig {
    allowedDomains =
        allowedDomains == null
            ? List.of()
            : allowedDomains.stream()
                .map(d -> d.trim().toLowerCase(Locale.ROOT))
                .filter(d -> !d.isEmpty())
                .toList();
    for (String d : allowedDomains) {
      if (d.contains("/") || d.contains(":") || d.startsWith(".")) {
        throw new IllegalArgumentException(
            "allowedDomains: '" + d + "' must be a bare domain such as webook.com");
      }
    }
    Check.positive("maxAge", maxAge);
  }
}
