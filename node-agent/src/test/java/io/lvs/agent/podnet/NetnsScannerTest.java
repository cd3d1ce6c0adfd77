package io.lvs.agent.podnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetnsScannerTest {
  @Test
  void oneEntryPerInodePreferringRunNetnsThenTheLowestPidAndNeverTheHosts() {
    List<NetnsRef> out = NetnsScanner.distinct(List.of(
        new NetnsRef("/proc/1/ns/net", 1L),
        new NetnsRef("/proc/900/ns/net", 7L), new NetnsRef("/proc/88/ns/net", 7L),
        new NetnsRef("/proc/50/ns/net", 9L), new NetnsRef("/run/netns/cni-9", 9L)), 1L);
    assertThat(out).containsExactly(new NetnsRef("/proc/88/ns/net", 7L), new NetnsRef("/run/netns/cni-9", 9L));
  }

  @Test
  void procLinksGiveTheInodeAndVanishedProcessesAreSkipped(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("self/ns"));
    Files.createSymbolicLink(proc.resolve("self/ns/net"), Path.of("net:[100]"));
    for (String pid : List.of("12", "13")) {
      Files.createDirectories(proc.resolve(pid + "/ns"));
    }
    Files.createSymbolicLink(proc.resolve("12/ns/net"), Path.of("net:[4026532500]"));
    Files.createDirectories(proc.resolve("sys")); // not a PID
    NetnsScanner s = new NetnsScanner(proc, proc.resolve("no-run-netns"));
    assertThat(s.hostInode()).isEqualTo(100L);
    assertThat(s.scan()).containsExactly(new NetnsRef(proc.resolve("12/ns/net").toString(), 4026532500L));
  }
}
