package io.lvs.agent.model;

import java.util.List;

/** A service as read from the kernel: its config, its destinations with their counters. */
public record ObservedService(IpvsService service, Stats stats, List<ObservedDestination> destinations) {}
