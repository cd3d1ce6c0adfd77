package io.lvs.agent.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.ownership.OwnedSysctl;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** /proc/sys through {@link ProcSysctl}, read back with sysctl(8), in the VM's own namespace. */
@Tag("kernel")
class ProcSysctlKernelTest {
  private final ProcSysctl sysctl = new ProcSysctl();

  @Test
  void arpAndIpvsKeysWriteReadAndRestore() {
    RestoringSysctl restoring = new RestoringSysctl(sysctl);
    for (String[] kv : new String[][] {{"net.ipv4.conf.all.arp_ignore", "1"}, {"net.ipv4.conf.lo.arp_announce", "2"},
        {"net.ipv4.conf.all.rp_filter", "0"}, {"net.ipv4.ip_forward", "1"}, {"net.ipv4.vs.conntrack", "1"},
        {"net.ipv4.vs.expire_nodest_conn", "1"}}) {
      String key = kv[0];
      String before = Oracle.run("sysctl", "-n", key).trim();
      assertThat(sysctl.read(key)).contains(before);
      String want = before.equals(kv[1]) ? (kv[1].equals("0") ? "1" : "0") : kv[1];
      OwnedSysctl owned = restoring.set(key, want, null, Set.of("test/x"));
      assertThat(owned.original()).isEqualTo(before);
      assertThat(Oracle.run("sysctl", "-n", key).trim()).as(key).isEqualTo(want);
      restoring.restore(key, owned.original());
      assertThat(Oracle.run("sysctl", "-n", key).trim()).as(key).isEqualTo(before);
    }
  }

  @Test
  void refusalsNameKeyValueAndReason() {
    assertThat(sysctl.read("net.ipv4.conf.nosuch0.arp_ignore")).isEmpty();
    assertThatThrownBy(() -> sysctl.write("net.ipv4.conf.nosuch0.arp_ignore", "1"))
        .hasMessageStartingWith("write sysctl net.ipv4.conf.nosuch0.arp_ignore=1: no such key");
    assertThatThrownBy(() -> sysctl.write("net.ipv4.conf.all.arp_ignore", "many"))
        .isInstanceOf(SysctlException.class)
        .hasMessage("write sysctl net.ipv4.conf.all.arp_ignore=many: EINVAL (the kernel refused the value)");
  }
}
