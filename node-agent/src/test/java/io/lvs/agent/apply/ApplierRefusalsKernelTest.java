package io.lvs.agent.apply;

import static io.lvs.agent.kernellab.Oracle.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.ipvs.NetlinkIpvsClient;
import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.lab.LabHost;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.TunnelType;
import io.lvs.agent.netlink.NetlinkException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on a real kernel (kernel-lab VM): a desired state where the kernel refuses some
 * objects (an unknown scheduler, a destination whose lower threshold exceeds its upper one, a GUE
 * tunnel without a port, an address on a missing interface, a sysctl this kernel lacks) next to
 * good ones. Each refusal is reported on its own object with the operation and errno's name, its
 * dependants are skipped with the reason, and everything else is programmed (ipvsadm, ip and
 * sysctl read it back).
 */
@Tag("kernel")
class ApplierRefusalsKernelTest {
  static final String NS = "kt-refusals";

  @BeforeAll
  static void namespace() {
    Oracle.freshNetns(NS);
  }

  @AfterAll
  static void cleanup() {
    Oracle.deleteNetns(NS);
  }

  static InetAddress ip(String a) {
    try {
      return InetAddress.getByName(a);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(a, e);
    }
  }

  static ServiceKey tcp80(String vip) {
    return ServiceKey.of(IpProtocol.TCP, ip(vip), 80);
  }

  static DesiredService service(String owner, String vip, String scheduler, Destination... ds) {
    return DesiredService.of(owner, new IpvsService(tcp80(vip), scheduler, 0, 0, 0),
        java.util.Arrays.stream(ds).map(DesiredDestination::of).toList());
  }

  static Destination masq(String rs, int weight) {
    return Destination.of(new DestinationKey(ip(rs), 80), ForwardMethod.MASQ, weight);
  }

  static DesiredState mixed() {
    Destination thresholdsUpsideDown =
        new Destination(new DestinationKey(ip("198.18.2.12"), 80), ForwardMethod.MASQ, 1, 10, 20, TunnelType.IPIP, 0, 0);
    Destination gueWithoutPort =
        new Destination(new DestinationKey(ip("198.18.2.13"), 80), ForwardMethod.TUNNEL, 1, 0, 0, TunnelType.GUE, 0, 0);
    return DesiredState.builder()
        .service(service("lab/good", "198.18.2.1", "rr", masq("198.18.2.11", 1), masq("198.18.2.12", 2)))
        .service(service("lab/nosched", "198.18.2.2", "nosuch", masq("198.18.2.11", 1)))
        .service(service("lab/thresholds", "198.18.2.3", "wrr", masq("198.18.2.11", 1), thresholdsUpsideDown))
        .service(service("lab/gue", "198.18.2.4", "rr", gueWithoutPort))
        .address(new InterfaceAddress("lo", ip("198.18.2.1"), 32), "lab/good", false)
        .address(new InterfaceAddress("nosuch0", ip("198.18.2.2"), 32), "lab/nosched", false)
        .sysctl("net.ipv4.vs.expire_nodest_conn", "1", "lab/good")
        .sysctl("net.ipv4.vs.no_such_knob", "1", "lab/nosched")
        .build();
  }

  /** "OperationType object: OUTCOME: error" per problem, sorted, for one readable comparison. */
  static Map<String, String> problems(ApplyReport r) {
    Map<String, String> m = new TreeMap<>();
    for (OperationResult p : r.problems()) {
      m.put(p.operation().getClass().getSimpleName() + " " + p.operation().object(), p.outcome() + ": " + p.error());
    }
    return m;
  }

  @Test
  void eachRefusalIsReportedOnItsObjectAndTheRestIsProgrammed(@TempDir Path state) {
    String expireBefore = in(NS, "sysctl", "-n", "net.ipv4.vs.expire_nodest_conn").trim();
    try (LabHost host = new LabHost(NS, state)) {
      ApplyReport report = host.apply(mixed());

      Map<String, String> problems = problems(report);
      assertThat(problems).as(problems.toString()).hasSize(6);
      assertThat(problems.get("AddService service TCP 198.18.2.2:80"))
          .isEqualTo("FAILED: add service TCP 198.18.2.2:80: ENOENT: no scheduler \"nosuch\" in this kernel"
              + " (module ip_vs_nosuch is neither loaded nor loadable)");
      assertThat(problems.get("AddDestination destination TCP 198.18.2.2:80 -> 198.18.2.11:80"))
          .startsWith("SKIPPED: service TCP 198.18.2.2:80 was not created: add service TCP 198.18.2.2:80: ENOENT");
      assertThat(problems.get("AddDestination destination TCP 198.18.2.3:80 -> 198.18.2.12:80"))
          .startsWith("FAILED: add destination 198.18.2.12:80 to TCP 198.18.2.3:80: ERANGE");
      assertThat(problems.get("AddDestination destination TCP 198.18.2.4:80 -> 198.18.2.13:80"))
          .startsWith("FAILED: add destination 198.18.2.13:80 to TCP 198.18.2.4:80: EINVAL");
      assertThat(problems.get("AddAddress address 198.18.2.2/32 dev nosuch0"))
          .startsWith("FAILED: add address 198.18.2.2/32 dev nosuch0: ENODEV");
      assertThat(problems.get("SetSysctl sysctl net.ipv4.vs.no_such_knob"))
          .startsWith("FAILED: set sysctl net.ipv4.vs.no_such_knob=1: no such key on this kernel");
      assertThat(report.problemsByOwner()).containsOnlyKeys("lab/nosched", "lab/thresholds", "lab/gue");

      // the oracle: every good object is in the kernel, no refused one is
      assertThat(in(NS, "ipvsadm", "-S", "-n").lines().map(String::trim).toList()).containsExactlyInAnyOrder(
          "-A -t 198.18.2.1:80 -s rr",
          "-a -t 198.18.2.1:80 -r 198.18.2.11:80 -m -w 1",
          "-a -t 198.18.2.1:80 -r 198.18.2.12:80 -m -w 2",
          "-A -t 198.18.2.3:80 -s wrr",
          "-a -t 198.18.2.3:80 -r 198.18.2.11:80 -m -w 1",
          "-A -t 198.18.2.4:80 -s rr");
      assertThat(in(NS, "ip", "-o", "addr", "show", "dev", "lo")).contains("inet 198.18.2.1/32");
      assertThat(in(NS, "sysctl", "-n", "net.ipv4.vs.expire_nodest_conn").trim()).isEqualTo("1");

      // a retry tries again exactly what failed, and touches nothing that succeeded
      ApplyReport retry = host.apply(mixed());
      assertThat(problems(retry)).isEqualTo(problems);
      assertThat(retry.results()).noneMatch(OperationResult::succeeded);

      // the client itself throws a typed exception naming the operation, the object and errno
      try (NetlinkIpvsClient ipvs = NetlinkIpvsClient.open(NS)) {
        assertThatThrownBy(() -> ipvs.addService(new IpvsService(tcp80("198.18.2.2"), "nosuch", 0, 0, 0)))
            .isInstanceOfSatisfying(NetlinkException.class, e -> {
              assertThat(e.operation()).isEqualTo("add service");
              assertThat(e.object()).isEqualTo("TCP 198.18.2.2:80");
              assertThat(e.errnoName()).isEqualTo("ENOENT");
            });
      }

      ApplyReport removal = host.deleteAll();
      assertThat(removal.problems()).as(removal.problems().toString()).isEmpty();
      assertThat(removal.results()).extracting(r -> r.operation().getClass().getSimpleName())
          .contains("DeleteService", "DeleteAddress", "RestoreSysctl");
    }
    assertThat(in(NS, "ipvsadm", "-S", "-n")).isEmpty();
    assertThat(in(NS, "ip", "-o", "addr", "show", "dev", "lo")).doesNotContain("198.18.2.1");
    assertThat(in(NS, "sysctl", "-n", "net.ipv4.vs.expire_nodest_conn").trim()).isEqualTo(expireBefore);
    assertThat(expireBefore).as("the kernel's default, so the restore above changed something").isEqualTo("0");
  }
}
