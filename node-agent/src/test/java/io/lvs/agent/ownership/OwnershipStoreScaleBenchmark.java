package io.lvs.agent.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.ServiceKey;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owned set's files at 10,000 services x 10 destinations: the snapshot (what every save wrote
 * before the journal) and a one-destination change (one journal record), 9 rounds each, fsync
 * included, in the build's temporary folder; then a load that replays the journal.
 */
@Tag("benchmark")
class OwnershipStoreScaleBenchmark {
  @TempDir Path dir;

  @Test
  void snapshotVersusJournalAt10kServices() throws Exception {
    OwnedSet.Builder b = OwnedSet.EMPTY.toBuilder();
    for (int i = 0; i < 10_000; i++) {
      ServiceKey k = ServiceKey.of(IpProtocol.TCP, InetAddress.getByName("198.18." + (i / 250) + "." + (1 + i % 250)), 80);
      b.service(k, "bench/vs" + i);
      for (int d = 0; d < 10; d++) {
        b.destination(k, new DestinationKey(InetAddress.getByName("198.19." + (i % 200) + "." + (1 + d)), 80));
      }
    }
    OwnedSet owned = b.build();
    ServiceKey first = owned.services().keySet().iterator().next();
    long[] snapshot = new long[9];
    long[] append = new long[9];
    FileOwnershipStore store = new FileOwnershipStore(Files.createDirectory(dir.resolve("store")));
    store.save(owned);
    for (int r = 0; r < 9; r++) {
      FileOwnershipStore fresh = new FileOwnershipStore(Files.createDirectory(dir.resolve("fresh" + r)));
      long t0 = System.nanoTime();
      fresh.save(owned);
      snapshot[r] = System.nanoTime() - t0;
      OwnedSet plus = owned.toBuilder().destination(first, new DestinationKey(InetAddress.getByName("198.19.255." + (1 + r)), 80)).build();
      long before = Files.exists(store.journalFile()) ? Files.size(store.journalFile()) : 0;
      t0 = System.nanoTime();
      store.save(plus);
      append[r] = System.nanoTime() - t0;
      if (r == 0) {
        System.out.printf("snapshot %,d bytes; one-destination record %,d bytes%n", Files.size(fresh.file()),
            Files.size(store.journalFile()) - before);
      }
      store.save(owned);
    }
    Arrays.sort(snapshot);
    Arrays.sort(append);
    System.out.printf("snapshot write ms min/median/max %.1f / %.1f / %.1f; journal append ms %.2f / %.2f / %.2f%n",
        snapshot[0] / 1e6, snapshot[4] / 1e6, snapshot[8] / 1e6, append[0] / 1e6, append[4] / 1e6, append[8] / 1e6);
    long t0 = System.nanoTime();
    assertThat(new FileOwnershipStore(store.file().getParent()).load()).isEqualTo(owned);
    System.out.printf("load, 18 journal records replayed: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
  }
}
