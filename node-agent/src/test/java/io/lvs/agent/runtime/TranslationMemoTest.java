package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.model.InterfaceAddress;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The memo against the plain translation: equal results on every path, reuse only where it is safe. */
class TranslationMemoTest {
  private final NodeStateTranslator plain = new NodeStateTranslator();

  @Test
  void randomSlicesTranslateAsThePlainPathAndTheSameSlicesAreTranslatedOnce() {
    Random r = new Random(23);
    TranslationMemo memo = new TranslationMemo(new NodeStateTranslator());
    SliceUnion current = union(r, 0);
    List<InterfaceAddress> none = List.of();
    Translation previous = null;
    int reused = 0;
    for (int step = 0; step < 300; step++) {
      int move = r.nextInt(4);
      if (move == 0) {
        current = union(r, step); // a spec change: new slices
      } else if (move == 1) {
        current = SliceUnion.of(current.slices()); // equal slices, a new object (a watch event that changed nothing)
      } // else: the same object again (a resync)
      boolean held = memo.holds(current);
      Translation viaMemo = memo.translate(current, () -> none);
      if (held) {
        assertThat(viaMemo).isSameAs(previous);
        reused++;
      }
      assertThat(viaMemo).isEqualTo(plain.translate(current.spec(), current::path,
          NodeStateTranslator.AddressHolders.of(none)));
      assertThat(memo.holds(current)).isTrue(); // no interfaceOf entry: kept
      previous = viaMemo;
    }
    assertThat(reused).isBetween(100, 200); // both paths taken
  }

  @Test
  void aTranslationThatReadTheNodesAddressesIsNotKept() {
    SliceUnion slices = SliceUnion.of(List.of(new NodeSlice("n1", 1, new LvsNodeStateSpec("n1", null,
        List.of(new NodeAddress("a/vip", "198.18.0.100", 32, null, true, "198.18.1.5")), null, null, null))));
    AtomicInteger dumps = new AtomicInteger();
    TranslationMemo memo = new TranslationMemo(new NodeStateTranslator());
    List<InterfaceAddress> onEth0 = List.of(new InterfaceAddress("eth0", NodeStateTranslatorTest.ip("198.18.1.5"), 24));
    List<InterfaceAddress> onEth1 = List.of(new InterfaceAddress("eth1", NodeStateTranslatorTest.ip("198.18.1.5"), 24));

    Translation first = memo.translate(slices, () -> {
      dumps.incrementAndGet();
      return onEth0;
    });
    assertThat(first.desired().addresses()).containsOnlyKeys(new InterfaceAddress("eth0", NodeStateTranslatorTest.ip("198.18.0.100"), 32));
    assertThat(memo.holds(slices)).isFalse();
    // the node's InternalIP moved to eth1 with the slices unchanged: the next sync follows it
    Translation second = memo.translate(slices, () -> {
      dumps.incrementAndGet();
      return onEth1;
    });
    assertThat(second.desired().addresses()).containsOnlyKeys(new InterfaceAddress("eth1", NodeStateTranslatorTest.ip("198.18.0.100"), 32));
    assertThat(dumps).hasValue(2);
  }

  private static SliceUnion union(Random r, int step) {
    List<NodeSlice> slices = new ArrayList<>();
    int n = 1 + r.nextInt(3);
    for (int s = 0; s < n; s++) {
      List<NodeIpvsService> services = new ArrayList<>();
      for (int i = 0; i < r.nextInt(6); i++) {
        List<NodeDestination> ds = new ArrayList<>();
        for (int d = 0; d < 1 + r.nextInt(4); d++) {
          ds.add(new NodeDestination("198.19." + s + "." + (1 + d), null, r.nextInt(4),
              r.nextBoolean() ? Forwarding.NAT : Forwarding.DirectRouting, null, null, null, r.nextInt(5) == 0));
        }
        // a repeated VIP across slices is a conflict the translation reports: part of what must match
        String vip = "198.18." + r.nextInt(2) + "." + (1 + r.nextInt(8));
        services.add(new NodeIpvsService("ns/vs" + step + "-" + s + "-" + i, vip, 80, Protocol.TCP, null, null,
            r.nextBoolean() ? "rr" : "bogus", null, null, null, ds, null));
      }
      slices.add(new NodeSlice(s == 0 ? "n1" : "n1." + s, 1 + r.nextInt(3), new LvsNodeStateSpec("n1", services, null, null, null, null)));
    }
    return SliceUnion.of(slices);
  }
}
