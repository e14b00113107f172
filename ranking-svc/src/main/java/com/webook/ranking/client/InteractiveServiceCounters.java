package com.webook.ranking.client;

import com.webook.api.intr.v1.GetByIdsRequest;
import com.webook.api.intr.v1.Interactive;
import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.platform.grpc.DownstreamCalls;
import com.webook.ranking.domain.Counts;
import com.webook.ranking.service.ArticleCounters;
import io.grpc.Channel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Articles' counters from interactive-svc's {@code GetByIds} (one Redis pipeline and one IN query
 * there) through the host's {@code etcd:///interactive} channel; ids without counters are absent.
 * Thread-safe.
 */
public final class InteractiveServiceCounters implements ArticleCounters {
  static final String BIZ = "article";

  private final InteractiveServiceGrpc.InteractiveServiceBlockingStub intr;

  public InteractiveServiceCounters(Channel interactiveSvc) {
    this.intr = InteractiveServiceGrpc.newBlockingStub(interactiveSvc);
  }

  @Override
  public Map<Long, Counts> of(List<Long> ids) {
    Map<Long, Interactive> found =
        DownstreamCalls.call(
                "interactive.GetByIds",
                () ->
                    intr.getByIds(GetByIdsRequest.newBuilder().setBiz(BIZ).addAllIds(ids).build()))
            .getIntrsMap();
    Map<Long, Counts> out = new HashMap<>(found.size() * 2);
    found.forEach(
        (id, i) -> out.put(id, new Counts(i.getReadCnt(), i.getLikeCnt(), i.getCollectCnt())));
    return out;
  }
}
