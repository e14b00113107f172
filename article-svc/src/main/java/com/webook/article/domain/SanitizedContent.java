package com.webook.article.domain;

/** An article's content after the allow-list sanitizer, and the abstract computed from it. */
public record SanitizedContent(String html, String abstractText) {}
