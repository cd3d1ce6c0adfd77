package io.lvs.agent.ownership;

import static io.lvs.agent.fake.Fixtures.ip;
import static io.lvs.agent.fake.Fixtures.rs;
import static io.lvs.agent.fake.Fixtures.tcp;
import static io.lvs.agent.fake.Fixtures.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lvs.agent.model.Family;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.ServiceKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOwnershipStoreTest {
  @TempDir Path dir;

  static OwnedSet sample() {
    return OwnedSet.EMPTY.toBuilder()
        .service(tcp("198.18.0.100", 80), "ns/web")
        .destination(tcp("198.18.0.100", 80), rs("198.18.0.11", 80))
        .destination(tcp("198.18.0.100", 80), rs("198.18.0.12", 8080))
        .service(ServiceKey.ofFwmark(Family.INET6, 7), "ns/mark")
        .destination(ServiceKey.ofFwmark(Family.INET6, 7), rs("2001:2::11", 0))
        .address(vip("198.18.0.100", "lo"), Set.of("ns/web", "ns/api"))
        .address(new InterfaceAddress("tunl0", ip("2001:2::100"), 128), Set.of("ns/tun"))
        .link("tunl0", Set.of("ns/tun"))
        .sysctl("net.ipv4.conf.all.arp_ignore", new OwnedSysctl("0", "1", new TreeSet<>(Set.of("ns/web"))))
        .sysctl("net.ipv4.ip_local_port_range", new OwnedSysctl("32768\t60999", "1024 65000", new TreeSet<>()))
        .build()
        .withTimeouts(new OwnedTimeouts(900, null, 300));
  }

  @Test
  void timeoutOriginalsGoThroughTheJournalAndSurviveARestart() throws Exception {
    FileOwnershipStore store = new FileOwnershipStore(dir);
    store.save(sample());
    byte[] snapshot = Files.readAllBytes(store.file());

    OwnedSet restored = sample().withTimeouts(new OwnedTimeouts(null, 120, null));
    store.save(restored);

    assertThat(Files.readAllBytes(store.file())).isEqualTo(snapshot);
    assertThat(Files.readAllLines(store.journalFile())).hasSize(1);
    assertThat(new FileOwnershipStore(dir).load().timeouts()).isEqualTo(new OwnedTimeouts(null, 120, null));
    store.save(restored.withTimeouts(OwnedTimeouts.NONE));
    assertThat(new FileOwnershipStore(dir).load()).isEqualTo(restored.withTimeouts(OwnedTimeouts.NONE));
  }

  @Test
  void roundTripsEveryKindOfObject() {
    FileOwnershipStore store = new FileOwnershipStore(dir);
    assertThat(store.load()).isEqualTo(OwnedSet.EMPTY);

    store.save(sample());

    assertThat(new FileOwnershipStore(dir).load()).isEqualTo(sample());
    assertThat(dir.resolve("owned.json.tmp")).doesNotExist();
  }

  /**
   * The snapshot is streamed one service at a time; its bytes are those of the whole set's tree
   * (the format before streaming), so files written by either agent read back in the other.
   */
  @Test
  void theStreamedSnapshotIsTheWholeTreesJson() throws Exception {
    FileOwnershipStore store = new FileOwnershipStore(dir);
    store.save(sample());

    ObjectMapper json = new ObjectMapper();
    OwnedSetJson codec = new OwnedSetJson(json);
    ObjectNode root = json.createObjectNode();
    root.put("format", 1);
    root.put("generation", 1);
    ArrayNode services = root.putArray("services");
    sample().services().forEach((k, s) -> services.add(codec.encodeService(k, s)));
    codec.encodeSmallParts(root, sample());

    assertThat(new String(Files.readAllBytes(store.file()), StandardCharsets.UTF_8))
        .isEqualTo(json.writeValueAsString(root));
  }

  @Test
  void aSnapshotOfAnUnknownFormatFailsTheLoad() throws Exception {
    Files.writeString(dir.resolve("owned.json"), "{\"format\":2,\"generation\":1,\"services\":[]}");

    assertThatThrownBy(() -> new FileOwnershipStore(dir).load()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("owned.json").hasMessageContaining("unknown format 2");
  }

  @Test
  void aSaveReplacesTheWholeSet() {
    FileOwnershipStore store = new FileOwnershipStore(dir);
    store.save(sample());
    store.save(OwnedSet.EMPTY);

    assertThat(store.load()).isEqualTo(OwnedSet.EMPTY);
  }

  @Test
  void anUnreadableFileFailsLoudlyNamingIt() throws Exception {
    Files.writeString(dir.resolve("owned.json"), "{\"format\":1,\"services\":[{\"family\":\"INET\"");

    assertThatThrownBy(() -> new FileOwnershipStore(dir).load())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("read owned set " + dir.resolve("owned.json"));
  }

  @Test
  void aFileOfAnotherFormatIsRefused() throws Exception {
    Files.writeString(dir.resolve("owned.json"), "{\"format\":2}");

    assertThatThrownBy(() -> new FileOwnershipStore(dir).load()).hasMessageContaining("unknown format 2");
  }

  static OwnedSet withDestination(OwnedSet base, int n) {
    return base.toBuilder().destination(tcp("198.18.0.100", 80), rs("198.18.1." + (n % 250 + 1), 80 + n / 250)).build();
  }

  @Test
  void aOneDestinationChangeAppendsARecordAndLeavesTheSnapshotAlone() throws Exception {
    FileOwnershipStore store = new FileOwnershipStore(dir);
    store.save(sample());
    byte[] snapshot = Files.readAllBytes(store.file());

    OwnedSet next = withDestination(sample(), 1);
    store.save(next);

    assertThat(Files.readAllBytes(store.file())).isEqualTo(snapshot);
    assertThat(Files.size(store.journalFile())).isBetween(50L, 400L);
    assertThat(new FileOwnershipStore(dir).load()).isEqualTo(next);
    store.save(next); // unchanged: nothing written
    assertThat(Files.readAllLines(store.journalFile())).hasSize(1);
  }

  @Test
  void aTornLastRecordIsTheSaveThatNeverReturnedAndIsCutOffByTheNextAppend() throws Exception {
    FileOwnershipStore store = new FileOwnershipStore(dir);
    store.save(sample());
    OwnedSet one = withDestination(sample(), 1);
    store.save(one);
    store.save(withDestination(one, 2));
    long whole = Files.size(store.journalFile());
    try (var ch = java.nio.channels.FileChannel.open(store.journalFile(), java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(whole - 7); // the crash: the second record half written
    }

    FileOwnershipStore restarted = new FileOwnershipStore(dir);
    assertThat(restarted.load()).isEqualTo(one);
    OwnedSet three = withDestination(one, 3);
    restarted.save(three);
    assertThat(new FileOwnershipStore(dir).load()).isEqualTo(three);
  }

  @Test
  void aDamagedRecordFollowedByGoodOnesFailsTheLoad() throws Exception {
    FileOwnershipStore store = new FileOwnershipStore(dir);
    store.save(sample());
    store.save(withDestination(sample(), 1));
    store.save(withDestination(sample(), 2));
    String text = Files.readString(store.journalFile());
    Files.writeString(store.journalFile(), text.replaceFirst("198\\.18\\.1\\.2", "198.18.1.9"));

    assertThatThrownBy(() -> new FileOwnershipStore(dir).load())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("damaged record at byte 0");
  }

  @Test
  void theJournalIsFoldedIntoANewSnapshotOnceLargeAndItsStaleRecordsAreIgnored() throws Exception {
    FileOwnershipStore store = new FileOwnershipStore(dir);
    store.save(sample());
    OwnedSet current = sample();
    byte[] beforeCompaction = null;
    int n = 0;
    while (!Files.exists(store.journalFile()) || Files.size(store.journalFile()) > 0 && n < 100_000) {
      if (Files.exists(store.journalFile())) {
        beforeCompaction = Files.readAllBytes(store.journalFile());
      }
      current = withDestination(current, ++n);
      store.save(current);
      if (!Files.exists(store.journalFile())) {
        break; // compacted
      }
    }
    assertThat(Files.exists(store.journalFile())).isFalse();
    assertThat(beforeCompaction.length).isGreaterThan(200_000).isLessThanOrEqualTo(256 * 1024);
    assertThat(new FileOwnershipStore(dir).load()).isEqualTo(current);

    // a crash after the snapshot's rename but before the journal's removal leaves the old records
    Files.write(store.journalFile(), beforeCompaction);
    FileOwnershipStore restarted = new FileOwnershipStore(dir);
    assertThat(restarted.load()).isEqualTo(current);
    OwnedSet after = withDestination(current, ++n);
    restarted.save(after);
    assertThat(new FileOwnershipStore(dir).load()).isEqualTo(after);
  }
}
