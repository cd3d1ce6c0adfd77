package io.lvs.agent.runtime;

import io.lvs.agent.model.InterfaceAddress;
import java.net.InetAddress;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The sync loop's translation of its slices, kept while they stay the same object: a resync over
 * unchanged slices reuses it instead of building the whole desired state again (at 10,000 services
 * that second copy was alive beside the first for the whole sync: docs/benchmarks.md). A translation
 * that read the node's addresses (an {@code interfaceOf} entry) is never kept: those can change
 * between syncs without the slices changing. Not thread-safe: the sync loop calls it under its lock.
 */
final class TranslationMemo {
  private final NodeStateTranslator translator;
  private SliceUnion lastSlices;
  private Translation last;

  TranslationMemo(NodeStateTranslator translator) {
    this.translator = translator;
  }

  /** As {@code translator.translate(slices.spec(), slices::path, AddressHolders.lazy(addresses))}. */
  Translation translate(SliceUnion slices, Supplier<? extends Collection<InterfaceAddress>> addresses) {
    if (slices == lastSlices) {
      return last;
    }
    NodeStateTranslator.AddressHolders lazy = NodeStateTranslator.AddressHolders.lazy(addresses);
    boolean[] readAddresses = {false};
    Translation t = translator.translate(slices.spec(), slices::path, (InetAddress ip) -> {
      readAddresses[0] = true;
      return lazy.interfaceOf(ip);
    });
    lastSlices = readAddresses[0] ? null : slices;
    last = readAddresses[0] ? null : t;
    return t;
  }

  /** Whether the next call with {@code slices} reuses the kept translation (for tests). */
  boolean holds(SliceUnion slices) {
    return slices == lastSlices;
  }
}
