package com.webook.user.repository.dao;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.stream.Stream;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which database errors count as "this identity is taken". */
class UserDaoTest {
  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "duplicate entry (23000/1062)",
                wrap(
                    new SQLIntegrityConstraintViolationException(
                        "Duplicate entry 'a@b.c' for key 'uk_users_email'", "23000", 1062))),
            true),
        Arguments.of(
            Named.of(
                "column cannot be null (23000/1048)",
                wrap(
                    new SQLIntegrityConstraintViolationException(
                        "Column 'ctime' cannot be null", "23000", 1048))),
            false),
        Arguments.of(
            Named.of("1062 under another SQLState", wrap(new SQLException("odd", "HY000", 1062))),
            false),
        Arguments.of(
            Named.of("connection failure (08000)", wrap(new SQLException("gone", "08000", 0))),
            false),
        Arguments.of(
            Named.of("no SQLException at all", new DataAccessException("no cause")), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void recognisesOnlyUniqueKeyViolations(DataAccessException e, boolean duplicate) {
    assertThat(UserDao.isDuplicateKey(e)).isEqualTo(duplicate);
  }

  private static DataAccessException wrap(SQLException cause) {
    return new DataAccessException("SQL [insert into users ...]; " + cause.getMessage(), cause);
  }
}
