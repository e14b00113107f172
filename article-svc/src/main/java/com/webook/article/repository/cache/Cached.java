package com.webook.article.repository.cache;

/**
 * What a cache lookup found: a value, the knowledge that there is nothing to find, nothing usable
 * (load from the database and write back), or a failing cache (load from the database, write
 * nothing back: the cache is down and a write would only add its timeout).
 */
public sealed interface Cached<T> {
  record Hit<T>(T value) implements Cached<T> {}

  record Absent<T>() implements Cached<T> {}

  record Miss<T>() implements Cached<T> {}

  record Unavailable<T>() implements Cached<T> {}
}
