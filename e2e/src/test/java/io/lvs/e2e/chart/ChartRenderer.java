package io.lvs.e2e.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders the chart with the native Helm library (helm-java) and parses every manifest. */
public final class ChartRenderer {
  private final Path chart;

  public ChartRenderer(Path chart) {
    this.chart = chart;
  }

  /** {@code helm template <release> <chart> -n <namespace> [-f valuesFile] [--set k=v ...]}. */
  public RenderedChart render(String release, String namespace, Path valuesFile, Map<String, Object> sets) {
    TemplateCommand cmd = new Helm(chart).template().withName(release).withNamespace(namespace);
    if (valuesFile != null) {
      cmd = cmd.withValuesFile(valuesFile);
    }
    for (Map.Entry<String, Object> e : sets.entrySet()) {
      cmd = cmd.set(e.getKey(), e.getValue());
    }
    return parse(cmd.call());
  }

  static RenderedChart parse(String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : manifests.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
        continue;
      }
      // typed objects for the kinds fabric8 knows; GenericKubernetesResource for the others
      objects.add(Serialization.unmarshal(doc));
    }
    return new RenderedChart(manifests, List.copyOf(objects));
  }
}
