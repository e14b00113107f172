package com.webook.user.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.platform.errors.ConflictException;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.NotFoundException;
import com.webook.user.domain.NewUser;
import com.webook.user.domain.User;
import com.webook.user.domain.WechatInfo;
import com.webook.user.testing.CountingPasswordHasher;
import com.webook.user.testing.InMemoryUserRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signup, login (including its timing rule) and find-or-create races, over an in-memory repository.
 */
class UserServiceTest {
  private static final Instant NOW = Instant.parse("2025-03-01T08:00:00.123456Z");
  private static final String PASSWORD = "hello#world123";

  private final InMemoryUserRepository repository = new InMemoryUserRepository();
  private final CountingPasswordHasher hasher = new CountingPasswordHasher();
  private UserService service;

  @BeforeEach
  void create() {
    service = new UserService(repository, hasher, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void theDummyHashIsARealHashWithTheConfiguredCost() {
    assertThat(hasher.hashCount()).as("one hash at construction: the dummy").isEqualTo(1);
    hasher.reset();

    assertThatThrownBy(() -> service.login("nobody@example.com", PASSWORD))
        .isInstanceOf(InvalidInputException.class);

    assertThat(hasher.verifiedAgainst())
        .singleElement()
        .asString()
        .startsWith("$2a$04$")
        .hasSize(60);
  }

  @Test
  void unknownEmailRunsExactlyOneVerificationLikeAWrongPassword() {
    service.signup("alice@example.com", PASSWORD);
    String stored = repository.passwordHashOf(1).orElseThrow();
    hasher.reset();

    Throwable unknown = catchFailure(() -> service.login("nobody@example.com", PASSWORD));
    assertThat(hasher.verifiedAgainst())
        .as("unknown email: verified against the dummy hash")
        .hasSize(1)
        .doesNotContain(stored);
    hasher.reset();
    Throwable wrong = catchFailure(() -> service.login("alice@example.com", "wrong#pass123"));
    assertThat(hasher.verifiedAgainst())
        .as("wrong password: verified against the stored hash")
        .containsExactly(stored);

    assertThat(unknown)
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(UserService.BAD_CREDENTIALS);
    assertThat(wrong)
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(UserService.BAD_CREDENTIALS);
    assertThat(unknown.getClass()).isEqualTo(wrong.getClass());
  }

  @Test
  void anAccountWithoutAPasswordHashCannotLogInAndCostsOneVerification() {
    // No code path creates an email account without a hash today; should one exist, a login
    // still costs one verification and fails like any other.
    repository.create(new NewUser("nopass@example.com", null, "", WechatInfo.NONE, NOW));
    hasher.reset();

    assertThatThrownBy(() -> service.login("nopass@example.com", PASSWORD))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(UserService.BAD_CREDENTIALS);
    assertThat(hasher.verifiedAgainst()).hasSize(1);
  }

  @Test
  void loginWithTheRightPasswordReturnsTheUser() {
    service.signup("alice@example.com", PASSWORD);

    User user = service.login("alice@example.com", PASSWORD);

    assertThat(user.id()).isEqualTo(1);
    assertThat(user.email()).isEqualTo("alice@example.com");
    assertThat(user.ctime())
        .as("clock, millisecond precision")
        .isEqualTo(Instant.parse("2025-03-01T08:00:00.123Z"));
  }

  @Test
  void signupStoresAVerifiableHashAndRejectsADuplicate() {
    service.signup("alice@example.com", PASSWORD);

    String hash = repository.passwordHashOf(1).orElseThrow();
    assertThat(hash).isNotEqualTo(PASSWORD);
    assertThat(new BcryptPasswordHasher(4).verify(PASSWORD, hash)).isTrue();
    assertThatThrownBy(() -> service.signup("alice@example.com", "other#pass123"))
        .isInstanceOf(ConflictException.class);
    assertThat(repository.size()).isEqualTo(1);
  }

  @Test
  void findOrCreateByPhoneReturnsTheConcurrentlyCreatedUserOnADuplicateKey() {
    // Our find sees nothing; before our insert lands, another request creates the same phone.
    repository.beforeNextCreate(r -> r.create(NewUser.withPhone("13812345678", NOW)));

    User user = service.findOrCreateByPhone("13812345678");

    assertThat(user.id()).as("the other request's user").isEqualTo(1);
    assertThat(repository.size()).isEqualTo(1);
  }

  @Test
  void findOrCreateByWechatReturnsTheConcurrentlyCreatedUserOnADuplicateKey() {
    WechatInfo info = new WechatInfo("open-1", "union-1");
    repository.beforeNextCreate(r -> r.create(NewUser.withWechat(info, NOW)));

    User user = service.findOrCreateByWechat(info);

    assertThat(user.id()).isEqualTo(1);
    assertThat(user.wechat()).isEqualTo(info);
    assertThat(repository.size()).isEqualTo(1);
  }

  @Test
  void findOrCreateCreatesAUserWithOnlyThatIdentity() {
    User user = service.findOrCreateByPhone("13812345678");

    assertThat(user).isEqualTo(repository.findById(user.id()).orElseThrow());
    assertThat(user.email()).isEmpty();
    assertThat(user.wechat().isPresent()).isFalse();
    assertThat(repository.passwordHashOf(user.id())).isEmpty();
  }

  @Test
  void updateStoresTheBirthdayAtMillisecondPrecisionAndStampsUtime() {
    service.signup("alice@example.com", PASSWORD);

    service.updateNonSensitiveInfo(
        1, "Alice", Instant.parse("1990-01-02T03:04:05.678999Z"), "about");

    User user = service.profile(1);
    assertThat(user.birthday()).isEqualTo(Instant.parse("1990-01-02T03:04:05.678Z"));
    assertThat(user.utime()).isEqualTo(Instant.parse("2025-03-01T08:00:00.123Z"));
    assertThatThrownBy(() -> service.updateNonSensitiveInfo(2, "x", null, ""))
        .isInstanceOf(NotFoundException.class);
  }

  private static Throwable catchFailure(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }
}
