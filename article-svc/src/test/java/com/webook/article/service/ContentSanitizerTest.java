package com.webook.article.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.article.domain.SanitizedContent;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Stored XSS never comes back out; the formatting an editor produces does. */
class ContentSanitizerTest {
  private final ContentSanitizer sanitizer = new ContentSanitizer();

  /** Known payloads (OWASP's XSS filter evasion cheat sheet and friends). */
  static Stream<Arguments> payloads() {
    return Stream.of(
        Arguments.of("script tag", "<p>hi</p><script>alert(1)</script>"),
        Arguments.of("script, upper case", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
        Arguments.of("img onerror", "<img src=x onerror=alert(1)>"),
        Arguments.of("img onerror, no quotes, slash", "<img/src=x/onerror=alert(1)>"),
        Arguments.of("body onload", "<body onload=alert(1)>"),
        Arguments.of("javascript: link", "<a href=\"javascript:alert(1)\">x</a>"),
        Arguments.of("javascript: link, entities", "<a href=\"&#106;avascript:alert(1)\">x</a>"),
        Arguments.of("javascript: link, tab", "<a href=\"jav\tascript:alert(1)\">x</a>"),
        Arguments.of("vbscript: link", "<a href=\"vbscript:msgbox(1)\">x</a>"),
        Arguments.of(
            "data: html link",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>"),
        Arguments.of(
            "data: image", "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">"),
        Arguments.of("svg onload", "<svg onload=alert(1)><circle r=1 /></svg>"),
        Arguments.of("svg script", "<svg><script>alert(1)</script></svg>"),
        Arguments.of(
            "svg animate href",
            "<svg><animate href=#x attributeName=href values=javascript:alert(1) /></svg>"),
        Arguments.of("math href", "<math><mtext><a href=javascript:alert(1)>x</a></mtext></math>"),
        Arguments.of("iframe", "<iframe src=\"https://evil.example\"></iframe>"),
        Arguments.of("iframe srcdoc", "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>"),
        Arguments.of("object", "<object data=\"javascript:alert(1)\"></object>"),
        Arguments.of("embed", "<embed src=\"javascript:alert(1)\">"),
        Arguments.of(
            "form action", "<form action=\"javascript:alert(1)\"><button>go</button></form>"),
        Arguments.of("input autofocus onfocus", "<input autofocus onfocus=alert(1)>"),
        Arguments.of("style tag", "<style>*{background:url(javascript:alert(1))}</style>"),
        Arguments.of("style attribute", "<p style=\"background:url(javascript:alert(1))\">x</p>"),
        Arguments.of(
            "meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">"),
        Arguments.of("base href", "<base href=\"javascript:alert(1)//\">"),
        Arguments.of(
            "link stylesheet", "<link rel=stylesheet href=\"https://evil.example/x.css\">"),
        Arguments.of("details ontoggle", "<details open ontoggle=alert(1)>"),
        Arguments.of("mouseover on a span", "<span onmouseover=\"alert(1)\">hover</span>"),
        Arguments.of("unclosed tag trick", "<img src=\"x\" alt=\"\" onerror=\"alert(1)\"//"),
        Arguments.of("nested script split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
        Arguments.of("comment break-out", "<!--><script>alert(1)</script>-->"),
        Arguments.of(
            "noscript mutation", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"),
        Arguments.of("template", "<template><script>alert(1)</script></template>"),
        Arguments.of("formaction on a button", "<button formaction=javascript:alert(1)>x</button>"),
        Arguments.of("srcset", "<img srcset=\"javascript:alert(1)\">"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("payloads")
  void neverComesBackExecutable(String name, String payload) {
    SanitizedContent clean = sanitizer.sanitize(payload);
    String html = clean.html().toLowerCase(Locale.ROOT);
    assertThat(html)
        .doesNotContain("<script", "<svg", "<math", "<iframe", "<object", "<embed", "<form")
        .doesNotContain("<input", "<style", "<meta", "<base", "<link", "<template", "<noscript")
        .doesNotContain("javascript:", "vbscript:", "data:", "srcdoc", "formaction")
        .doesNotContain(" style=", "srcset");
    assertThat(html).doesNotContainPattern("\\son[a-z]+\\s*=");
    // Sanitizing is stable: what is stored sanitizes to itself.
    assertThat(sanitizer.sanitize(clean.html()).html()).isEqualTo(clean.html());
  }

  static Stream<Arguments> formatting() {
    return Stream.of(
        Arguments.of("headings", "<h1>Title</h1><h2>Sub</h2><h3>Part</h3>"),
        Arguments.of(
            "paragraph with emphasis",
            "<p>Some <strong>bold</strong>, <em>em</em>, <u>u</u> and <s>s</s>.</p>"),
        Arguments.of("lists", "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>"),
        Arguments.of("blockquote", "<blockquote><p>quoted</p></blockquote>"),
        Arguments.of(
            "code block",
            "<pre class=\"language-java\"><code class=\"language-java\">int x = 1 &lt; 2;</code></pre>"),
        Arguments.of("inline code", "<p>call <code>run()</code></p>"),
        Arguments.of("image", "<p><img src=\"https://img.example/a.png\" alt=\"a\"></p>"),
        Arguments.of("relative image", "<p><img src=\"/uploads/a.png\" alt=\"a\"></p>"),
        Arguments.of(
            "table",
            "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"),
        Arguments.of("line break and rule", "<p>a<br>b</p><hr>"),
        Arguments.of("Chinese text", "<p>你好，世界</p>"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formatting")
  void legitimateFormattingSurvivesUnchanged(String name, String html) {
    assertThat(sanitizer.sanitize(html).html()).isEqualTo(html);
  }

  @Test
  void linksKeepTheirTargetAndGetRelNofollow() {
    assertThat(sanitizer.sanitize("<a href=\"https://webook.example/a\">a</a>").html())
        .isEqualTo(
            "<a href=\"https://webook.example/a\" rel=\"nofollow noopener noreferrer\">a</a>");
    assertThat(sanitizer.sanitize("<a href=\"/articles/7\">rel</a>").html())
        .isEqualTo("<a href=\"/articles/7\" rel=\"nofollow noopener noreferrer\">rel</a>");
    assertThat(sanitizer.sanitize("<a href=\"mailto:a@b.example\">m</a>").html())
        .contains("href=\"mailto:a@b.example\"");
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
