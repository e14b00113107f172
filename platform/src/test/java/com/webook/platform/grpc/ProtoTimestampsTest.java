package com.webook.platform.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import com.webook.platform.errors.InvalidInputException;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProtoTimestampsTest {
  static Stream<Arguments> instants() {
    return Stream.of(
        Arguments.of("epoch", Instant.EPOCH),
        Arguments.of("with nanos", Instant.parse("2024-05-20T10:15:30.123456789Z")),
        Arguments.of("before 1970", Instant.parse("1950-05-04T00:00:00.5Z")),
        Arguments.of("one nanosecond before the epoch", Instant.EPOCH.minusNanos(1)),
        Arguments.of("earliest", Instant.parse("0001-01-01T00:00:00Z")),
        Arguments.of("latest", Instant.parse("9999-12-31T23:59:59.999999999Z")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("instants")
  void instantsSurviveTheRoundTrip(String name, Instant instant) {
    Timestamp ts = ProtoTimestamps.toTimestamp(instant);

    assertThat(ts.getSeconds()).isEqualTo(instant.getEpochSecond());
    assertThat(ts.getNanos()).isEqualTo(instant.getNano());
    assertThat(ProtoTimestamps.toInstant(ts)).isEqualTo(instant);
    assertThat(ProtoTimestamps.requestInstant("t", ts)).isEqualTo(instant);
  }

  static Stream<Arguments> invalidTimestamps() {
    return Stream.of(
        Arguments.of("negative nanos", Timestamp.newBuilder().setSeconds(0).setNanos(-1).build()),
        Arguments.of("a billion nanos", Timestamp.newBuilder().setNanos(1_000_000_000).build()),
        Arguments.of(
            "after year 9999", Timestamp.newBuilder().setSeconds(253_402_300_800L).build()),
        Arguments.of("before year 1", Timestamp.newBuilder().setSeconds(-62_135_596_801L).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidTimestamps")
  void invalidTimestampsAreRejected(String name, Timestamp ts) {
    assertThatThrownBy(() -> ProtoTimestamps.toInstant(ts))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProtoTimestamps.toInstantIfSet(ts))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProtoTimestamps.toEpochMillis(ts))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProtoTimestamps.requestInstant("birthday", ts))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("birthday is not a valid timestamp");
  }

  @Test
  void instantsOutsideTheTimestampRangeAreRejected() {
    assertThatThrownBy(() -> ProtoTimestamps.toTimestamp(Instant.MAX))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProtoTimestamps.toTimestamp(Instant.ofEpochSecond(-62_135_596_801L)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProtoTimestamps.fromEpochMillis(Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullAndTheDefaultTimestampAreNotSet() {
    assertThat(ProtoTimestamps.toInstantIfSet(null)).isEmpty();
    assertThat(ProtoTimestamps.toInstantIfSet(Timestamp.getDefaultInstance())).isEmpty();
    assertThat(ProtoTimestamps.toInstantIfSet(Timestamp.newBuilder().build())).isEmpty();
  }

  @Test
  void anythingElseIsSet() {
    assertThat(ProtoTimestamps.toInstantIfSet(Timestamp.newBuilder().setNanos(1).build()))
        .contains(Instant.EPOCH.plusNanos(1));
    assertThat(ProtoTimestamps.toInstantIfSet(Timestamp.newBuilder().setSeconds(-1).build()))
        .contains(Instant.EPOCH.minusSeconds(1));
  }

  @Test
  void theDefaultTimestampIsStillTheEpochWhereAValueIsRequired() {
    assertThat(ProtoTimestamps.toInstant(Timestamp.getDefaultInstance())).isEqualTo(Instant.EPOCH);
    assertThat(ProtoTimestamps.toEpochMillis(Timestamp.getDefaultInstance())).isZero();
  }

  static Stream<Arguments> millis() {
    return Stream.of(
        Arguments.of(0L, 0L, 0),
        Arguments.of(1_716_200_130_123L, 1_716_200_130L, 123_000_000),
        Arguments.of(-1L, -1L, 999_000_000),
        Arguments.of(-1_500L, -2L, 500_000_000));
  }

  @ParameterizedTest(name = "{0} ms")
  @MethodSource("millis")
  void epochMillisConvertBothWays(long ms, long seconds, int nanos) {
    Timestamp ts = ProtoTimestamps.fromEpochMillis(ms);

    assertThat(ts.getSeconds()).isEqualTo(seconds);
    assertThat(ts.getNanos()).isEqualTo(nanos);
    assertThat(ProtoTimestamps.toEpochMillis(ts)).isEqualTo(ms);
  }

  @Test
  void subMillisecondPartsRoundTowardsThePast() {
    assertThat(
            ProtoTimestamps.toEpochMillis(
                Timestamp.newBuilder().setSeconds(1).setNanos(999_999).build()))
        .isEqualTo(1_000L);
    assertThat(
            ProtoTimestamps.toEpochMillis(
                Timestamp.newBuilder().setSeconds(-1).setNanos(999_999_999).build()))
        .isEqualTo(-1L);
  }
}
