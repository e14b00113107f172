package com.webook.bff;

import com.webook.api.code.v1.CodeServiceGrpc;
import com.webook.api.code.v1.SendRequest;
import com.webook.api.code.v1.SendResponse;
import com.webook.api.code.v1.VerifyRequest;
import com.webook.api.code.v1.VerifyResponse;
import com.webook.api.oauth2.v1.AuthURLRequest;
import com.webook.api.oauth2.v1.AuthURLResponse;
import com.webook.api.oauth2.v1.Oauth2ServiceGrpc;
import com.webook.api.oauth2.v1.VerifyCodeRequest;
import com.webook.api.oauth2.v1.VerifyCodeResponse;
import com.webook.api.user.v1.BatchProfileRequest;
import com.webook.api.user.v1.BatchProfileResponse;
import com.webook.api.user.v1.FindOrCreateByWechatRequest;
import com.webook.api.user.v1.FindOrCreateByWechatResponse;
import com.webook.api.user.v1.FindOrCreateRequest;
import com.webook.api.user.v1.FindOrCreateResponse;
import com.webook.api.user.v1.LoginRequest;
import com.webook.api.user.v1.LoginResponse;
import com.webook.api.user.v1.ProfileRequest;
import com.webook.api.user.v1.ProfileResponse;
import com.webook.api.user.v1.SignupRequest;
import com.webook.api.user.v1.SignupResponse;
import com.webook.api.user.v1.UpdateNonSensitiveInfoRequest;
import com.webook.api.user.v1.UpdateNonSensitiveInfoResponse;
import com.webook.api.user.v1.User;
import com.webook.api.user.v1.UserServiceGrpc;
import com.webook.api.user.v1.WechatInfo;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted user-svc for the BFF's tests, served in-process over real gRPC (so the BFF's stubs,
 * status translation and mapping all run): in-memory users, SMS codes the test can read, a WeChat
 * that accepts the codes the test registers, and per-method failures on demand ({@link #failWith}).
 * Keeps every request it got, for assertions. Thread-safe.
 */
final class FakeUserSvc implements AutoCloseable {
  static final String WECHAT_URL = "https://open.weixin.qq.com/connect/qrconnect?appid=test&state=";

  private final String name = "fake-user-svc-" + UUID.randomUUID();
  private final Server server;
  private final ManagedChannel channel;

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, User> users = new ConcurrentHashMap<>();
  private final Map<String, String> passwords = new ConcurrentHashMap<>(); // email → password
  private final Map<String, String> codes = new ConcurrentHashMap<>(); // biz:phone → code
  private final Map<String, WechatInfo> wechatCodes = new ConcurrentHashMap<>(); // code → identity
  private final Map<String, Status> failures = new ConcurrentHashMap<>(); // method → status
  private volatile String nextCode;
  final List<Object> requests = new CopyOnWriteArrayList<>();

  FakeUserSvc() {
    try {
      server =
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .addService(new Users())
              .addService(new Codes())
              .addService(new Oauth2())
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  ManagedChannel channel() {
    return channel;
  }

  /**
   * From now on, {@code method} (e.g. "Signup", "Send", "VerifyCode") fails with {@code status}.
   */
  void failWith(String method, Status status) {
    failures.put(method, status);
  }

  /** The next code sent is {@code code} instead of a random one (lets tests search logs for it). */
  void nextCode(String code) {
    this.nextCode = code;
  }

  void heal() {
    failures.clear();
  }

  /** The last code "sent" to {@code phone} for {@code biz}. */
  Optional<String> sentCode(String biz, String phone) {
    return Optional.ofNullable(codes.get(biz + ":" + phone));
  }

  /** WeChat will accept {@code code} for this identity. */
  void wechatAccepts(String code, String openId, String unionId) {
    wechatCodes.put(code, WechatInfo.newBuilder().setOpenId(openId).setUnionId(unionId).build());
  }

  Optional<User> user(long id) {
    return Optional.ofNullable(users.get(id));
  }

  <T> List<T> requests(Class<T> type) {
    return requests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private void record(String method, Object request) {
    requests.add(request);
    Status failure = failures.get(method);
    if (failure != null) {
      throw failure.asRuntimeException();
    }
  }

  private static <T> void answer(StreamObserver<T> out, java.util.function.Supplier<T> body) {
    T value;
    try {
      value = body.get();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }

  private User create(User.Builder b) {
    long id = ids.incrementAndGet();
    User u = b.setId(id).build();
    users.put(id, u);
    return u;
  }

  private final class Users extends UserServiceGrpc.UserServiceImplBase {
    @Override
    public void signup(SignupRequest r, StreamObserver<SignupResponse> out) {
      answer(
          out,
          () -> {
            record("Signup", r);
            String email = r.getUser().getEmail();
            if (email.isEmpty() || r.getUser().getPassword().isEmpty()) {
              throw Status.INVALID_ARGUMENT
                  .withDescription("email and password required")
                  .asRuntimeException();
            }
            synchronized (passwords) {
              if (passwords.putIfAbsent(email, r.getUser().getPassword()) != null) {
                throw Status.ALREADY_EXISTS.withDescription("duplicate email").asRuntimeException();
              }
            }
            create(User.newBuilder().setEmail(email));
            return SignupResponse.getDefaultInstance();
          });
    }

    @Override
    public void login(LoginRequest r, StreamObserver<LoginResponse> out) {
      answer(
          out,
          () -> {
            record("Login", r);
            if (!r.getPassword().equals(passwords.get(r.getEmail()))) {
              throw Status.INVALID_ARGUMENT
                  .withDescription("wrong email or password")
                  .asRuntimeException();
            }
            User u =
                users.values().stream()
                    .filter(x -> x.getEmail().equals(r.getEmail()))
                    .findFirst()
                    .orElseThrow();
            return LoginResponse.newBuilder().setUser(u).build();
          });
    }

    @Override
    public void profile(ProfileRequest r, StreamObserver<ProfileResponse> out) {
      answer(
          out,
          () -> {
            record("Profile", r);
            User u = users.get(r.getId());
            if (u == null) {
              throw Status.NOT_FOUND.withDescription("user " + r.getId()).asRuntimeException();
            }
            return ProfileResponse.newBuilder().setUser(u).build();
          });
    }

    @Override
    public void updateNonSensitiveInfo(
        UpdateNonSensitiveInfoRequest r, StreamObserver<UpdateNonSensitiveInfoResponse> out) {
      answer(
          out,
          () -> {
            record("UpdateNonSensitiveInfo", r);
            User in = r.getUser();
            User current = users.get(in.getId());
            if (current == null) {
              throw Status.NOT_FOUND.withDescription("user " + in.getId()).asRuntimeException();
            }
            users.put(
                in.getId(),
                current.toBuilder()
                    .setNickname(in.getNickname())
                    .setAboutMe(in.getAboutMe())
                    .setBirthday(in.getBirthday())
                    .build());
            return UpdateNonSensitiveInfoResponse.getDefaultInstance();
          });
    }

    @Override
    public void findOrCreate(FindOrCreateRequest r, StreamObserver<FindOrCreateResponse> out) {
      answer(
          out,
          () -> {
            record("FindOrCreate", r);
            synchronized (users) {
              User u =
                  users.values().stream()
                      .filter(x -> x.getPhone().equals(r.getPhone()))
                      .findFirst()
                      .orElseGet(() -> create(User.newBuilder().setPhone(r.getPhone())));
              return FindOrCreateResponse.newBuilder().setUser(u).build();
            }
          });
    }

    @Override
    public void findOrCreateByWechat(
        FindOrCreateByWechatRequest r, StreamObserver<FindOrCreateByWechatResponse> out) {
      answer(
          out,
          () -> {
            record("FindOrCreateByWechat", r);
            synchronized (users) {
              User u =
                  users.values().stream()
                      .filter(x -> x.getWechatInfo().getOpenId().equals(r.getInfo().getOpenId()))
                      .findFirst()
                      .orElseGet(() -> create(User.newBuilder().setWechatInfo(r.getInfo())));
              return FindOrCreateByWechatResponse.newBuilder().setUser(u).build();
            }
          });
    }

    @Override
    public void batchProfile(BatchProfileRequest r, StreamObserver<BatchProfileResponse> out) {
      answer(
          out,
          () -> {
            record("BatchProfile", r);
            BatchProfileResponse.Builder b = BatchProfileResponse.newBuilder();
            r.getIdsList()
                .forEach(
                    id -> Optional.ofNullable(users.get(id)).ifPresent(u -> b.putUsers(id, u)));
            return b.build();
          });
    }
  }

  private final class Codes extends CodeServiceGrpc.CodeServiceImplBase {
    @Override
    public void send(SendRequest r, StreamObserver<SendResponse> out) {
      answer(
          out,
          () -> {
            record("Send", r);
            String key = r.getBiz() + ":" + r.getPhone();
            String scripted = nextCode;
            String code =
                scripted != null
                    ? scripted
                    : String.format("%06d", (long) (Math.random() * 1_000_000));
            nextCode = null;
            if (codes.putIfAbsent(key, code) != null) { // the real one allows one send per minute
              throw Status.RESOURCE_EXHAUSTED.withDescription("too frequent").asRuntimeException();
            }
            return SendResponse.getDefaultInstance();
          });
    }

    @Override
    public void verify(VerifyRequest r, StreamObserver<VerifyResponse> out) {
      answer(
          out,
          () -> {
            record("Verify", r);
            String code = codes.get(r.getBiz() + ":" + r.getPhone());
            return VerifyResponse.newBuilder()
                .setAnswer(code != null && code.equals(r.getInputCode()))
                .build();
          });
    }
  }

  private final class Oauth2 extends Oauth2ServiceGrpc.Oauth2ServiceImplBase {
    @Override
    public void authURL(AuthURLRequest r, StreamObserver<AuthURLResponse> out) {
      answer(
          out,
          () -> {
            record("AuthURL", r);
            return AuthURLResponse.newBuilder()
                .setUrl(WECHAT_URL + r.getState() + "#wechat_redirect")
                .build();
          });
    }

    @Override
    public void verifyCode(VerifyCodeRequest r, StreamObserver<VerifyCodeResponse> out) {
      answer(
          out,
          () -> {
            record("VerifyCode", r);
            WechatInfo info = wechatCodes.get(r.getCode());
            if (info == null) {
              throw Status.INVALID_ARGUMENT
                  .withDescription("errcode 40029 invalid code")
                  .asRuntimeException();
            }
            return VerifyCodeResponse.newBuilder()
                .setOpenId(info.getOpenId())
                .setUnionId(info.getUnionId())
                .build();
          });
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
  }
}
