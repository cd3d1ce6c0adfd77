package io.lvs.e2e.chart;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/** One permission, flattened from an RBAC rule: (apiGroup, resource[/subresource], verb). */
public record Grant(String apiGroup, String resource, String verb) implements Comparable<Grant> {

  public static Set<Grant> flatten(Collection<PolicyRule> rules) {
    Set<Grant> grants = new TreeSet<>();
    for (PolicyRule r : rules) {
      if (r.getResourceNames() != null && !r.getResourceNames().isEmpty()) {
        throw new IllegalArgumentException("resourceNames are not used by this project's rules: " + r);
      }
      for (String g : r.getApiGroups()) {
        for (String res : r.getResources()) {
          for (String v : r.getVerbs()) {
            grants.add(new Grant(g, res, v));
          }
        }
      }
    }
    return grants;
  }

  public boolean isWildcard() {
    return apiGroup.contains("*") || resource.contains("*") || verb.contains("*");
  }

  @Override
  public int compareTo(Grant o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource + ":" + verb;
  }
}
