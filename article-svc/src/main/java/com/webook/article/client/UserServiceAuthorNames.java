package com.webook.article.client;

import com.webook.api.user.v1.BatchProfileRequest;
import com.webook.api.user.v1.User;
import com.webook.api.user.v1.UserServiceGrpc;
import com.webook.article.repository.AuthorNames;
import com.webook.platform.grpc.DownstreamCalls;
import io.grpc.Channel;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Authors' names from user-svc's {@code BatchProfile} (one call for any number of authors; SPEC
 * §3), through the host's {@code etcd:///user} channel. The name is the user's nickname. Failures
 * arrive as {@link DownstreamCalls} translates them. Thread-safe.
 */
public final class UserServiceAuthorNames implements AuthorNames {
  /** user-svc answers at most this many ids per BatchProfile. */
  static final int BATCH_MAX = 100;

  private final UserServiceGrpc.UserServiceBlockingStub users;

  public UserServiceAuthorNames(Channel userSvc) {
    this.users = UserServiceGrpc.newBlockingStub(userSvc);
  }

  @Override
  public Map<Long, String> namesOf(Collection<Long> authorIds) {
    List<Long> ids = List.copyOf(authorIds);
    Map<Long, String> names = new HashMap<>(ids.size() * 2);
    for (int from = 0; from < ids.size(); from += BATCH_MAX) {
      List<Long> batch = ids.subList(from, Math.min(ids.size(), from + BATCH_MAX));
      Map<Long, User> found =
          DownstreamCalls.call(
                  "user.BatchProfile",
                  () ->
                      users.batchProfile(BatchProfileRequest.newBuilder().addAllIds(batch).build()))
              .getUsersMap();
      found.forEach((id, user) -> names.put(id, user.getNickname()));
    }
    return names;
  }
}
