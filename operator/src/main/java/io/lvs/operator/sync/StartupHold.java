package io.lvs.operator.sync;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the first plan until the informer caches have synced and (at most {@code hold} more) the
 * pool controller has resolved every pool once. Planning earlier writes every node object once per
 * batch of pools resolved, and a node object at 2,000 VirtualServices is a large write. The caches
 * themselves get at most twice {@code hold} from the first look, and the pools at most {@code hold}
 * after the caches are ready, so the first plan waits at most 3 x hold in all. Once released it
 * never holds again.
 */
final class StartupHold {
  private static final Logger LOG = LoggerFactory.getLogger(StartupHold.class);
  private final Duration hold;
  private final LongSupplier nanoTime;
  private final LongSupplier unresolvedPools;
  private long firstLook = -1;
  private volatile long cachesReadyAt = -1;
  private volatile boolean released;
  private boolean logged;

  /**
   * @param nanoTime the clock (System::nanoTime, a fake in tests)
   * @param unresolvedPools pools the pool controller has not resolved yet (read once the caches are ready)
   */
  StartupHold(Duration hold, LongSupplier nanoTime, LongSupplier unresolvedPools) {
    this.hold = hold;
    this.nanoTime = nanoTime;
    this.unresolvedPools = unresolvedPools;
  }

  /** The framework reconciles only once every informer has synced: from then on an empty cache means "none". */
  void cachesReady() {
    if (cachesReadyAt < 0) {
      cachesReadyAt = nanoTime.getAsLong();
    }
  }

  /** True while the first plan should wait; the caller looks again a little later. */
  boolean holding() {
    if (released) {
      return false;
    }
    long now = nanoTime.getAsLong();
    if (firstLook < 0) {
      firstLook = now;
    }
    boolean ready = cachesReadyAt >= 0;
    boolean expired = ready ? now - cachesReadyAt > hold.toNanos() : now - firstLook > 2 * hold.toNanos();
    long unresolved = ready ? unresolvedPools.getAsLong() : -1;
    if (unresolved == 0 || expired) {
      if (logged || unresolved > 0) {
        LOG.info("first plan after the pools' first resolution: {} pools still unresolved", unresolved);
      }
      released = true;
      return false;
    }
    if (!logged) {
      LOG.info(unresolved < 0 ? "first plan waits for the informer caches" : "first plan waits for the pool controller: {} pools not resolved yet", unresolved);
      logged = true;
    }
    return true;
  }
}
