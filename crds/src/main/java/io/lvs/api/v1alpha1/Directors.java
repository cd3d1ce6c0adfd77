package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.Map;

/** Which nodes act as directors (hold the IPVS rules; one of them holds the VIP). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Directors(
    @JsonPropertyDescription("Labels a node must carry to be a director. Empty: no node qualifies.")
        Map<String, String> nodeSelector,
    @JsonPropertyDescription(
            "Interface on which the active director holds the VIP (e.g. eth0). Default: the"
                + " interface that holds the node's InternalIP.")
        @Pattern("^[a-zA-Z0-9_.:-]{1,15}$")
        String vipInterface) {}
