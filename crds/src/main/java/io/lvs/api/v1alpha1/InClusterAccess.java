package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * Which nodes balance their own clients' traffic to the VIP (docs/in-cluster.md): their host
 * processes and pods are scheduled by IPVS on that node, towards the members, as kube-proxy does
 * for a ClusterIP.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(self.nodes == 'Selected') == has(self.nodeSelector)",
    message = "nodeSelector is required with nodes Selected and refused otherwise",
    fieldPath = ".nodeSelector",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.nodeSelector) || size(self.nodeSelector) > 0",
    message = "an empty nodeSelector selects no node: use nodes None",
    fieldPath = ".nodeSelector",
    reason = "FieldValueInvalid")
public record InClusterAccess(
    @JsonPropertyDescription(
            "All: every node; Selected: the nodes matching nodeSelector; None: none (the default"
                + " when inClusterAccess is absent).")
        @Required
        InClusterNodes nodes,
    @JsonPropertyDescription("Labels a node must carry to serve its clients (only with nodes Selected).")
        Map<String, String> nodeSelector) {}
