package com.webook.article.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The one table of content-safety cases (README "Content safety"): known XSS payloads that must
 * never come back executable, and the formatting a rich-text editor produces with what it is stored
 * as. {@code ContentSanitizerTest} runs them against the sanitizer alone, {@code ArticleServiceIT}
 * through Save, Publish and the author's and readers' reads (database and cache).
 */
public final class ContentSafetyCases {
  /** What the sanitizer enforces on every link. */
  private static final String REL = " rel=\"nofollow noopener noreferrer\"";

  private ContentSafetyCases() {}

  /** Known payloads (OWASP's XSS filter evasion cheat sheet and friends): {@code (name, html)}. */
  public static Stream<Arguments> payloads() {
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

  /**
   * Fails unless {@code html} has no executable part: no script-capable element, no event handler,
   * no script-capable URL protocol, no inline style.
   */
  public static void assertNotExecutable(String html) {
    String lower = html.toLowerCase(Locale.ROOT);
    assertThat(lower)
        .doesNotContain("<script", "<svg", "<math", "<iframe", "<object", "<embed", "<form")
        .doesNotContain("<input", "<style", "<meta", "<base", "<link", "<template", "<noscript")
        .doesNotContain("javascript:", "vbscript:", "data:", "srcdoc", "formaction")
        .doesNotContain(" style=", "srcset");
    assertThat(lower).doesNotContainPattern("\\son[a-z]+\\s*=");
  }

  /**
   * What an editor produces and how it is stored: {@code (name, html, stored)}. Everything survives
   * unchanged, except that links get {@code rel="nofollow noopener noreferrer"}.
   */
  public static Stream<Arguments> formatting() {
    return Stream.of(
        unchanged("headings", "<h1>Title</h1><h2>Sub</h2><h3>Part</h3>"),
        unchanged(
            "paragraph with emphasis",
            "<p>Some <strong>bold</strong>, <em>em</em>, <u>u</u> and <s>s</s>.</p>"),
        unchanged("lists", "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>"),
        unchanged("blockquote", "<blockquote><p>quoted</p></blockquote>"),
        unchanged(
            "code block",
            "<pre class=\"language-java\"><code class=\"language-java\">int x = 1 &lt; 2;</code></pre>"),
        unchanged("inline code", "<p>call <code>run()</code></p>"),
        unchanged("image", "<p><img src=\"https://img.example/a.png\" alt=\"a\"></p>"),
        unchanged("relative image", "<p><img src=\"/uploads/a.png\" alt=\"a\"></p>"),
        unchanged(
            "table",
            "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"),
        unchanged("line break and rule", "<p>a<br>b</p><hr>"),
        unchanged("Chinese text", "<p>你好，世界</p>"),
        Arguments.of(
            "https link",
            "<p><a href=\"https://webook.example/a\">a</a></p>",
            "<p><a href=\"https://webook.example/a\"" + REL + ">a</a></p>"),
        Arguments.of(
            "relative link",
            "<a href=\"/articles/7\">rel</a>",
            "<a href=\"/articles/7\"" + REL + ">rel</a>"),
        Arguments.of(
            "mailto link",
            "<a href=\"mailto:a@b.example\">m</a>",
            "<a href=\"mailto:a@b.example\"" + REL + ">m</a>"),
        Arguments.of(
            "an editor's whole document",
            "<h2>Setup</h2><p>Read <a href=\"https://webook.example/docs\">the docs</a>:</p>"
                + "<ol><li>install</li><li>run</li></ol>"
                + "<p><img src=\"/uploads/shot.png\" alt=\"screenshot\"></p>"
                + "<pre class=\"language-sh\"><code class=\"language-sh\">./mvnw -q verify</code></pre>",
            "<h2>Setup</h2><p>Read <a href=\"https://webook.example/docs\""
                + REL
                + ">the docs</a>:</p>"
                + "<ol><li>install</li><li>run</li></ol>"
                + "<p><img src=\"/uploads/shot.png\" alt=\"screenshot\"></p>"
                + "<pre class=\"language-sh\"><code class=\"language-sh\">./mvnw -q verify</code></pre>"));
  }

  private static Arguments unchanged(String name, String html) {
    return Arguments.of(name, html, html);
  }
}
