package io.lvs.e2e.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.stream.Collectors;

/** The objects one {@code helm template} produced, with lookups by type and name. */
public record RenderedChart(String text, List<HasMetadata> objects) {

  public <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
  }

  /** Objects of {@code kind} (for kinds without a fabric8 class, e.g. ServiceMonitor). */
  public List<HasMetadata> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).collect(Collectors.toList());
  }

  public <T extends HasMetadata> T one(Class<T> type, String name) {
    List<T> found = all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + " named " + name + ", found "
          + found.size() + " among " + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
    }
    return found.get(0);
  }
}
