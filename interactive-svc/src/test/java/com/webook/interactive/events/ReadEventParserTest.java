package com.webook.interactive.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadEventParserTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("well formed", "{\"uid\":7,\"aid\":42}", null),
        Arguments.of("anonymous reader", "{\"uid\":0,\"aid\":1}", null),
        Arguments.of("extra field", "{\"uid\":1,\"aid\":2,\"x\":\"y\"}", null),
        Arguments.of("max int64", "{\"uid\":1,\"aid\":9223372036854775807}", null),
        Arguments.of("empty", "", ReadEventParser.EMPTY),
        Arguments.of("not JSON", "uid=1", ReadEventParser.MALFORMED),
        Arguments.of("truncated", "{\"uid\":1,\"aid\":", ReadEventParser.MALFORMED),
        Arguments.of("array", "[1,2]", ReadEventParser.NOT_OBJECT),
        Arguments.of("number", "5", ReadEventParser.NOT_OBJECT),
        Arguments.of("missing aid", "{\"uid\":1}", ReadEventParser.MISSING_AID),
        Arguments.of("null aid", "{\"uid\":1,\"aid\":null}", ReadEventParser.MISSING_AID),
        Arguments.of("aid as string", "{\"uid\":1,\"aid\":\"5\"}", ReadEventParser.BAD_AID),
        Arguments.of("aid fractional", "{\"uid\":1,\"aid\":5.5}", ReadEventParser.BAD_AID),
        Arguments.of("aid 5.0", "{\"uid\":1,\"aid\":5.0}", ReadEventParser.BAD_AID),
        Arguments.of(
            "aid beyond int64", "{\"uid\":1,\"aid\":9223372036854775808}", ReadEventParser.BAD_AID),
        Arguments.of("aid zero", "{\"uid\":1,\"aid\":0}", ReadEventParser.NON_POSITIVE_AID),
        Arguments.of("aid negative", "{\"uid\":1,\"aid\":-3}", ReadEventParser.NON_POSITIVE_AID),
        Arguments.of("missing uid", "{\"aid\":3}", ReadEventParser.MISSING_UID),
        Arguments.of("uid boolean", "{\"uid\":true,\"aid\":3}", ReadEventParser.BAD_UID),
        Arguments.of("uid negative", "{\"uid\":-1,\"aid\":3}", ReadEventParser.NEGATIVE_UID));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parsesStrictly(String name, String value, String poisonReason) {
    ReadEventParser.Result r = ReadEventParser.parse(value.getBytes(StandardCharsets.UTF_8));
    if (poisonReason == null) {
      assertThat(r).isInstanceOf(ReadEventParser.Read.class);
    } else {
      assertThat(r).isEqualTo(new ReadEventParser.Poison(poisonReason));
    }
  }

  @Test
  void nullValueIsEmpty() {
    assertThat(ReadEventParser.parse(null)).isEqualTo(new ReadEventParser.Poison("empty value"));
  }
}
