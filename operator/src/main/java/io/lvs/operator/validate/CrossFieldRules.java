package io.lvs.operator.validate;

import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cross-field rules the planner relies on, the same ones the CRD states as CEL rules (the
 * shared validator in crds replaces this once it is on main). Only what would make the plan wrong
 * is checked here; field formats are the schema's job.
 */
public final class CrossFieldRules implements SpecValidation {
  @Override
  public List<String> validate(VirtualServiceSpec spec) {
    List<String> out = new ArrayList<>();
    boolean vipForm = spec.vip() != null || spec.ports() != null;
    if ((spec.fwmark() != null) == vipForm) {
      out.add("spec: set either vip with ports, or fwmark, not both and not neither");
    }
    if (spec.vip() != null && (spec.ports() == null || spec.ports().isEmpty())) {
      out.add("spec.ports: required when spec.vip is set");
    }
    if (spec.forwarding() == null) {
      out.add("spec.forwarding: required");
    }
    if (spec.realServerPoolRef() == null || spec.realServerPoolRef().name() == null) {
      out.add("spec.realServerPoolRef.name: required");
    }
    if (spec.directors() == null) {
      out.add("spec.directors: required");
    }
    if (spec.ports() != null) {
      Set<String> seen = new HashSet<>();
      for (ServicePort p : spec.ports()) {
        String key = p.port() + "/" + (p.protocol() == null ? "TCP" : p.protocol());
        if (!seen.add(key)) {
          out.add("spec.ports: " + key + " appears more than once");
        }
        boolean rewrites = p.targetPort() != null && !p.targetPort().equals(p.port());
        if (rewrites && (spec.forwarding() == Forwarding.DirectRouting || spec.forwarding() == Forwarding.Tunnel)) {
          out.add("spec.ports[].targetPort: " + spec.forwarding() + " cannot rewrite port " + p.port()
              + " to " + p.targetPort() + " (only NAT and FullNAT may)");
        }
      }
    }
    return out;
  }
}
