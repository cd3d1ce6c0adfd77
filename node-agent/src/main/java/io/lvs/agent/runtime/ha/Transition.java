package io.lvs.agent.runtime.ha;

import io.lvs.agent.ha.Decision.Reason;
import java.time.Instant;

/**
 * This node took or gave up a VIP: for the log, the failover metrics and status. {@code takeover}:
 * why it took it from another director (null when it gave it up, or took it first).
 */
public record Transition(String vip, boolean holds, Reason reason, Instant wallTime, ElectionPorts.Takeover takeover) {
  public Transition(String vip, boolean holds, Reason reason, Instant wallTime) {
    this(vip, holds, reason, wallTime, null);
  }
}
