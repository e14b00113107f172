package com.webook.platform.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * A Lua script run with EVALSHA, falling back to EVAL once when the server does not know it yet
 * (after a restart or SCRIPT FLUSH). The SHA is computed locally, so the hot path sends only the
 * hash. Immutable and thread-safe.
 */
public final class LuaScript {
  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /** Loads a script from the classpath, e.g. {@code lua/sliding_window.lua}. */
  public static LuaScript fromClasspath(String resource) {
    try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("Lua script not found on the classpath: " + resource);
      }
      return new LuaScript(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  public static LuaScript of(String name, String source) {
    return new LuaScript(name, source);
  }

  public <T> T eval(
      StatefulRedisConnection<String, String> connection,
      ScriptOutputType type,
      String[] keys,
      String... args) {
    RedisCommands<String, String> sync = connection.sync();
    try {
      return sync.evalsha(sha, type, keys, args);
    } catch (RedisNoScriptException e) {
      return sync.eval(source, type, keys, args);
    }
  }

  /** Asynchronous variant, for callers that pipeline or must not block. */
  public <T> CompletableFuture<T> evalAsync(
      StatefulRedisConnection<String, String> connection,
      ScriptOutputType type,
      String[] keys,
      String... args) {
    RedisAsyncCommands<String, String> async = connection.async();
    CompletableFuture<T> first = async.<T>evalsha(sha, type, keys, args).toCompletableFuture();
    return first
        .handle(
            (value, error) -> {
              if (error == null) {
                return CompletableFuture.completedFuture(value);
              }
              Throwable cause =
                  error instanceof java.util.concurrent.CompletionException
                      ? error.getCause()
                      : error;
              if (cause instanceof RedisNoScriptException) {
                return async.<T>eval(source, type, keys, args).toCompletableFuture();
              }
              return CompletableFuture.<T>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }

  public String name() {
    return name;
  }

  public String sha() {
    return sha;
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
