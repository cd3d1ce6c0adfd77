package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Everything one node must program, written only by the operator. The node agent diffs this
 * against the kernel and changes only what differs, and only what it owns.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record LvsNodeStateSpec(
    String nodeName,
    List<NodeIpvsService> services,
    List<NodeAddress> addresses,
    List<NodeLink> links,
    List<NodeSysctl> sysctls,
    List<NodeSnat> snat,
    List<NodeMark> marks,
    @JsonPropertyDescription("The IPVS timeouts this node must hold (first slice only; absent: none applies).") NodeTimeouts timeouts,
    @JsonPropertyDescription("HA VIPs this node may hold as one of several directors; the directors elect the holder.")
        List<NodeVipCandidate> vipCandidates) {

  /** A spec without HA VIP candidates. */
  public LvsNodeStateSpec(String nodeName, List<NodeIpvsService> services, List<NodeAddress> addresses,
      List<NodeLink> links, List<NodeSysctl> sysctls, List<NodeSnat> snat, List<NodeMark> marks, NodeTimeouts timeouts) {
    this(nodeName, services, addresses, links, sysctls, snat, marks, timeouts, null);
  }

  /** A spec without node-level timeouts. */
  public LvsNodeStateSpec(String nodeName, List<NodeIpvsService> services, List<NodeAddress> addresses,
      List<NodeLink> links, List<NodeSysctl> sysctls, List<NodeSnat> snat, List<NodeMark> marks) {
    this(nodeName, services, addresses, links, sysctls, snat, marks, null);
  }

  /** A spec without fwmark marking rules. */
  public LvsNodeStateSpec(String nodeName, List<NodeIpvsService> services, List<NodeAddress> addresses,
      List<NodeLink> links, List<NodeSysctl> sysctls, List<NodeSnat> snat) {
    this(nodeName, services, addresses, links, sysctls, snat, null, null);
  }

  /** This spec with {@code t} as its timeouts. */
  public LvsNodeStateSpec withTimeouts(NodeTimeouts t) {
    return new LvsNodeStateSpec(nodeName, services, addresses, links, sysctls, snat, marks, t, vipCandidates);
  }
}
