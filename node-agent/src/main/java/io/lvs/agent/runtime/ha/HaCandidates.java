package io.lvs.agent.runtime.ha;

import io.lvs.agent.ha.ElectionTimings;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.runtime.IpLiterals;
import io.lvs.agent.runtime.NodeStateTranslator.AddressHolders;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeFailoverTimings;
import io.lvs.api.v1alpha1.NodeHaPeer;
import io.lvs.api.v1alpha1.NodeVipCandidate;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the {@code vipCandidates} of this node's slices into the HA VIPs it runs, with the agent's
 * defaults for what the operator left out. An entry that cannot be run is refused with the field
 * and value at fault, and the others still run. Pure (interfaceOf is resolved by the holders given).
 */
public final class HaCandidates {
  static final Duration DEFAULT_HEARTBEAT = Duration.ofMillis(300);
  static final int DEFAULT_ANNOUNCE_COUNT = 3;
  static final Duration DEFAULT_ANNOUNCE_INTERVAL = Duration.ofMillis(200);

  /** The VIPs to run, and one message per refused entry ("slice vipCandidates[i].field: why"). */
  public record Result(List<HaVipSpec> vips, List<String> refused) {}

  private HaCandidates() {}

  public static Result read(String self, Map<String, LvsNodeStateSpec> slices, AddressHolders holders) {
    Map<String, HaVipSpec> vips = new LinkedHashMap<>();
    List<String> refused = new ArrayList<>();
    slices.forEach((slice, spec) -> {
      List<NodeVipCandidate> list = spec == null || spec.vipCandidates() == null ? List.of() : spec.vipCandidates();
      for (int i = 0; i < list.size(); i++) {
        String where = slice + " vipCandidates[" + i + "]";
        try {
          HaVipSpec v = one(self, list.get(i), holders);
          HaVipSpec was = vips.putIfAbsent(v.vip(), v);
          if (was != null && !was.equals(v)) {
            refused.add(where + ".address: " + v.vip() + " is already a candidate with other settings (owner "
                + was.owner() + ")");
          }
        } catch (IllegalArgumentException e) {
          refused.add(where + "." + e.getMessage());
        }
      }
    });
    return new Result(List.copyOf(vips.values()), refused);
  }

  private static HaVipSpec one(String self, NodeVipCandidate c, AddressHolders holders) {
    InetAddress ip = field("address", c.address(), IpLiterals::parse);
    int max = ip instanceof Inet4Address ? 32 : 128;
    int prefix = c.prefixLength() == null ? max : c.prefixLength();
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("prefixLength: " + prefix + " is outside 0.." + max);
    }
    String dev = device(c, holders);
    Map<String, InetAddress> directors = directors(c.directors());
    if (!directors.containsKey(self)) {
      throw new IllegalArgumentException("directors: this node " + self + " is not among " + directors.keySet());
    }
    if (c.preferred() != null && !c.preferred().isEmpty() && !directors.containsKey(c.preferred())) {
      throw new IllegalArgumentException("preferred: " + c.preferred() + " is not among the directors " + directors.keySet());
    }
    NodeFailoverTimings t = c.timings();
    ElectionTimings timings = field("timings", t, HaCandidates::timings);
    Duration heartbeat = t == null || t.heartbeatIntervalMillis() == null ? DEFAULT_HEARTBEAT
        : Duration.ofMillis(t.heartbeatIntervalMillis());
    if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(timings.peerTimeout()) >= 0) {
      throw new IllegalArgumentException("timings.heartbeatIntervalMillis: " + heartbeat.toMillis()
          + " must be positive and shorter than peerTimeoutMillis " + timings.peerTimeout().toMillis());
    }
    int count = c.announceCount() == null ? DEFAULT_ANNOUNCE_COUNT : c.announceCount();
    if (count < 1 || count > 100) {
      throw new IllegalArgumentException("announceCount: " + count + " is outside 1..100");
    }
    Duration every = c.announceIntervalMillis() == null ? DEFAULT_ANNOUNCE_INTERVAL
        : Duration.ofMillis(c.announceIntervalMillis());
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("announceIntervalMillis: " + every.toMillis() + " must be positive");
    }
    return new HaVipSpec(c.owner(), new InterfaceAddress(dev, ip, prefix), directors,
        c.preferred() == null || c.preferred().isEmpty() ? null : c.preferred(), c.preempt() == null || c.preempt(),
        timings, heartbeat, count, every, Boolean.TRUE.equals(c.connectionSync()));
  }

  private static String device(NodeVipCandidate c, AddressHolders holders) {
    if (c.interfaceName() != null && !c.interfaceName().isBlank()) {
      return c.interfaceName();
    }
    if (c.interfaceOf() == null || c.interfaceOf().isBlank()) {
      throw new IllegalArgumentException("interfaceName: a VIP that answers ARP needs interfaceName or interfaceOf");
    }
    return field("interfaceOf", c.interfaceOf(), text -> holders.interfaceOf(IpLiterals.parse(text))
        .orElseThrow(() -> new IllegalArgumentException("no interface holds it")));
  }

  private static Map<String, InetAddress> directors(List<NodeHaPeer> peers) {
    Map<String, InetAddress> out = new LinkedHashMap<>();
    List<NodeHaPeer> list = peers == null ? List.of() : peers;
    for (int i = 0; i < list.size(); i++) {
      NodeHaPeer p = list.get(i);
      String at = "directors[" + i + "]";
      if (p.nodeName() == null || p.nodeName().isEmpty()) {
        throw new IllegalArgumentException(at + ".nodeName: required");
      }
      if (out.put(p.nodeName(), field(at + ".address", p.address(), IpLiterals::parse)) != null) {
        throw new IllegalArgumentException(at + ".nodeName: " + p.nodeName() + " is named twice");
      }
    }
    if (out.size() < 2) {
      throw new IllegalArgumentException("directors: " + out.size() + " named, an HA VIP needs two or more");
    }
    return out;
  }

  private static ElectionTimings timings(NodeFailoverTimings t) {
    ElectionTimings d = ElectionTimings.DEFAULT;
    if (t == null) {
      return d;
    }
    return new ElectionTimings(millis(t.leaseDurationMillis(), d.leaseDuration()),
        millis(t.renewDeadlineMillis(), d.renewDeadline()), millis(t.retryPeriodMillis(), d.retryPeriod()),
        millis(t.peerTimeoutMillis(), d.peerTimeout()));
  }

  private static Duration millis(Integer v, Duration dflt) {
    return v == null ? dflt : Duration.ofMillis(v);
  }

  /** {@code f(value)}, a refusal naming the field and value. */
  private static <T, R> R field(String name, T value, Function<T, R> f) {
    try {
      return f.apply(value);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(name + ": " + (value == null ? "required" : value + ": " + e.getMessage()));
    }
  }
}
