package io.lvs.agent.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcSysctlTest {
  @TempDir Path root;

  @Test
  void dottedAndSlashedKeysMapToFiles() throws Exception {
    Files.createDirectories(root.resolve("net/ipv4/conf/eth0.100"));
    Files.writeString(root.resolve("net/ipv4/conf/eth0.100/arp_ignore"), "0\n");
    Files.createDirectories(root.resolve("net/ipv4/conf/all"));
    Files.writeString(root.resolve("net/ipv4/conf/all/arp_ignore"), "0\n");
    ProcSysctl s = new ProcSysctl(root);
    assertThat(s.read("net/ipv4/conf/eth0.100/arp_ignore")).contains("0");
    s.write("net.ipv4.conf.all.arp_ignore", "1");
    assertThat(Files.readString(root.resolve("net/ipv4/conf/all/arp_ignore"))).isEqualTo("1\n");
    assertThat(s.read("net.ipv4.conf.all.arp_ignore")).contains("1");
    assertThat(s.read("net.ipv4.conf.nosuch.arp_ignore")).isEmpty();
    assertThatThrownBy(() -> s.write("net.ipv4.conf.nosuch.arp_ignore", "1"))
        .hasMessageStartingWith("write sysctl net.ipv4.conf.nosuch.arp_ignore=1: no such key");
    assertThatThrownBy(() -> s.read("../etc/passwd")).isInstanceOf(SysctlException.class);
  }
}
