package com.webook.bff.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.bff.config.CorsConfig;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which origins SPEC §2.1's CORS rule lets in. */
class CorsFilterTest {
  private static final CorsFilter DEV =
      new CorsFilter(new CorsConfig(true, List.of("webook.com"), Duration.ofHours(12)));
  private static final CorsFilter PROD =
      new CorsFilter(new CorsConfig(false, List.of("webook.com"), Duration.ofHours(12)));

  static Stream<Arguments> origins() {
    return Stream.of(
        Arguments.of("localhost with port", "http://localhost:3000", true, false),
        Arguments.of("localhost https", "https://localhost", true, false),
        Arguments.of("host containing localhost", "http://app.localhost:8080", true, false),
        Arguments.of("upper case", "HTTP://LOCALHOST:3000", true, false),
        Arguments.of("configured domain", "https://webook.com", true, true),
        Arguments.of("subdomain of a configured domain", "https://app.webook.com:8443", true, true),
        Arguments.of(
            "domain merely ending like a configured one", "https://evilwebook.com", false, false),
        Arguments.of("configured domain as a prefix", "https://webook.com.evil.net", false, false),
        Arguments.of("another site", "https://example.org", false, false),
        Arguments.of("127.0.0.1 is not localhost by name", "http://127.0.0.1:3000", false, false),
        Arguments.of("the null origin", "null", false, false),
        Arguments.of("not a URL", "::::", false, false),
        Arguments.of("another scheme", "file://localhost", false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("origins")
  void allows(String name, String origin, boolean dev, boolean prod) {
    assertThat(DEV.allows(origin)).as("dev (localhost allowed)").isEqualTo(dev);
    assertThat(PROD.allows(origin)).as("prod (localhost off)").isEqualTo(prod);
  }
}
