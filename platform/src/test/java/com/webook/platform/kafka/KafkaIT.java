package com.webook.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.webook.platform.config.KafkaConfig;
import com.webook.platform.retry.StartBudget;
import com.webook.testsupport.TcpProxy;
import com.webook.testsupport.TestStack;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The Kafka helper against the real broker: it waits for a cluster that answers late, then its
 * producers and consumers work with the configured properties and carry meters that leave with
 * them.
 */
class KafkaIT {

  @Test
  void waitsForALateClusterThenProducesAndConsumesWithMeters() throws Exception {
    String[] bootstrap = TestStack.kafkaBootstrap().split(",", -1)[0].trim().split(":", -1);
    String topic = TestStack.newTopic("kafka-it", 1);
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger budgetLogger = (Logger) LoggerFactory.getLogger(StartBudget.class);
    log.start();
    budgetLogger.addAppender(log);
    try (TcpProxy proxy = TcpProxy.to(bootstrap[0], Integer.parseInt(bootstrap[1]))) {
      proxy.cut();
      KafkaConfig config =
          new KafkaConfig(
              "127.0.0.1:" + proxy.port(),
              Duration.ofSeconds(5),
              Map.of("acks", "all", "linger.ms", "0"),
              Map.of("auto.offset.reset", "earliest", "enable.auto.commit", "false"));
      CompletableFuture<Kafka> connecting =
          CompletableFuture.supplyAsync(
              () ->
                  Kafka.connect(
                      config,
                      "kafka-it",
                      metrics,
                      new StartBudget(Duration.ofSeconds(90), Clock.systemUTC())));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  log.list.stream()
                      .anyMatch(e -> e.getFormattedMessage().startsWith("waiting for Kafka at")));
      assertThat(connecting).isNotDone();
      proxy.restore();

      try (Kafka kafka = connecting.get(60, TimeUnit.SECONDS)) {
        assertThat(kafka.clusterId()).isNotBlank();
        Producer<String, String> producer =
            kafka.producer(new StringSerializer(), new StringSerializer());
        producer
            .send(new ProducerRecord<>(topic, "42", "{\"uid\":1,\"aid\":42}"))
            .get(30, TimeUnit.SECONDS);
        assertThat(clientIds(metrics)).anyMatch(id -> id.startsWith("kafka-it-producer-"));

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (MeteredConsumer<String, String> consumer =
            kafka.consumer(
                TestStack.unique("kafka-it"), new StringDeserializer(), new StringDeserializer())) {
          consumer.consumer().subscribe(List.of(topic));
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> {
                    consumer.consumer().poll(Duration.ofMillis(200)).forEach(received::add);
                    return !received.isEmpty();
                  });
          assertThat(clientIds(metrics)).anyMatch(id -> id.startsWith("kafka-it-consumer-"));
        }
        assertThat(received.get(0).key()).isEqualTo("42");
        assertThat(received.get(0).value()).isEqualTo("{\"uid\":1,\"aid\":42}");
        assertThat(clientIds(metrics))
            .as("a closed consumer's meters are gone")
            .noneMatch(id -> id.startsWith("kafka-it-consumer-"));
      }
      assertThat(clientIds(metrics)).as("closing the helper removes the rest").isEmpty();
      assertThat(
              log.list.stream()
                  .filter(e -> e.getFormattedMessage().startsWith("waiting for Kafka at"))
                  .count())
          .isEqualTo(1);
    } finally {
      budgetLogger.detachAppender(log);
    }
  }

  private static List<String> clientIds(SimpleMeterRegistry metrics) {
    return metrics.getMeters().stream()
        .map(Meter::getId)
        .map(id -> id.getTag("client.id"))
        .filter(id -> id != null)
        .distinct()
        .toList();
  }
}
