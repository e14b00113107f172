package com.webook.platform.discovery;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import java.util.Map;

/**
 * The registry data the resolver attaches to each {@link EquivalentAddressGroup}, read by the
 * balancer. Changing them (e.g. the weight) updates the picker without a new connection, because
 * the balancer keys its subchannels by address only.
 */
public final class EndpointAttributes {
  @EquivalentAddressGroup.Attr
  public static final Attributes.Key<String> INSTANCE_ID =
      Attributes.Key.create("webook.instanceId");

  @EquivalentAddressGroup.Attr
  public static final Attributes.Key<Integer> WEIGHT = Attributes.Key.create("webook.weight");

  @EquivalentAddressGroup.Attr
  public static final Attributes.Key<String> GROUP = Attributes.Key.create("webook.group");

  @EquivalentAddressGroup.Attr
  public static final Attributes.Key<String> VERSION = Attributes.Key.create("webook.version");

  @EquivalentAddressGroup.Attr
  public static final Attributes.Key<Long> START_TS = Attributes.Key.create("webook.startTs");

  @EquivalentAddressGroup.Attr
  public static final Attributes.Key<Map<String, String>> METADATA =
      Attributes.Key.create("webook.metadata");

  /**
   * True for an endpoint etcd no longer lists but that self-protection keeps for a grace period
   * (SPEC §8.2): the balancer keeps using it only while its connection is READY.
   */
  @EquivalentAddressGroup.Attr
  public static final Attributes.Key<Boolean> HELD = Attributes.Key.create("webook.held");

  private EndpointAttributes() {}

  static Attributes of(String instanceId, ServiceInstance i, boolean held) {
    return Attributes.newBuilder()
        .set(INSTANCE_ID, instanceId)
        .set(WEIGHT, i.weight())
        .set(GROUP, i.group())
        .set(VERSION, i.version())
        .set(START_TS, i.startTs())
        .set(METADATA, i.metadata())
        .set(HELD, held)
        .build();
  }
}
