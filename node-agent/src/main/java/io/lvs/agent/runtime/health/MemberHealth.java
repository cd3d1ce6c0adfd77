package io.lvs.agent.runtime.health;

import java.time.Instant;
import java.util.Objects;

/**
 * A probed member's health as status reports it: the verdict, since when it holds (the last
 * transition, or when probing began), and the most recent failed probe's error (null if none yet).
 */
public record MemberHealth(Health health, Instant since, String lastError) {
  public MemberHealth {
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(since, "since");
  }
}
