package com.webook.platform.db;

import org.jooq.TransactionContext;
import org.jooq.TransactionListener;

/**
 * Knows whether the current thread is inside a jOOQ transaction, so that code which must never run
 * in one — a call to another service (ARCHITECTURE.md: the callee cannot see uncommitted rows, and
 * the transaction and its locks are held across the network) — can notice that it does. {@link
 * Database} installs it on its {@code DSLContext}; the process's client channels check it on every
 * outgoing call ({@code client/RemoteCallInTransactionInterceptor}).
 *
 * <p>jOOQ runs a transaction's body on the calling thread (also on a virtual thread), so a
 * per-thread depth is exact: nested transactions (savepoints) count once each. Thread-safe.
 */
public final class TransactionTracker implements TransactionListener {
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

  /**
   * Whether the calling thread is inside a transaction of a {@link Database} using this tracker.
   */
  public boolean inTransaction() {
    return depth.get()[0] > 0;
  }

  @Override
  public void beginStart(TransactionContext ctx) {
    depth.get()[0]++;
  }

  @Override
  public void commitEnd(TransactionContext ctx) {
    end();
  }

  @Override
  public void rollbackEnd(TransactionContext ctx) {
    end();
  }

  private void end() {
    int[] d = depth.get();
    if (--d[0] <= 0) {
      depth.remove(); // no per-thread state left behind on pooled or virtual threads
    }
  }
}
