package com.webook.ranking.domain;

/** One entry of the hot list: the article, its counters when ranked, and its score. */
public record HotArticle(Candidate article, Counts counts, double score) {}
