package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** Nodes themselves as real servers: the classic LVS setup of hosts behind a director. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeMembers(
    @JsonPropertyDescription("Labels the nodes must carry.") @Required @Size(min = 1)
        Map<String, String> matchLabels,
    @JsonPropertyDescription("Port the service listens on, on each node.") @Required @Min(1) @Max(65535)
        Integer port,
    @JsonPropertyDescription("InternalIP (default) or ExternalIP.") NodeAddressType addressType) {}
