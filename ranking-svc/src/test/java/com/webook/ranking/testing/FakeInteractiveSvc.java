package com.webook.ranking.testing;

import com.webook.api.intr.v1.GetByIdsRequest;
import com.webook.api.intr.v1.GetByIdsResponse;
import com.webook.api.intr.v1.Interactive;
import com.webook.api.intr.v1.InteractiveServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * interactive-svc's {@code GetByIds} over counters the test sets (ids without counters absent, as
 * interactive-svc answers). The other methods answer UNIMPLEMENTED. Thread-safe.
 */
public final class FakeInteractiveSvc extends FakeSource {
  private final Map<Long, Interactive> counters = new ConcurrentHashMap<>();

  public FakeInteractiveSvc(String etcdNamespace) {
    this(etcdNamespace, new Impl());
  }

  private FakeInteractiveSvc(String etcdNamespace, Impl impl) {
    super("interactive", etcdNamespace, impl);
    impl.owner = this;
  }

  public FakeInteractiveSvc likes(long id, long likes) {
    counters.put(
        id,
        Interactive.newBuilder()
            .setBiz("article")
            .setBizId(id)
            .setLikeCnt(likes)
            .setReadCnt(likes * 10)
            .build());
    return this;
  }

  private static final class Impl extends InteractiveServiceGrpc.InteractiveServiceImplBase {
    private volatile FakeInteractiveSvc owner;

    @Override
    public void getByIds(GetByIdsRequest request, StreamObserver<GetByIdsResponse> out) {
      owner.enter();
      GetByIdsResponse.Builder response = GetByIdsResponse.newBuilder();
      for (long id : request.getIdsList()) {
        Interactive i = owner.counters.get(id);
        if (i != null) {
          response.putIntrs(id, i);
        }
      }
      out.onNext(response.build());
      out.onCompleted();
    }
  }
}
