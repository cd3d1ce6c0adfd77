package io.lvs.agent.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeersTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aDirectorTheSpecNoLongerNamesIsForgottenOneNeverNamedIsKept() {
    Peers p = new Peers("d1");
    p.name(Set.of("d1", "d2", "d3"));
    p.heard(new PeerView(new PeerReport("d2", 1, 0, Set.of()), T));
    p.heard(new PeerView(new PeerReport("d4", 1, 0, Set.of()), T)); // heard, not (yet) named
    assertThat(p.all()).containsExactly("d2", "d3", "d4");
    p.name(Set.of("d1", "d3"));
    assertThat(p.all()).containsExactly("d3", "d4");
    assertThat(p.view("d2")).isEmpty();
    p.heard(new PeerView(new PeerReport("d2", 2, 0, Set.of()), T.plusSeconds(1)));
    assertThat(p.all()).as("alive and heard again: counted again").contains("d2");
    assertThat(p.heard(new PeerView(new PeerReport("d1", 9, 0, Set.of()), T))).as("our own, looped back").isFalse();
  }
}
