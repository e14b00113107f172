package com.webook.article.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.article.domain.SanitizedContent;
import com.webook.article.testing.ContentSafetyCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stored XSS never comes back out; the formatting an editor produces does (the cases: {@link
 * ContentSafetyCases}, which {@code ArticleServiceIT} also runs end to end).
 */
class ContentSanitizerTest {
  private final ContentSanitizer sanitizer = new ContentSanitizer();

  @ParameterizedTest(name = "{0}")
  @MethodSource("com.webook.article.testing.ContentSafetyCases#payloads")
  void neverComesBackExecutable(String name, String payload) {
    SanitizedContent clean = sanitizer.sanitize(payload);
    ContentSafetyCases.assertNotExecutable(clean.html());
    // Sanitizing is stable: what is stored sanitizes to itself.
    assertThat(sanitizer.sanitize(clean.html()).html()).isEqualTo(clean.html());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("com.webook.article.testing.ContentSafetyCases#formatting")
  void legitimateFormattingSurvives(String name, String html, String stored) {
    assertThat(sanitizer.sanitize(html).html()).isEqualTo(stored);
  }

  @Test
  void aScriptsTextDisappearsWithIt() {
    SanitizedContent clean =
        sanitizer.sanitize("<p>before</p><script>steal()</script><p>after</p>");
    assertThat(clean.html()).isEqualTo("<p>before</p><p>after</p>");
    assertThat(clean.abstractText()).isEqualTo("before after");
  }

  static Stream<Arguments> abstracts() {
    return Stream.of(
        Arguments.of("empty", "", ""),
        Arguments.of(
            "tags stripped, whitespace collapsed",
            "<h1>Hi</h1>\n<p>there  <b>you</b></p>",
            "Hi there you"),
        Arguments.of("entities decoded", "<p>a &lt; b &amp;&amp; c</p>", "a < b && c"),
        Arguments.of("100 characters kept", "<p>" + "x".repeat(100) + "</p>", "x".repeat(100)),
        Arguments.of("cut at 100", "<p>" + "x".repeat(150) + "</p>", "x".repeat(100)),
        Arguments.of("code points, not chars", "<p>" + "😀".repeat(120) + "</p>", "😀".repeat(100)),
        Arguments.of("Chinese", "<p>" + "字".repeat(101) + "</p>", "字".repeat(100)),
        Arguments.of("image only", "<p><img src=\"https://img.example/a.png\"></p>", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("abstracts")
  void abstractIsTheFirst100CodePointsOfTheText(String name, String html, String expected) {
    assertThat(sanitizer.sanitize(html).abstractText()).isEqualTo(expected);
  }
}
