package com.webook.user.testing;

import com.webook.user.domain.User;
import com.webook.user.repository.dao.UserDao;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;

/**
 * The real DAO, counting the profile loads the cache layer makes and, on demand, holding them until
 * the test releases them (to make concurrent misses overlap deterministically).
 */
public final class ControllableUserDao extends UserDao {
  private final AtomicInteger findByIdCalls = new AtomicInteger();
  private final List<List<Long>> findByIdsCalls = new CopyOnWriteArrayList<>();
  private final AtomicInteger held = new AtomicInteger();
  private volatile CountDownLatch gate;

  public ControllableUserDao(DSLContext dsl) {
    super(dsl);
  }

  /** From now on, profile loads wait in the DAO until {@link #release()}. */
  public void hold() {
    gate = new CountDownLatch(1);
  }

  public void release() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /** Loads currently waiting in {@link #hold()}. */
  public int held() {
    return held.get();
  }

  public int findByIdCalls() {
    return findByIdCalls.get();
  }

  public List<List<Long>> findByIdsCalls() {
    return List.copyOf(findByIdsCalls);
  }

  @Override
  public Optional<User> findById(long id) {
    findByIdCalls.incrementAndGet();
    awaitGate();
    return super.findById(id);
  }

  @Override
  public Map<Long, User> findByIds(Collection<Long> ids) {
    findByIdsCalls.add(new ArrayList<>(ids));
    awaitGate();
    return super.findByIds(ids);
  }

  private void awaitGate() {
    CountDownLatch g = gate;
    if (g == null) {
      return;
    }
    held.incrementAndGet();
    try {
      if (!g.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test never released the held load");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      held.decrementAndGet();
    }
  }
}
