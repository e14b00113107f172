package com.webook.article.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.webook.article.domain.ReadEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The read path hands events over without ever waiting for Kafka; what cannot go is counted. */
class KafkaReadEventsTest {
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private KafkaReadEvents events;

  @AfterEach
  void close() {
    if (events != null) {
      events.close();
    }
  }

  private KafkaReadEvents start(MockProducer<String, String> producer, int capacity) {
    events =
        new KafkaReadEvents(
            producer,
            new ReadEventsConfig("article_read", capacity, Duration.ofSeconds(5)),
            Thread.ofPlatform().daemon().factory(),
            metrics);
    return events;
  }

  private double count(String result) {
    return metrics.counter("article.read.events", "result", result).count();
  }

  @Test
  void eventsGoToTheTopicKeyedByArticleAsJson() {
    MockProducer<String, String> producer =
        new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    start(producer, 100).emit(new ReadEvent(7, 42));
    events.emit(new ReadEvent(0, 43));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);
    List<ProducerRecord<String, String>> sent = producer.history();
    assertThat(sent.get(0).topic()).isEqualTo("article_read");
    assertThat(sent.get(0).key()).isEqualTo("42");
    assertThat(sent.get(0).value()).isEqualTo("{\"uid\":7,\"aid\":42}");
    assertThat(sent.get(1).value()).isEqualTo("{\"uid\":0,\"aid\":43}");
    await().atMost(Duration.ofSeconds(5)).until(() -> count("sent") == 2);
  }

  @Test
  void aProducerThatFailsDeliveryIsCountedNotThrown() {
    MockProducer<String, String> producer =
        new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
    start(producer, 100).emit(new ReadEvent(1, 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
    producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("delivery timeout"));
    assertThat(count("failed")).isEqualTo(1);
    assertThat(count("sent")).isZero();
  }

  @Test
  void whileTheProducerBlocksReadsNeverWaitAndTheOverflowIsDroppedAndCounted() throws Exception {
    CountDownLatch kafkaBack = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    // A producer whose send blocks, as KafkaProducer.send does for max.block.ms once its buffer
    // is full during an outage.
    MockProducer<String, String> producer =
        new MockProducer<>(true, null, new StringSerializer(), new StringSerializer()) {
          // Not synchronized on purpose: blocking while holding MockProducer's lock would stall
          // the test's own reads of it; super.send synchronizes.
          @SuppressWarnings("UnsynchronizedOverridesSynchronized")
          @Override
          public Future<RecordMetadata> send(
              ProducerRecord<String, String> record, Callback callback) {
            blocked.countDown();
            try {
              kafkaBack.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.send(record, callback);
          }
        };
    start(producer, 10);
    events.emit(new ReadEvent(1, 1)); // taken by the sender, which now blocks in send
    blocked.await();
    for (int i = 0; i < 25; i++) {
      events.emit(new ReadEvent(1, 100 + i)); // returns at once: queued (10) or dropped (15)
    }
    assertThat(count("dropped")).isEqualTo(15);
    assertThat(metrics.get("article.read.events.queued").gauge().value()).isEqualTo(10);
    kafkaBack.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 11);
    await().atMost(Duration.ofSeconds(5)).until(() -> count("sent") == 11);
  }

  @Test
  void closeHandsTheQueueToTheProducerAndRefusesNewEvents() {
    MockProducer<String, String> producer =
        new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    start(producer, 1000);
    for (int i = 0; i < 500; i++) {
      events.emit(new ReadEvent(2, i + 1));
    }
    events.close();
    assertThat(producer.history()).hasSize(500);
    events.emit(new ReadEvent(2, 9999));
    assertThat(count("dropped")).isEqualTo(1);
    assertThat(producer.history()).hasSize(500);
    events = null;
  }
}
