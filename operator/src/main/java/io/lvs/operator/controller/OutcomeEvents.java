package io.lvs.operator.controller;

import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.sync.OutcomeListener;
import java.util.Set;

/** Turns the sync's "these outcomes changed" into reconcile events of those VirtualServices. */
public final class OutcomeEvents implements OutcomeListener {
  private final SimpleInboundEventSource<VirtualService> source = new SimpleInboundEventSource<>("plan-outcomes");

  SimpleInboundEventSource<VirtualService> source() {
    return source;
  }

  @Override
  public void outcomesChanged(Set<String> keys) {
    keys.forEach(k -> source.propagateEvent(Owners.resourceId(k)));
  }
}
