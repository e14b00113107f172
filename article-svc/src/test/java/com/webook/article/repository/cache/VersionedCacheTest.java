package com.webook.article.repository.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.article.repository.cache.VersionedCache.Lookup;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How a stored {@code <version>|<body>} reads back. */
class VersionedCacheTest {
  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("no key", null, new Lookup.Miss()),
        Arguments.of(
            "a value", "1700000000123|{\"id\":1}", new Lookup.Hit("{\"id\":1}", 1700000000123L)),
        Arguments.of("a body with bars", "5|a|b", new Lookup.Hit("a|b", 5)),
        Arguments.of("absent marker", "42|", new Lookup.Absent(42)),
        Arguments.of("absent marker at version 0", "0|", new Lookup.Absent(0)),
        Arguments.of("floor", "42|-", new Lookup.Miss()),
        Arguments.of("no version (a foreign value)", "{\"id\":1}", new Lookup.Miss()),
        Arguments.of("empty version", "|x", new Lookup.Miss()),
        Arguments.of("version not a number", "v1|x", new Lookup.Miss()),
        Arguments.of("empty string", "", new Lookup.Miss()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void parse(String name, String stored, Lookup expected) {
    assertThat(VersionedCache.parse(stored)).isEqualTo(expected);
  }
}
