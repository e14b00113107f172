package com.webook.article.service;

import com.webook.article.domain.SanitizedContent;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Entities;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Makes an author's HTML safe to show to other readers (SPEC §5.1), with jsoup's allow-list
 * cleaner: only the formatting a rich-text editor produces survives — paragraphs, headings, lists,
 * emphasis, quotes, tables, links, images, code blocks — and every element, attribute and URL
 * protocol not on the list is dropped, so scripts, event handlers, {@code javascript:} and {@code
 * data:} URLs, SVG/MathML, iframes, forms and inline styles never reach a reader.
 *
 * <ul>
 *   <li>Links may be http, https, mailto or relative; they get {@code rel="nofollow noopener
 *       noreferrer"} (user content must not pass page rank or a window handle).
 *   <li>Images may be http, https or relative (uploads live behind URLs; {@code data:} images would
 *       let one article carry megabytes of base64 past the content limit's intent).
 *   <li>{@code class} survives on {@code pre} and {@code code} only: editors mark the language of a
 *       code block with it ({@code language-java}), and a class cannot run code.
 * </ul>
 *
 * The abstract (SPEC §2.4) is the first 100 code points of the sanitized content's text — tags
 * stripped, entities decoded, whitespace collapsed — so it is plain text: clients must render it as
 * text, as they render titles. Stateless and thread-safe (a jsoup {@link Cleaner} over an immutable
 * safelist is).
 */
public final class ContentSanitizer {
  /** SPEC §2.4: an abstract is this many code points. */
  public static final int ABSTRACT_CODE_POINTS = 100;

  /** Relative URLs are kept; they are resolved against this to check their protocol only. */
  private static final String BASE_URI = "https://webook.invalid/";

  private final Cleaner cleaner;
  private final Document.OutputSettings output =
      new Document.OutputSettings()
          .prettyPrint(false)
          .charset("UTF-8")
          .escapeMode(Entities.EscapeMode.base);

  public ContentSanitizer() {
    Safelist safelist =
        Safelist.relaxed()
            .addTags("hr", "s", "del", "ins", "mark", "figure", "figcaption")
            .addAttributes("pre", "class")
            .addAttributes("code", "class")
            .removeProtocols("a", "href", "ftp")
            .addEnforcedAttribute("a", "rel", "nofollow noopener noreferrer")
            .preserveRelativeLinks(true);
    this.cleaner = new Cleaner(safelist);
  }

  /** The safe HTML of {@code html}, and its abstract. */
  public SanitizedContent sanitize(String html) {
    if (html.isEmpty()) {
      return new SanitizedContent("", "");
    }
    Document clean = cleaner.clean(Jsoup.parseBodyFragment(html, BASE_URI));
    clean.outputSettings(output);
    String safe = clean.body().html();
    return new SanitizedContent(safe, abstractOf(clean.body().text()));
  }

  static String abstractOf(String text) {
    if (text.length() <= ABSTRACT_CODE_POINTS) {
      return text;
    }
    int end =
        text.offsetByCodePoints(
            0, Math.min(ABSTRACT_CODE_POINTS, text.codePointCount(0, text.length())));
    return text.substring(0, end);
  }
}
