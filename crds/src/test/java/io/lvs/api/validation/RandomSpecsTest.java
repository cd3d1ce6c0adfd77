package io.lvs.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.AddressFamily;
import io.lvs.api.v1alpha1.Directors;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.FwmarkMatch;
import io.lvs.api.v1alpha1.PortRange;
import io.lvs.api.v1alpha1.Persistence;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.RealServerPoolRef;
import io.lvs.api.v1alpha1.Scheduler;
import io.lvs.api.v1alpha1.SchedulerFlag;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rule set is not stricter than the API: any VirtualService a user may legitimately write
 * (random VIP, ports, mode, scheduler and the options that fit them) passes, and breaking one
 * port's bound is reported at that port.
 */
class RandomSpecsTest {
  private static final SpecValidator VALIDATOR = new SpecValidator();

  @Test
  void everyConsistentSpecIsAccepted() {
    Random random = new Random(20261125);
    for (int i = 0; i < 200; i++) {
      VirtualServiceSpec spec = randomSpec(random);
      assertThat(VALIDATOR.validate(spec)).as(spec.toString()).isEmpty();
    }
  }

  @Test
  void aPortOutOfRangeIsNamedByIndex() {
    Random random = new Random(7);
    int checked = 0;
    while (checked < 100) {
      VirtualServiceSpec spec = randomSpec(random);
      if (spec.ports() == null) {
        continue; // fwmark service: no ports to break
      }
      int bad = 65536 + random.nextInt(Integer.MAX_VALUE - 65536);
      int i = random.nextInt(spec.ports().size());
      List<ServicePort> ports = new ArrayList<>(spec.ports());
      ServicePort p = ports.get(i);
      ports.set(i, new ServicePort(p.name(), bad, p.protocol(), null));
      VirtualServiceSpec broken =
          new VirtualServiceSpec(spec.vip(), ports, spec.fwmark(), spec.fwmarkMatch(), spec.family(), spec.forwarding(), spec.scheduler(),
              spec.schedulerFlags(), spec.persistence(), spec.onePacket(), spec.realServerPoolRef(), spec.directors(),
              spec.tunnelType());
      assertThat(VALIDATOR.validate(broken))
          .extracting(FieldError::message)
          .contains("spec.ports[" + i + "].port: " + bad + " must be <= 65535");
      checked++;
    }
  }

  private static VirtualServiceSpec randomSpec(Random r) {
    Forwarding fwd = Forwarding.values()[r.nextInt(Forwarding.values().length)];
    Scheduler sched = Scheduler.values()[r.nextInt(Scheduler.values().length)];
    return spec(fwd, sched, r.nextBoolean(), r.nextInt(4) == 0, r.nextLong());
  }

  private static VirtualServiceSpec spec(Forwarding fwd, Scheduler sched, boolean v6, boolean fwmark, long seed) {
    Random r = new Random(seed);
    boolean rewrites = fwd == Forwarding.NAT || fwd == Forwarding.FullNAT;
    List<ServicePort> ports = null;
    String vip = null;
    boolean allUdp = false;
    if (!fwmark) {
      vip = v6 ? String.format("2001:db8:%x::%x", r.nextInt(0x10000), 1 + r.nextInt(0xfffe))
          : "198." + (18 + r.nextInt(2)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
      ports = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      int n = 1 + r.nextInt(5);
      allUdp = r.nextBoolean();
      while (ports.size() < n) {
        int port = 1 + r.nextInt(65535);
        Protocol proto = allUdp ? Protocol.UDP : Protocol.values()[r.nextInt(3)];
        if (!seen.add(port + "/" + proto)) {
          continue;
        }
        Integer target = null;
        if (rewrites && r.nextBoolean()) {
          target = 1 + r.nextInt(65535);
        } else if (r.nextBoolean()) {
          target = port;
        }
        ports.add(new ServicePort(r.nextBoolean() ? "p" + ports.size() : null, port, proto, target));
      }
      allUdp = ports.stream().allMatch(p -> p.protocol() == Protocol.UDP);
    }
    List<SchedulerFlag> flags = null;
    if (sched == Scheduler.sh) {
      flags = r.nextBoolean() ? List.of(SchedulerFlag.SH_FALLBACK, SchedulerFlag.SH_PORT) : List.of(SchedulerFlag.SH_PORT);
    } else if (sched == Scheduler.mh && r.nextBoolean()) {
      flags = List.of(SchedulerFlag.MH_FALLBACK);
    }
    Persistence persistence =
        r.nextBoolean() ? new Persistence(1 + r.nextInt(2678400), r.nextBoolean() ? r.nextInt(v6 ? 129 : 33) : null) : null;
    List<FwmarkMatch> match = null;
    if (fwmark) {
      match = new ArrayList<>();
      int n = 1 + r.nextInt(3);
      boolean host = !rewrites || r.nextBoolean();
      while (match.size() < n) {
        String a = v6 ? String.format("2001:db8:%x::%x", r.nextInt(0x10000), 1 + r.nextInt(0xfffe))
            : "198." + (18 + r.nextInt(2)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
        String addr = host ? (r.nextBoolean() ? a : a + (v6 ? "/128" : "/32")) : a + "/" + r.nextInt(v6 ? 129 : 33);
        int port = 1 + r.nextInt(65535);
        List<PortRange> range = r.nextBoolean() ? null
            : List.of(new PortRange(port, r.nextBoolean() ? null : port + r.nextInt(65536 - port)));
        match.add(new FwmarkMatch(addr, Protocol.values()[r.nextInt(3)], range));
      }
    }
    return new VirtualServiceSpec(
        vip,
        ports,
        fwmark ? 1 + (long) r.nextInt(Integer.MAX_VALUE) : null,
        match,
        fwmark ? (v6 ? AddressFamily.IPv6 : AddressFamily.IPv4) : null,
        fwd,
        sched,
        flags,
        fwmark && v6 ? null : persistence,
        allUdp && r.nextBoolean() ? Boolean.TRUE : null,
        new RealServerPoolRef("pool-" + r.nextInt(100)),
        new Directors(Map.of("lvs.io/director", "true"), r.nextBoolean() ? "eth" + r.nextInt(4) : null),
        fwd == Forwarding.Tunnel && r.nextBoolean() ? "ipip" : null);
  }
}
