package io.lvs.operator.controller;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
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
    keys.forEach(k -> {
      int slash = k.indexOf('/');
      source.propagateEvent(new ResourceID(k.substring(slash + 1), k.substring(0, slash)));
    });
  }
}
