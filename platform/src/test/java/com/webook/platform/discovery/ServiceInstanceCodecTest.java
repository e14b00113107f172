package com.webook.platform.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceInstanceCodecTest {
  @Test
  void theValueIsTheJsonOfTheSpec() {
    ServiceInstance i =
        new ServiceInstance(
            "10.0.0.7:8091", 20, "canary", "1.2.3", 1700000000000L, Map.of("zone", "b"));
    String json = RegistryKeys.encode(i).toString(StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"addr\":\"10.0.0.7:8091\",\"weight\":20,\"group\":\"canary\",\"version\":\"1.2.3\","
                + "\"startTs\":1700000000000,\"metadata\":{\"zone\":\"b\"}}");
    assertThat(RegistryKeys.decode(RegistryKeys.encode(i))).isEqualTo(i);
    assertThat(RegistryKeys.instanceKey("user", "10.0.0.7:8091"))
        .isEqualTo("/webook/services/user/10.0.0.7:8091");
  }

  @Test
  void goPeersValuesWithFewerOrMoreFieldsAreRead() {
    ServiceInstance minimal =
        RegistryKeys.decode(RegistryKeys.bytes("{\"addr\":\"h:1\",\"extra\":true}"));
    assertThat(minimal.weight()).as("missing weight counts as 1").isEqualTo(1);
    assertThat(minimal.group()).isEmpty();
    assertThat(minimal.host()).isEqualTo("h");
    assertThat(minimal.port()).isEqualTo(1);
  }

  @Test
  void garbageIsRejected() {
    assertThatThrownBy(() -> RegistryKeys.decode(RegistryKeys.bytes("not json")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RegistryKeys.decode(RegistryKeys.bytes("{\"weight\":1}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
