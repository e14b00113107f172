package com.webook.interactive.testing;

import com.webook.interactive.domain.Counts;
import com.webook.interactive.repository.dao.InteractiveDao;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;

/** The real DAO, counting counter queries (single and {@code IN}) so tests see the DB's load. */
public final class CountingInteractiveDao extends InteractiveDao {
  private final AtomicInteger singleLoads = new AtomicInteger();
  private final AtomicInteger batchLoads = new AtomicInteger();

  public CountingInteractiveDao(DSLContext dsl) {
    super(dsl);
  }

  public int singleLoads() {
    return singleLoads.get();
  }

  public int batchLoads() {
    return batchLoads.get();
  }

  @Override
  public Optional<Counts> counts(String biz, long bizId) {
    singleLoads.incrementAndGet();
    return super.counts(biz, bizId);
  }

  @Override
  public Map<Long, Counts> counts(String biz, Collection<Long> ids) {
    batchLoads.incrementAndGet();
    return super.counts(biz, ids);
  }
}
