package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** Which nodes, and what their kernels' IPVS settings must be. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LvsNodeConfigSpec(
    @JsonPropertyDescription(
            "Labels a node must carry for this configuration to apply to it; {} selects every node. A node"
                + " selected by two configurations gets neither (Conflict in both statuses) and keeps what it had.")
        @Required
        Map<String, String> nodeSelector,
    @JsonPropertyDescription("IPVS connection timeouts (ipvsadm --set tcp tcpfin udp). A timeout left out is left as the kernel has it.")
        @Required
        IpvsTimeoutsSpec timeouts) {}
