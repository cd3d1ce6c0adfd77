package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What a careful administrator would type as {@code ipvsadm -A}, and where it must live. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.fwmark) != (has(self.vip) || has(self.ports))",
    message = "set either vip with ports, or fwmark (exactly one of the two)",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.vip) || has(self.ports)",
    message = "required when vip is set",
    fieldPath = ".ports",
    reason = "FieldValueRequired")
@ValidationRule(
    value =
        "!has(self.ports) || self.forwarding == 'NAT' || self.forwarding == 'FullNAT'"
            + " || self.ports.all(p, !has(p.targetPort) || p.targetPort == p.port)",
    message =
        "targetPort must equal port (or be absent) with DirectRouting and Tunnel; only NAT and"
            + " FullNAT can rewrite the port",
    fieldPath = ".ports",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.onePacket) || !self.onePacket || (has(self.ports) && self.ports.all(p, has(p.protocol) && p.protocol == 'UDP'))",
    message = "one-packet scheduling applies to UDP ports only",
    fieldPath = ".onePacket",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.schedulerFlags) || self.schedulerFlags.all(f, (f.startsWith('sh-') && self.scheduler == 'sh') || (f.startsWith('mh-') && self.scheduler == 'mh'))",
    message = "sh-* flags need scheduler sh, mh-* flags need scheduler mh",
    fieldPath = ".schedulerFlags",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.persistence) || !has(self.persistence.netmaskPrefixLength) || !has(self.vip) || self.vip.contains(':') || self.persistence.netmaskPrefixLength <= 32",
    message = "at most 32 for an IPv4 vip",
    fieldPath = ".persistence.netmaskPrefixLength",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.persistence) || !has(self.persistence.netmaskPrefixLength) || self.persistence.netmaskPrefixLength >= 1 || !((has(self.vip) && self.vip.contains(':')) || (has(self.family) && self.family == 'IPv6'))",
    message = "at least 1 for an IPv6 service (the kernel refuses 0)",
    fieldPath = ".persistence.netmaskPrefixLength",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.ports) || self.ports.all(p, self.ports.exists_one(q, q.port == p.port && (has(q.protocol) ? q.protocol : 'TCP') == (has(p.protocol) ? p.protocol : 'TCP')))",
    message = "each port and protocol pair may appear only once",
    fieldPath = ".ports",
    reason = "FieldValueDuplicate")
@ValidationRule(
    value = "!has(self.tunnelType) || self.forwarding == 'Tunnel'",
    message = "only Tunnel forwarding has a tunnelType",
    fieldPath = ".tunnelType",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.family) || has(self.fwmark)",
    message = "only a fwmark service takes a family (a vip says its own)",
    fieldPath = ".family",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "has(self.fwmark) == has(self.fwmarkMatch)",
    message = "fwmarkMatch says which traffic carries the fwmark: set both or neither",
    fieldPath = ".fwmarkMatch",
    reason = "FieldValueRequired")
@ValidationRule(
    value =
        "!has(self.fwmarkMatch) || self.fwmarkMatch.all(m, m.address.contains(':') == (has(self.family) && self.family == 'IPv6'))",
    message = "every address must be of the service's family (IPv4 unless family is IPv6)",
    fieldPath = ".fwmarkMatch",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.fwmarkMatch) || self.forwarding == 'NAT' || self.forwarding == 'FullNAT'"
            + " || self.fwmarkMatch.all(m, !m.address.contains('/') || m.address.endsWith(m.address.contains(':') ? '/128' : '/32'))",
    message =
        "DirectRouting and Tunnel need single addresses (no prefix, /32 or /128): each goes on the real"
            + " servers' lo or tunl0",
    fieldPath = ".fwmarkMatch",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.publishService) || !self.publishService || has(self.vip)",
    message = "publishing a Service needs a vip (a fwmark service has no single address to publish)",
    fieldPath = ".publishService",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.inClusterAccess) || self.inClusterAccess.nodes == 'None' || (has(self.vip) && !self.vip.contains(':'))",
    message = "in-cluster access needs an IPv4 vip (not a fwmark service, not IPv6)",
    fieldPath = ".inClusterAccess",
    reason = "FieldValueInvalid")
public record VirtualServiceSpec(
    @JsonPropertyDescription("Virtual IP address clients connect to (IPv4 or IPv6 literal).")
        @Size(max = 45)
        @Pattern(Patterns.IP)
        String vip,
    @JsonPropertyDescription("Ports on the VIP, each an IPVS service.") @Size(min = 1, max = 64)
        List<ServicePort> ports,
    @JsonPropertyDescription(
            "Firewall mark instead of vip/ports (ipvsadm -f): packets marked by netfilter are balanced.")
        @Min(1)
        @Max(4294967295L)
        Long fwmark,
    @JsonPropertyDescription(
            "Which traffic carries the fwmark: the agent marks it on the directors (nftables, its own"
                + " table). Required with fwmark, refused without.")
        @Size(min = 1, max = 64)
        List<FwmarkMatch> fwmarkMatch,
    @JsonPropertyDescription("Address family of a fwmark service. Default IPv4.") AddressFamily family,
    @JsonPropertyDescription("DirectRouting, NAT, Tunnel or FullNAT.") @Required Forwarding forwarding,
    @JsonPropertyDescription("IPVS scheduler. Default wlc, as ipvsadm's.") Scheduler scheduler,
    @JsonPropertyDescription("Scheduler flags (ipvsadm -b).") @Size(max = 2) List<SchedulerFlag> schedulerFlags,
    @JsonPropertyDescription("Client persistence (ipvsadm -p/-M).") Persistence persistence,
    @JsonPropertyDescription("UDP one-packet scheduling (ipvsadm -o).") Boolean onePacket,
    @JsonPropertyDescription("The pool of real servers.") @Required RealServerPoolRef realServerPoolRef,
    @JsonPropertyDescription("Nodes that act as directors.") @Required Directors directors,
    @JsonPropertyDescription(
            "Tunnel encapsulation for Tunnel mode: ipip (default; gue and gre need kernel 5.3+).")
        @Pattern("^(ipip|gue|gre)$")
        String tunnelType,
    @JsonPropertyDescription(
            "Publish a DNS name: the operator keeps a selectorless headless Service named after this"
                + " VirtualService, and an EndpointSlice carrying the vip and ports, so"
                + " NAME.NAMESPACE.svc resolves to the vip. Never overwrites a Service it does not"
                + " manage (condition ServicePublished=False, reason ServiceNameConflict). Default"
                + " false.")
        Boolean publishService,
    @JsonPropertyDescription(
            "Clients inside the cluster: which nodes schedule their own host processes' and pods'"
                + " traffic to the vip with IPVS on that node (NAT towards the members, source NAT to"
                + " the node), so that clients on directors and on real-server nodes are balanced"
                + " too (docs/in-cluster.md). Absent: None.")
        InClusterAccess inClusterAccess) {

  /** A spec without inClusterAccess: callers written before it existed. */
  public VirtualServiceSpec(String vip, List<ServicePort> ports, Long fwmark, List<FwmarkMatch> fwmarkMatch,
      AddressFamily family, Forwarding forwarding, Scheduler scheduler, List<SchedulerFlag> schedulerFlags,
      Persistence persistence, Boolean onePacket, RealServerPoolRef realServerPoolRef, Directors directors,
      String tunnelType, Boolean publishService) {
    this(vip, ports, fwmark, fwmarkMatch, family, forwarding, scheduler, schedulerFlags, persistence, onePacket,
        realServerPoolRef, directors, tunnelType, publishService, null);
  }

  /** A spec without publishService: callers written before it existed. */
  public VirtualServiceSpec(String vip, List<ServicePort> ports, Long fwmark, List<FwmarkMatch> fwmarkMatch,
      AddressFamily family, Forwarding forwarding, Scheduler scheduler, List<SchedulerFlag> schedulerFlags,
      Persistence persistence, Boolean onePacket, RealServerPoolRef realServerPoolRef, Directors directors,
      String tunnelType) {
    this(vip, ports, fwmark, fwmarkMatch, family, forwarding, scheduler, schedulerFlags, persistence, onePacket,
        realServerPoolRef, directors, tunnelType, null, null);
  }

  /** A spec without fwmarkMatch: every vip/ports service, and callers written before it existed. */
  public VirtualServiceSpec(String vip, List<ServicePort> ports, Long fwmark, AddressFamily family,
      Forwarding forwarding, Scheduler scheduler, List<SchedulerFlag> schedulerFlags, Persistence persistence,
      Boolean onePacket, RealServerPoolRef realServerPoolRef, Directors directors, String tunnelType) {
    this(vip, ports, fwmark, null, family, forwarding, scheduler, schedulerFlags, persistence, onePacket,
        realServerPoolRef, directors, tunnelType, null, null);
  }
}
