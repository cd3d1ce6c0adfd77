package io.lvs.agent.ownership;

/**
 * Where the agent keeps its {@link OwnedSet} between runs. {@link FileOwnershipStore} is the
 * production one (LVS_STATE_DIR/owned.json, default /var/lib/lvs-agent); tests use {@link #inMemory()}.
 */
public interface OwnershipStore {
  /** The recorded set; {@link OwnedSet#EMPTY} on a first start. */
  OwnedSet load();

  /** Replaces the recorded set; atomic: a crash leaves the old or the new one, never a mix. */
  void save(OwnedSet owned);

  static OwnershipStore inMemory() {
    return new OwnershipStore() {
      private OwnedSet current = OwnedSet.EMPTY;

      @Override
      public synchronized OwnedSet load() {
        return current;
      }

      @Override
      public synchronized void save(OwnedSet owned) {
        current = owned;
      }
    };
  }
}
