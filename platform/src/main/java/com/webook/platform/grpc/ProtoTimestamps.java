package com.webook.platform.grpc;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import com.webook.platform.errors.InvalidInputException;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code google.protobuf.Timestamp} ↔ {@link Instant} and epoch milliseconds (the services store
 * times as epoch ms, SPEC §4.1). Range and nanos are checked with protobuf's own {@link Timestamps}
 * rules (0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z, nanos 0..999 999 999).
 *
 * <p>proto3 cannot tell an unset message field from the default instance, and the default Timestamp
 * is the epoch: {@link #toInstantIfSet} reads both as "not set" (nobody registers a birthday at
 * 1970-01-01T00:00:00Z exactly). Stateless and thread-safe.
 */
public final class ProtoTimestamps {
  private ProtoTimestamps() {}

  /**
   * The Timestamp of {@code instant}.
   *
   * @throws IllegalArgumentException outside Timestamp's range (years 1 to 9999)
   */
  public static Timestamp toTimestamp(Instant instant) {
    return Timestamps.checkValid(
        Timestamp.newBuilder()
            .setSeconds(instant.getEpochSecond())
            .setNanos(instant.getNano())
            .build());
  }

  /**
   * The instant of a Timestamp we produced or received from a service we trust.
   *
   * @throws IllegalArgumentException when {@code timestamp} is out of range or its nanos are
   */
  public static Instant toInstant(Timestamp timestamp) {
    Timestamps.checkValid(timestamp);
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  /**
   * The instant of an optional field: empty when {@code timestamp} is null or the default instance
   * (unset and "exactly the epoch" are the same thing on the wire).
   *
   * @throws IllegalArgumentException when {@code timestamp} is set but invalid
   */
  public static Optional<Instant> toInstantIfSet(Timestamp timestamp) {
    if (timestamp == null || Timestamp.getDefaultInstance().equals(timestamp)) {
      return Optional.empty();
    }
    return Optional.of(toInstant(timestamp));
  }

  /**
   * The instant of a Timestamp in a request, checked like any other request field.
   *
   * @param field the field's name, for the message (e.g. {@code birthday})
   * @throws InvalidInputException when {@code timestamp} is out of range or its nanos are
   */
  public static Instant requestInstant(String field, Timestamp timestamp) {
    if (!Timestamps.isValid(timestamp)) {
      throw new InvalidInputException(field + " is not a valid timestamp");
    }
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  /**
   * The Timestamp of {@code epochMillis} (a stored {@code ctime}, {@code utime} …).
   *
   * @throws IllegalArgumentException outside Timestamp's range (years 1 to 9999)
   */
  public static Timestamp fromEpochMillis(long epochMillis) {
    return Timestamps.fromMillis(epochMillis);
  }

  /**
   * {@code timestamp} in epoch milliseconds, sub-millisecond part dropped (towards the past).
   *
   * @throws IllegalArgumentException when {@code timestamp} is out of range or its nanos are
   */
  public static long toEpochMillis(Timestamp timestamp) {
    return toInstant(timestamp).toEpochMilli();
  }
}
