package com.webook.user.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Timestamp;
import com.webook.api.user.v1.BatchProfileRequest;
import com.webook.api.user.v1.FindOrCreateByWechatRequest;
import com.webook.api.user.v1.FindOrCreateRequest;
import com.webook.api.user.v1.LoginRequest;
import com.webook.api.user.v1.ProfileRequest;
import com.webook.api.user.v1.SignupRequest;
import com.webook.api.user.v1.UpdateNonSensitiveInfoRequest;
import com.webook.api.user.v1.User;
import com.webook.api.user.v1.UserServiceGrpc;
import com.webook.api.user.v1.UserServiceGrpc.UserServiceBlockingStub;
import com.webook.api.user.v1.WechatInfo;
import com.webook.platform.errors.UnavailableException;
import com.webook.user.service.UserService;
import com.webook.user.testing.CountingPasswordHasher;
import com.webook.user.testing.InMemoryUserRepository;
import com.webook.user.testing.InProcessGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gRPC contract of user.v1.UserService (module README): every validation rule and every error →
 * status mapping, through an in-process server with the production error mapping, over the real
 * UserService with an in-memory repository at the seam.
 */
class UserGrpcServiceTest {
  private static final Instant NOW = Instant.parse("2025-03-01T08:00:00Z");
  private static final String GOOD_PASSWORD = "hello#world123";
  private static final String SEEDED_EMAIL = "seed@example.com";

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private InMemoryUserRepository repository;
  private CountingPasswordHasher hasher;
  private InProcessGrpc grpc;
  private UserServiceBlockingStub stub;
  private com.webook.user.domain.User seeded;

  @BeforeEach
  void start() {
    repository = new InMemoryUserRepository();
    hasher = new CountingPasswordHasher();
    grpc =
        new InProcessGrpc(new UserGrpcService(new UserService(repository, hasher, clock), clock));
    stub = UserServiceGrpc.newBlockingStub(grpc.channel());
    stub.signup(signup(SEEDED_EMAIL, GOOD_PASSWORD));
    seeded = repository.findById(1).orElseThrow();
  }

  @AfterEach
  void stop() {
    grpc.close();
  }

  /** One RPC made with the stub. */
  interface Call extends Consumer<UserServiceBlockingStub> {}

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        // Signup: email (SPEC §2.3 regex; ≤ 255 for the column)
        invalid("signup: empty email", s -> s.signup(signup("", GOOD_PASSWORD))),
        invalid(
            "signup: email without @", s -> s.signup(signup("alice.example.com", GOOD_PASSWORD))),
        invalid(
            "signup: email without a dot in the domain",
            s -> s.signup(signup("alice@example", GOOD_PASSWORD))),
        invalid(
            "signup: email with a space",
            s -> s.signup(signup("ali ce@example.com", GOOD_PASSWORD))),
        invalid(
            "signup: email with a trailing newline",
            s -> s.signup(signup("alice@example.com\n", GOOD_PASSWORD))),
        invalid(
            "signup: email with two @", s -> s.signup(signup("a@b@example.com", GOOD_PASSWORD))),
        invalid(
            "signup: email of 256 characters",
            s -> s.signup(signup("a".repeat(244) + "@example.com", GOOD_PASSWORD))),
        // Signup: password
        invalid("signup: empty password", s -> s.signup(signup("bob@example.com", ""))),
        invalid(
            "signup: password of 7 characters",
            s -> s.signup(signup("bob@example.com", "abc123$"))),
        invalid(
            "signup: password without a special character",
            s -> s.signup(signup("bob@example.com", "abcdefg123"))),
        invalid(
            "signup: password without a digit",
            s -> s.signup(signup("bob@example.com", "abcdefgh$"))),
        invalid(
            "signup: password without a letter",
            s -> s.signup(signup("bob@example.com", "12345678$"))),
        invalid(
            "signup: password of 73 characters",
            s -> s.signup(signup("bob@example.com", "a1$" + "x".repeat(70)))),
        invalid(
            "signup: password with a space",
            s -> s.signup(signup("bob@example.com", "abc 123$xyz"))),
        invalid(
            "signup: password with a non-ASCII letter",
            s -> s.signup(signup("bob@example.com", "pässwort1$"))),
        // Login
        invalid(
            "login: empty email",
            s -> s.login(LoginRequest.newBuilder().setPassword(GOOD_PASSWORD).build())),
        invalid(
            "login: empty password",
            s -> s.login(LoginRequest.newBuilder().setEmail(SEEDED_EMAIL).build())),
        // Profile
        invalid("profile: id 0", s -> s.profile(ProfileRequest.newBuilder().setId(0).build())),
        invalid(
            "profile: negative id", s -> s.profile(ProfileRequest.newBuilder().setId(-1).build())),
        // UpdateNonSensitiveInfo
        invalid("update: id 0", s -> s.updateNonSensitiveInfo(update(0, "nick", "", null))),
        invalid("update: negative id", s -> s.updateNonSensitiveInfo(update(-3, "nick", "", null))),
        invalid("update: empty nickname", s -> s.updateNonSensitiveInfo(update(1, "", "", null))),
        invalid(
            "update: blank nickname", s -> s.updateNonSensitiveInfo(update(1, "   ", "", null))),
        invalid(
            "update: nickname of 65 characters",
            s -> s.updateNonSensitiveInfo(update(1, "中".repeat(65), "", null))),
        invalid(
            "update: nickname of 65 emoji (code points)",
            s -> s.updateNonSensitiveInfo(update(1, "😀".repeat(65), "", null))),
        invalid(
            "update: aboutMe of 1025 characters",
            s -> s.updateNonSensitiveInfo(update(1, "nick", "a".repeat(1025), null))),
        invalid(
            "update: birthday one second in the future",
            s -> s.updateNonSensitiveInfo(update(1, "nick", "", ts(NOW.plusSeconds(1))))),
        invalid(
            "update: birthday with negative nanos",
            s ->
                s.updateNonSensitiveInfo(
                    update(
                        1, "nick", "", Timestamp.newBuilder().setSeconds(0).setNanos(-1).build()))),
        invalid(
            "update: birthday after year 9999",
            s ->
                s.updateNonSensitiveInfo(
                    update(
                        1,
                        "nick",
                        "",
                        Timestamp.newBuilder().setSeconds(253_402_300_800L).build()))),
        // FindOrCreate (phone)
        invalid("findOrCreate: empty phone", s -> s.findOrCreate(phone(""))),
        invalid("findOrCreate: second digit 2", s -> s.findOrCreate(phone("12812345678"))),
        invalid("findOrCreate: 10 digits", s -> s.findOrCreate(phone("1381234567"))),
        invalid("findOrCreate: 12 digits", s -> s.findOrCreate(phone("138123456789"))),
        invalid("findOrCreate: country prefix", s -> s.findOrCreate(phone("+8613812345678"))),
        invalid("findOrCreate: a letter", s -> s.findOrCreate(phone("1381234567a"))),
        invalid("findOrCreate: full-width digits", s -> s.findOrCreate(phone("１３８１２３４５６７８"))),
        invalid("findOrCreate: trailing newline", s -> s.findOrCreate(phone("13812345678\n"))),
        // FindOrCreateByWechat
        invalid("wechat: empty openId", s -> s.findOrCreateByWechat(wechat("", "u"))),
        invalid(
            "wechat: openId of 129 characters",
            s -> s.findOrCreateByWechat(wechat("o".repeat(129), ""))),
        invalid(
            "wechat: unionId of 129 characters",
            s -> s.findOrCreateByWechat(wechat("open", "u".repeat(129)))),
        // BatchProfile
        invalid("batch: no ids", s -> s.batchProfile(BatchProfileRequest.getDefaultInstance())),
        invalid(
            "batch: 101 ids",
            s -> s.batchProfile(batch(LongStream.rangeClosed(1, 101).boxed().toList()))),
        invalid("batch: an id 0", s -> s.batchProfile(batch(List.of(1L, 0L)))),
        invalid("batch: a negative id", s -> s.batchProfile(batch(List.of(-5L, 1L)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void invalidRequestsAnswerInvalidArgumentAndChangeNothing(Call call) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> call.accept(stub));

    assertThat(e).as("the call must fail").isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).as("names the problem").isNotBlank();
    assertThat(repository.size()).as("no user created").isEqualTo(1);
    assertThat(repository.findById(1)).as("seeded user unchanged").contains(seeded);
  }

  static Stream<Arguments> boundaryRequests() {
    return Stream.of(
        valid(
            "signup: password of exactly 8 characters",
            s -> s.signup(signup("b8@example.com", "abcde1$x"))),
        valid(
            "signup: password of exactly 72 characters",
            s -> s.signup(signup("b72@example.com", "a1$" + "x".repeat(69)))),
        valid(
            "signup: email with plus, dots and dashes",
            s -> s.signup(signup("a.b+c-d@mail-x.example.co.uk", GOOD_PASSWORD))),
        valid(
            "signup: email of exactly 255 characters",
            s -> s.signup(signup("a".repeat(243) + "@example.com", GOOD_PASSWORD))),
        valid(
            "update: nickname of 64 emoji (128 UTF-16 chars)",
            s -> s.updateNonSensitiveInfo(update(1, "😀".repeat(64), "", null))),
        valid(
            "update: aboutMe of exactly 1024 characters",
            s -> s.updateNonSensitiveInfo(update(1, "n", "a".repeat(1024), null))),
        valid(
            "update: birthday exactly now",
            s -> s.updateNonSensitiveInfo(update(1, "n", "", ts(NOW)))),
        valid(
            "update: birthday before 1970",
            s ->
                s.updateNonSensitiveInfo(
                    update(1, "n", "", ts(Instant.parse("1950-05-04T00:00:00Z"))))),
        valid(
            "update: empty aboutMe, no birthday",
            s -> s.updateNonSensitiveInfo(update(1, "n", "", null))),
        valid("findOrCreate: 199 prefix", s -> s.findOrCreate(phone("19912345678"))),
        valid(
            "wechat: openId of exactly 128 characters",
            s -> s.findOrCreateByWechat(wechat("o".repeat(128), ""))),
        valid(
            "batch: exactly 100 ids",
            s -> s.batchProfile(batch(LongStream.rangeClosed(1, 100).boxed().toList()))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("boundaryRequests")
  void requestsOnTheBoundaryAreAccepted(Call call) {
    assertThatCode(() -> call.accept(stub)).doesNotThrowAnyException();
  }

  @Test
  void duplicateSignupAnswersAlreadyExists() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> stub.signup(signup(SEEDED_EMAIL, "other#pass123")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(repository.size()).isEqualTo(1);
  }

  @Test
  void signupStoresABcryptHashNeverThePassword() {
    assertThat(repository.passwordHashOf(1))
        .hasValueSatisfying(
            hash -> {
              assertThat(hash).startsWith("$2a$04$").doesNotContain(GOOD_PASSWORD);
            });
  }

  @Test
  void unknownEmailAndWrongPasswordAnswerIdentically() {
    StatusRuntimeException wrongPassword =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> stub.login(login(SEEDED_EMAIL, "wrong#pass123")));
    StatusRuntimeException unknownEmail =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.login(login("nobody@example.com", GOOD_PASSWORD)));

    assertThat(wrongPassword.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(wrongPassword.getStatus().getDescription()).isEqualTo("invalid email or password");
    assertThat(unknownEmail.getStatus().getCode()).isEqualTo(wrongPassword.getStatus().getCode());
    assertThat(unknownEmail.getStatus().getDescription())
        .isEqualTo(wrongPassword.getStatus().getDescription());
    assertThat(unknownEmail.getTrailers().keys()).isEqualTo(wrongPassword.getTrailers().keys());
  }

  @Test
  void loginReturnsTheUserWithoutPassword() {
    User user = stub.login(login(SEEDED_EMAIL, GOOD_PASSWORD)).getUser();

    assertThat(user.getId()).isEqualTo(1);
    assertThat(user.getEmail()).isEqualTo(SEEDED_EMAIL);
    assertThat(user.getPassword()).isEmpty();
    assertThat(user.getCtime()).isEqualTo(ts(NOW));
    assertThat(user.hasBirthday()).as("birthday unknown → absent").isFalse();
    assertThat(user.hasWechatInfo()).isFalse();
  }

  @Test
  void profileOfAnUnknownUserIsNotFound() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.profile(ProfileRequest.newBuilder().setId(42).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void updateOfAnUnknownUserIsNotFound() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.updateNonSensitiveInfo(update(42, "nick", "", null)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void updateChangesNicknameBirthdayAndAboutMeOnly() {
    Instant birthday = Instant.parse("1990-01-02T00:00:00Z");
    var request =
        UpdateNonSensitiveInfoRequest.newBuilder()
            .setUser(
                User.newBuilder()
                    .setId(1)
                    .setNickname("Alice")
                    .setAboutMe("hi")
                    .setBirthday(ts(birthday))
                    // Fields the RPC must ignore:
                    .setEmail("hijack@example.com")
                    .setPhone("13812345678")
                    .setPassword("new#pass123")
                    .setWechatInfo(WechatInfo.newBuilder().setOpenId("evil")))
            .build();

    stub.updateNonSensitiveInfo(request);
    User after = stub.profile(ProfileRequest.newBuilder().setId(1).build()).getUser();

    assertThat(after.getNickname()).isEqualTo("Alice");
    assertThat(after.getAboutMe()).isEqualTo("hi");
    assertThat(after.getBirthday()).isEqualTo(ts(birthday));
    assertThat(after.getEmail()).isEqualTo(SEEDED_EMAIL);
    assertThat(after.getPhone()).isEmpty();
    assertThat(after.hasWechatInfo()).isFalse();
    assertThat(after.getPassword()).isEmpty();
    assertThat(stub.login(login(SEEDED_EMAIL, GOOD_PASSWORD)).getUser().getId())
        .as("old password still works")
        .isEqualTo(1);
  }

  @Test
  void findOrCreateByPhoneReturnsTheSameUserEveryTime() {
    User first = stub.findOrCreate(phone("13812345678")).getUser();
    User second = stub.findOrCreate(phone("13812345678")).getUser();

    assertThat(second.getId()).isEqualTo(first.getId()).isNotEqualTo(1);
    assertThat(first.getPhone()).isEqualTo("13812345678");
    assertThat(first.getEmail()).isEmpty();
    assertThat(repository.size()).isEqualTo(2);
  }

  @Test
  void findOrCreateByWechatReturnsTheSameUserEveryTime() {
    User first = stub.findOrCreateByWechat(wechat("open-1", "union-1")).getUser();
    User second = stub.findOrCreateByWechat(wechat("open-1", "union-1")).getUser();

    assertThat(second.getId()).isEqualTo(first.getId());
    assertThat(first.getWechatInfo().getOpenId()).isEqualTo("open-1");
    assertThat(first.getWechatInfo().getUnionId()).isEqualTo("union-1");
    assertThat(repository.size()).isEqualTo(2);
  }

  @Test
  void batchProfileLeavesUnknownIdsOut() {
    long phoneUser = stub.findOrCreate(phone("13812345678")).getUser().getId();

    var users = stub.batchProfile(batch(List.of(1L, phoneUser, 999L, 1L))).getUsersMap();

    assertThat(users).containsOnlyKeys(1L, phoneUser);
    assertThat(users.get(1L).getEmail()).isEqualTo(SEEDED_EMAIL);
    assertThat(users.get(phoneUser).getPhone()).isEqualTo("13812345678");
    assertThat(users.values()).allSatisfy(u -> assertThat(u.getPassword()).isEmpty());
  }

  @Test
  void anUnavailableDependencyAnswersUnavailable() {
    repository.failWith(new UnavailableException("profile storage is overloaded, retry later"));

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.profile(ProfileRequest.newBuilder().setId(1).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void anUnexpectedFailureAnswersInternalWithoutDetails() {
    repository.failWith(new IllegalStateException("SELECT password FROM users -- secret detail"));

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> stub.login(login(SEEDED_EMAIL, GOOD_PASSWORD)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
  }

  private static Arguments invalid(String name, Call call) {
    return Arguments.of(Named.of(name, call));
  }

  private static Arguments valid(String name, Call call) {
    return Arguments.of(Named.of(name, call));
  }

  static SignupRequest signup(String email, String password) {
    return SignupRequest.newBuilder()
        .setUser(User.newBuilder().setEmail(email).setPassword(password))
        .build();
  }

  static LoginRequest login(String email, String password) {
    return LoginRequest.newBuilder().setEmail(email).setPassword(password).build();
  }

  static UpdateNonSensitiveInfoRequest update(
      long id, String nickname, String aboutMe, Timestamp birthday) {
    User.Builder user = User.newBuilder().setId(id).setNickname(nickname).setAboutMe(aboutMe);
    if (birthday != null) {
      user.setBirthday(birthday);
    }
    return UpdateNonSensitiveInfoRequest.newBuilder().setUser(user).build();
  }

  static FindOrCreateRequest phone(String phone) {
    return FindOrCreateRequest.newBuilder().setPhone(phone).build();
  }

  static FindOrCreateByWechatRequest wechat(String openId, String unionId) {
    return FindOrCreateByWechatRequest.newBuilder()
        .setInfo(WechatInfo.newBuilder().setOpenId(openId).setUnionId(unionId))
        .build();
  }

  static BatchProfileRequest batch(List<Long> ids) {
    return BatchProfileRequest.newBuilder().addAllIds(ids).build();
  }

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
