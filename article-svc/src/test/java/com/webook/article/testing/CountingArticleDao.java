package com.webook.article.testing;

import com.webook.article.domain.Article;
import com.webook.article.repository.dao.ArticleDao;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.DSLContext;

/**
 * The real DAO, counting reader-row loads, and able to hold them at a latch so a test can pile up
 * concurrent misses (single-flight).
 */
public final class CountingArticleDao extends ArticleDao {
  private final AtomicInteger readerRowLoads = new AtomicInteger();
  private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();

  public CountingArticleDao(DSLContext dsl) {
    super(dsl);
  }

  public int readerRowLoads() {
    return readerRowLoads.get();
  }

  /** Reader-row loads wait for {@code latch} until {@link #release} (or another hold). */
  public void holdReaderRowLoads(CountDownLatch latch) {
    hold.set(latch);
  }

  public void release() {
    CountDownLatch latch = hold.getAndSet(null);
    if (latch != null) {
      latch.countDown();
    }
  }

  @Override
  public Optional<Article> findReaderRow(long id) {
    readerRowLoads.incrementAndGet();
    CountDownLatch latch = hold.get();
    if (latch != null) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return super.findReaderRow(id);
  }
}
