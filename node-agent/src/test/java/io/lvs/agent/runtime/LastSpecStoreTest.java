package io.lvs.agent.runtime;

import static io.lvs.agent.runtime.NodeStateTranslatorTest.dest;
import static io.lvs.agent.runtime.NodeStateTranslatorTest.dr;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastSpecStoreTest {
  static LvsNodeStateSpec spec(String owner, String vip) {
    return new LvsNodeStateSpec("n1", List.of(dr(owner, vip, 80, dest("198.18.0.11", 1))), null, null, null, null);
  }

  @Test
  void theSlicesComeBackAsSaved(@TempDir Path dir) {
    LastSpecStore store = new LastSpecStore(dir);
    assertThat(store.load()).isEmpty();
    LastSpecStore.Saved saved = new LastSpecStore.Saved(List.of(
        new NodeSlice("n1", 3, spec("ns/web", "198.18.0.100")), new NodeSlice("n1.1", 5, spec("ns/api", "198.18.0.101"))));
    store.save(saved);

    assertThat(new LastSpecStore(dir).load()).contains(saved);
    store.save(new LastSpecStore.Saved(List.of())); // no slices left: resume with nothing, not with the old ones
    assertThat(store.load()).contains(new LastSpecStore.Saved(List.of()));
  }

  /** Streamed to the file, in the same JSON as the String it was written from before. */
  @Test
  void theFileIsTheSlicesJson(@TempDir Path dir) throws Exception {
    LastSpecStore.Saved saved = new LastSpecStore.Saved(List.of(new NodeSlice("n1", 3, spec("ns/web", "198.18.0.100"))));
    new LastSpecStore(dir).save(saved);

    assertThat(Files.readString(dir.resolve("last-spec.json"))).isEqualTo(Serialization.asJson(saved))
        .contains("\"generation\":3").contains("198.18.0.100");
  }

  @Test
  void aCorruptFileIsIgnored(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("last-spec.json"), "{not json");
    assertThat(new LastSpecStore(dir).load()).isEmpty();
  }
}
