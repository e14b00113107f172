package com.webook.user;

import static org.assertj.core.api.Assertions.assertThat;
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
import com.webook.api.user.v1.WechatInfo;
import com.webook.testsupport.TestStack;
import com.webook.user.testing.UserStack;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * user.v1.UserService on the real stack (MariaDB database of this class's own, shared Redis with a
 * key namespace of its own), served by the platform GrpcServer: signup and login, the profile
 * cache, update, and races of many concurrent callers on one identity.
 */
class UserStackIT {
  private static final String PASSWORD = "hello#world123";
  private static final int PARALLEL = 50;
  private static UserStack stack;

  @BeforeAll
  static void start() {
    stack = UserStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void signupThenDuplicateThenLoginOkWrongPasswordAndUnknownEmailLookAlike() throws SQLException {
    String email = unique("alice") + "@example.com";
    stack.users().signup(signup(email, PASSWORD));

    StatusRuntimeException duplicate =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stack.users().signup(signup(email, "other#pass123")));
    User user = stack.users().login(login(email, PASSWORD)).getUser();
    StatusRuntimeException wrongPassword =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> stack.users().login(login(email, "wrong#pass123")));
    StatusRuntimeException unknownEmail =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stack.users().login(login(unique("nobody") + "@example.com", PASSWORD)));

    assertThat(duplicate.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(user.getId()).isPositive();
    assertThat(user.getEmail()).isEqualTo(email);
    assertThat(user.getPassword()).isEmpty();
    assertThat(wrongPassword.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(wrongPassword.getStatus().getDescription()).isEqualTo("invalid email or password");
    assertThat(unknownEmail.getStatus().getCode()).isEqualTo(wrongPassword.getStatus().getCode());
    assertThat(unknownEmail.getStatus().getDescription())
        .isEqualTo(wrongPassword.getStatus().getDescription());
    assertThat(queryString("SELECT password FROM users WHERE email = ?", email))
        .as("a bcrypt hash is stored, not the password")
        .startsWith("$2a$04$")
        .doesNotContain(PASSWORD);
    assertThat(queryLong("SELECT COUNT(*) FROM users WHERE email = ?", email)).isEqualTo(1);
  }

  @Test
  void profileIsCachedWithTheTtlAndInvalidatedByAnUpdate() {
    String email = unique("carol") + "@example.com";
    stack.users().signup(signup(email, PASSWORD));
    long id = stack.users().login(login(email, PASSWORD)).getUser().getId();
    String key = stack.namespace + "user:info:" + id;
    int loadsBefore = stack.dao.findByIdCalls();

    User first = stack.users().profile(profile(id)).getUser();
    long ttlMillis = stack.redis.connection().sync().pttl(key);
    User second = stack.users().profile(profile(id)).getUser();

    assertThat(first.getEmail()).isEqualTo(email);
    assertThat(first.hasBirthday()).isFalse();
    assertThat(second).isEqualTo(first);
    assertThat(stack.dao.findByIdCalls() - loadsBefore)
        .as("one DB load, then cache hits")
        .isEqualTo(1);
    assertThat(ttlMillis)
        .as("TTL ≈ 15 min")
        .isBetween(Duration.ofMinutes(14).toMillis(), Duration.ofMinutes(15).toMillis());
    assertThat(stack.redis.connection().sync().get(key)).contains(email);

    Instant birthday = Instant.parse("1991-02-03T00:00:00Z");
    stack.users().updateNonSensitiveInfo(update(id, "Carol", "likes tea", birthday));

    assertThat(stack.redis.connection().sync().exists(key))
        .as("key deleted by the update")
        .isZero();
    User after = stack.users().profile(profile(id)).getUser();
    assertThat(after.getNickname()).isEqualTo("Carol");
    assertThat(after.getAboutMe()).isEqualTo("likes tea");
    assertThat(after.getBirthday()).isEqualTo(ts(birthday));
    assertThat(stack.dao.findByIdCalls() - loadsBefore)
        .as("the update forced a reload")
        .isEqualTo(2);
    assertThat(stack.redis.connection().sync().get(key)).as("cached again").contains("likes tea");
  }

  @Test
  void updateChangesOnlyNicknameBirthdayAndAboutMe() throws SQLException {
    User phoneUser = stack.users().findOrCreate(phone(uniquePhone())).getUser();
    long ctimeBefore = queryLong("SELECT ctime FROM users WHERE id = ?", phoneUser.getId());

    var request =
        UpdateNonSensitiveInfoRequest.newBuilder()
            .setUser(
                User.newBuilder()
                    .setId(phoneUser.getId())
                    .setNickname("Dave")
                    .setAboutMe("hi")
                    .setBirthday(ts(Instant.parse("1980-01-01T00:00:00Z")))
                    .setEmail("hijack@example.com")
                    .setPhone("13900000000")
                    .setPassword("x#1234567"))
            .build();
    stack.users().updateNonSensitiveInfo(request);
    // The same values again: still found (matched rows, not changed rows).
    stack.users().updateNonSensitiveInfo(request);

    assertThat(queryString("SELECT phone FROM users WHERE id = ?", phoneUser.getId()))
        .isEqualTo(phoneUser.getPhone());
    assertThat(queryString("SELECT email FROM users WHERE id = ?", phoneUser.getId())).isNull();
    assertThat(queryString("SELECT password FROM users WHERE id = ?", phoneUser.getId())).isNull();
    assertThat(queryString("SELECT nickname FROM users WHERE id = ?", phoneUser.getId()))
        .isEqualTo("Dave");
    assertThat(queryLong("SELECT birthday FROM users WHERE id = ?", phoneUser.getId()))
        .isEqualTo(Instant.parse("1980-01-01T00:00:00Z").toEpochMilli());
    assertThat(queryLong("SELECT ctime FROM users WHERE id = ?", phoneUser.getId()))
        .isEqualTo(ctimeBefore);
  }

  @Test
  void fiftyParallelSignupsWithOneEmailCreateExactlyOneUser() throws Exception {
    String email = unique("race") + "@example.com";

    List<Status.Code> codes =
        inParallel(
            () -> {
              try {
                stack.users().signup(signup(email, PASSWORD));
                return Status.Code.OK;
              } catch (StatusRuntimeException e) {
                return e.getStatus().getCode();
              }
            });

    assertThat(codes).filteredOn(c -> c == Status.Code.OK).hasSize(1);
    assertThat(codes).filteredOn(c -> c == Status.Code.ALREADY_EXISTS).hasSize(PARALLEL - 1);
    assertThat(queryLong("SELECT COUNT(*) FROM users WHERE email = ?", email)).isEqualTo(1);
  }

  @Test
  void fiftyParallelFindOrCreateWithOnePhoneGiveOneUserAndTheSameIdToAll() throws Exception {
    String phone = uniquePhone();

    List<Long> ids = inParallel(() -> stack.users().findOrCreate(phone(phone)).getUser().getId());

    assertThat(ids).hasSize(PARALLEL).containsOnly(ids.get(0));
    assertThat(queryLong("SELECT COUNT(*) FROM users WHERE phone = ?", phone)).isEqualTo(1);
    assertThat(queryLong("SELECT id FROM users WHERE phone = ?", phone)).isEqualTo(ids.get(0));
  }

  @Test
  void fiftyParallelFindOrCreateByWechatWithOneOpenIdGiveOneUserAndTheSameIdToAll()
      throws Exception {
    String openId = unique("open");

    List<User> users =
        inParallel(
            () -> stack.users().findOrCreateByWechat(wechat(openId, "union-" + openId)).getUser());

    assertThat(users).extracting(User::getId).hasSize(PARALLEL).containsOnly(users.get(0).getId());
    assertThat(users).allSatisfy(u -> assertThat(u.getWechatInfo().getOpenId()).isEqualTo(openId));
    assertThat(queryLong("SELECT COUNT(*) FROM users WHERE wechat_open_id = ?", openId))
        .isEqualTo(1);
    assertThat(queryString("SELECT wechat_union_id FROM users WHERE wechat_open_id = ?", openId))
        .isEqualTo("union-" + openId);
  }

  @Test
  void absentIdentitiesAreStoredAsNullSoManyUsersCoexist() throws SQLException {
    stack.users().findOrCreate(phone(uniquePhone()));
    stack.users().findOrCreate(phone(uniquePhone()));
    stack.users().findOrCreateByWechat(wechat(unique("open"), ""));
    stack.users().signup(signup(unique("eve") + "@example.com", PASSWORD));

    assertThat(
            queryLong(
                "SELECT COUNT(*) FROM users WHERE email = '' OR phone = '' OR wechat_open_id = ''"
                    + " OR wechat_union_id = ''"))
        .as("never ''")
        .isZero();
    assertThat(queryLong("SELECT COUNT(*) FROM users WHERE email IS NULL"))
        .isGreaterThanOrEqualTo(3);
    assertThat(queryLong("SELECT COUNT(*) FROM users WHERE phone IS NULL"))
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void batchProfileReadsTheCacheWithOneMgetAndTheMissesWithOneQuery() {
    long a = stack.users().findOrCreate(phone(uniquePhone())).getUser().getId();
    long b = stack.users().findOrCreate(phone(uniquePhone())).getUser().getId();
    long c = stack.users().findOrCreate(phone(uniquePhone())).getUser().getId();
    long unknown = 9_000_000_000L;
    stack.users().profile(profile(a)); // a is now cached
    int batchesBefore = stack.dao.findByIdsCalls().size();

    var users = stack.users().batchProfile(batch(a, b, c, unknown, b)).getUsersMap();

    assertThat(users).containsOnlyKeys(a, b, c);
    assertThat(users.values()).allSatisfy(u -> assertThat(u.getPassword()).isEmpty());
    List<List<Long>> queries =
        stack.dao.findByIdsCalls().subList(batchesBefore, stack.dao.findByIdsCalls().size());
    assertThat(queries)
        .as("one IN query, for the misses only")
        .singleElement()
        .satisfies(ids -> assertThat(ids).containsExactlyInAnyOrder(b, c, unknown));
    assertThat(
            stack
                .redis
                .connection()
                .sync()
                .exists(stack.namespace + "user:info:" + b, stack.namespace + "user:info:" + c))
        .as("misses written back")
        .isEqualTo(2);

    var again = stack.users().batchProfile(batch(a, b, c)).getUsersMap();

    assertThat(again).isEqualTo(users);
    assertThat(stack.dao.findByIdsCalls()).as("all hits: no query").hasSize(batchesBefore + 1);
  }

  @Test
  void profileOfAnUnknownIdIsNotFound() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> stack.users().profile(profile(9_000_000_001L)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  private static <T> List<T> inParallel(Callable<T> call) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Callable<T>> calls = new ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) {
      calls.add(
          () -> {
            go.await();
            return call.call();
          });
    }
    List<T> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL)) {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> c : calls) {
        futures.add(pool.submit(c));
      }
      go.countDown();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
    }
    return results;
  }

  private static String unique(String prefix) {
    return TestStack.unique(prefix);
  }

  private static int phoneCounter;

  private static synchronized String uniquePhone() {
    phoneCounter++;
    return String.format("139%08d", phoneCounter);
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        stack.database.jdbcUrl(), TestStack.mysqlUser(), TestStack.mysqlPassword());
  }

  private static String queryString(String sql, Object... args) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).as("a row for " + sql).isTrue();
      return rs.getString(1);
    }
  }

  private static long queryLong(String sql, Object... args) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).as("a row for " + sql).isTrue();
      return rs.getLong(1);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
    return ps;
  }

  static SignupRequest signup(String email, String password) {
    return SignupRequest.newBuilder()
        .setUser(User.newBuilder().setEmail(email).setPassword(password))
        .build();
  }

  static LoginRequest login(String email, String password) {
    return LoginRequest.newBuilder().setEmail(email).setPassword(password).build();
  }

  static ProfileRequest profile(long id) {
    return ProfileRequest.newBuilder().setId(id).build();
  }

  static UpdateNonSensitiveInfoRequest update(
      long id, String nickname, String aboutMe, Instant birthday) {
    return UpdateNonSensitiveInfoRequest.newBuilder()
        .setUser(
            User.newBuilder()
                .setId(id)
                .setNickname(nickname)
                .setAboutMe(aboutMe)
                .setBirthday(ts(birthday)))
        .build();
  }

  static FindOrCreateRequest phone(String phone) {
    return FindOrCreateRequest.newBuilder().setPhone(phone).build();
  }

  static FindOrCreateByWechatRequest wechat(String openId, String unionId) {
    return FindOrCreateByWechatRequest.newBuilder()
        .setInfo(WechatInfo.newBuilder().setOpenId(openId).setUnionId(unionId))
        .build();
  }

  static BatchProfileRequest batch(long... ids) {
    BatchProfileRequest.Builder b = BatchProfileRequest.newBuilder();
    for (long id : ids) {
      b.addIds(id);
    }
    return b.build();
  }

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
