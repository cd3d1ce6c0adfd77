package io.lvs.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.function.BiPredicate;

/**
 * An informer event source that also tells a listener of every add, delete and relevant update:
 * how the node-state sync hears of its inputs' changes without a mapper having side effects.
 */
final class NotifyingInformerEventSource<R extends HasMetadata, P extends HasMetadata> extends InformerEventSource<R, P> {
  private final Runnable listener;
  private final BiPredicate<R, R> relevant;

  NotifyingInformerEventSource(InformerEventSourceConfiguration<R> config, EventSourceContext<P> context,
      BiPredicate<R, R> relevant, Runnable listener) {
    super(config, context);
    this.relevant = relevant;
    this.listener = listener;
  }

  @Override
  public void onAdd(R resource) {
    super.onAdd(resource);
    listener.run();
  }

  @Override
  public void onUpdate(R before, R after) {
    super.onUpdate(before, after);
    if (relevant.test(before, after)) {
      listener.run();
    }
  }

  @Override
  public void onDelete(R resource, boolean unknownFinalState) {
    super.onDelete(resource, unknownFinalState);
    listener.run();
  }
}
