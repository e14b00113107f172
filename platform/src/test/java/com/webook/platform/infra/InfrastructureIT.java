package com.webook.platform.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.db.Database;
import com.webook.platform.redis.Redis;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jooq.Record;
import org.junit.jupiter.api.Test;

/**
 * Proves every infrastructure piece is real and reachable through the same platform factories the
 * services use: a SQL round trip, a Redis Lua script, an etcd lease, a Kafka produce+consume.
 */
class InfrastructureIT {

  @Test
  void sqlRoundTripThroughHikariAndJooq() {
    try (TestDatabase tdb = TestStack.newDatabase("infra");
        Database db =
            Database.connect(
                new MysqlConfig(
                    TestStack.mysqlServerUrl(),
                    tdb.name(),
                    TestStack.mysqlUser(),
                    TestStack.mysqlPassword(),
                    2,
                    Duration.ofSeconds(3)),
                "infra-it",
                null)) {
      db.dsl().execute("CREATE TABLE probe (id BIGINT PRIMARY KEY, name VARCHAR(32) NOT NULL)");
      db.dsl().execute("INSERT INTO probe VALUES (?, ?)", 7L, "seven");
      Record r = db.dsl().fetchOne("SELECT name, @@version AS v FROM probe WHERE id = ?", 7L);
      assertThat(r.get("name", String.class)).isEqualTo("seven");
      assertThat(r.get("v", String.class)).containsIgnoringCase("mariadb");
      assertThat(db.readinessCheck().check().ready()).isTrue();
    }
  }

  @Test
  void redisRunsALuaScript() {
    try (Redis redis =
        Redis.connect(new RedisConfig(TestStack.redisUrl(), Duration.ofSeconds(1)), null)) {
      String key = TestStack.unique("infra:lua");
      Long result =
          redis
              .connection()
              .sync()
              .eval(
                  "redis.call('SET', KEYS[1], ARGV[1], 'EX', 60); return redis.call('INCRBY', KEYS[1], ARGV[2])",
                  ScriptOutputType.INTEGER,
                  new String[] {key},
                  "40",
                  "2");
      assertThat(result).isEqualTo(42L);
      assertThat(redis.connection().sync().ttl(key)).isBetween(1L, 60L);
      redis.connection().sync().del(key);
    }
  }

  @Test
  void etcdKeyLivesAndDiesWithItsLease() throws Exception {
    try (Client etcd = Client.builder().endpoints(TestStack.etcdEndpoints().split(",")).build()) {
      ByteSequence key =
          ByteSequence.from(TestStack.unique("/webook-it/lease"), StandardCharsets.UTF_8);
      long lease = etcd.getLeaseClient().grant(30).get(5, TimeUnit.SECONDS).getID();
      etcd.getKVClient()
          .put(
              key,
              ByteSequence.from("v", StandardCharsets.UTF_8),
              PutOption.builder().withLeaseId(lease).build())
          .get(5, TimeUnit.SECONDS);
      var got = etcd.getKVClient().get(key).get(5, TimeUnit.SECONDS);
      assertThat(got.getKvs()).hasSize(1);
      assertThat(got.getKvs().get(0).getLease()).isEqualTo(lease);
      assertThat(
              etcd.getLeaseClient()
                  .timeToLive(lease, io.etcd.jetcd.options.LeaseOption.DEFAULT)
                  .get(5, TimeUnit.SECONDS)
                  .getTTL())
          .isBetween(1L, 30L);

      etcd.getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
      assertThat(etcd.getKVClient().get(key).get(5, TimeUnit.SECONDS).getKvs())
          .as("revoking deletes the key")
          .isEmpty();
    }
  }

  @Test
  void kafkaProducesAndConsumes() throws Exception {
    String topic = TestStack.newTopic("infra", 3);
    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    RecordMetadata sent;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
      sent =
          producer
              .send(new ProducerRecord<>(topic, "42", "{\"uid\":1,\"aid\":42}"))
              .get(30, TimeUnit.SECONDS);
    }
    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, TestStack.unique("infra-group"));
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> got = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (got.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(got::add);
      }
      assertThat(got).hasSize(1);
      assertThat(got.get(0).key()).isEqualTo("42");
      assertThat(got.get(0).value()).isEqualTo("{\"uid\":1,\"aid\":42}");
      assertThat(got.get(0).partition()).isEqualTo(sent.partition());
    }
  }
}
