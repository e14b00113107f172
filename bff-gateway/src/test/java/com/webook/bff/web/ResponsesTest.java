package com.webook.bff.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which clients get a precompressed body (RFC 9110 §12.5.3), and when there is one. */
class ResponsesTest {
  @ParameterizedTest(name = "[{0}] → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gzip | true",
        "gzip, deflate, br | true",
        "br;q=1.0, gzip;q=0.8 | true",
        "GZIP | true",
        "x-gzip | true",
        "* | true",
        "deflate, * | true",
        "gzip;q=0 | false",
        "gzip; q=0.000 | false",
        "gzip;q=0.001 | true",
        "gzip;q=0, * | false",
        "*;q=0 | false",
        "deflate, br | false",
        "identity | false",
        "'' | false",
        "gzipx | false"
      })
  void acceptsGzip(String acceptEncoding, boolean accepted) {
    assertThat(Responses.acceptsGzip(acceptEncoding)).isEqualTo(accepted);
  }

  @Test
  void noHeaderIsNoGzip() {
    assertThat(Responses.acceptsGzip(null)).isFalse();
  }

  @Test
  void aBodyThatGzipDoesNotShrinkHasNoGzipForm() {
    byte[] tiny = "{\"code\":0}".getBytes(StandardCharsets.UTF_8);
    assertThat(Responses.Rendered.of("application/json", tiny).gzipped()).isNull();
    byte[] large = "{\"title\":\"repeated\"},".repeat(200).getBytes(StandardCharsets.UTF_8);
    assertThat(Responses.Rendered.of("application/json", large).gzipped())
        .isNotNull()
        .hasSizeLessThan(large.length);
  }
}
