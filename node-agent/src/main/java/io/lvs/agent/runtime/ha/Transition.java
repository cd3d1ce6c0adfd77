package io.lvs.agent.runtime.ha;

import io.lvs.agent.ha.Decision.Reason;
import java.time.Instant;

/** This node took or gave up a VIP: for the log, an Event, the failover metrics and status. */
public record Transition(String vip, boolean holds, Reason reason, Instant wallTime) {}
