package io.lvs.e2e.chart;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A component's declared API needs ({@code operator-rules.yaml}, {@code agent-rules.yaml}):
 * cluster-wide rules, and rules only in the component's own namespace.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record RuleFile(
    @JsonProperty("clusterRules") List<PolicyRule> clusterRules,
    @JsonProperty("namespaceRules") List<PolicyRule> namespaceRules) {

  public RuleFile {
    clusterRules = clusterRules == null ? List.of() : List.copyOf(clusterRules);
    namespaceRules = namespaceRules == null ? List.of() : List.copyOf(namespaceRules);
  }

  public static RuleFile read(Path file) {
    try {
      return Serialization.unmarshal(Files.readString(file), RuleFile.class);
    } catch (IOException e) {
      throw new UncheckedIOException("read RBAC rules " + file, e);
    }
  }
}
