package io.lvs.agent.model;

/** A destination as read from the kernel, with connection counts and counters. */
public record ObservedDestination(
    Destination destination, long activeConnections, long inactiveConnections, long persistentConnections, Stats stats) {}
