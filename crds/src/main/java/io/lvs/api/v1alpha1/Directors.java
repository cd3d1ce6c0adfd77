package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.Map;

/**
 * Which nodes act as directors (hold the IPVS rules; one of them holds the VIP). With two or more,
 * the directors elect the VIP's holder among themselves (docs/ha.md); the HA fields apply then.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Directors(
    @JsonPropertyDescription("Labels a node must carry to be a director. Empty: no node qualifies.")
        Map<String, String> nodeSelector,
    @JsonPropertyDescription(
            "Interface on which the active director holds the VIP (e.g. eth0). Default: the"
                + " interface that holds the node's InternalIP.")
        @Pattern("^[a-zA-Z0-9_.:-]{1,15}$")
        String vipInterface,
    @JsonPropertyDescription("With two or more directors: the node that holds the VIP whenever it can. Absent: none preferred.")
        @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
        String preferred,
    @JsonPropertyDescription("Whether the preferred director takes the VIP back when it returns (keepalived's preempt). Default true.")
        Boolean preempt,
    @JsonPropertyDescription("With two or more directors: the election's clocks (docs/ha.md).") FailoverTimings failover,
    @JsonPropertyDescription("With two or more directors: how a new holder announces the VIP.") Announce announce,
    @JsonPropertyDescription(
            "With two or more directors: run the IPVS connection sync daemon (master on the holder, backup on"
                + " the others) so established connections survive a failover. Default true.")
        Boolean connectionSync) {

  /** Directors without HA settings: callers written before they existed. */
  public Directors(Map<String, String> nodeSelector, String vipInterface) {
    this(nodeSelector, vipInterface, null, null, null, null, null);
  }
}
