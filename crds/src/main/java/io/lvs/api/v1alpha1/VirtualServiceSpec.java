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
    message = "spec: set either vip with ports, or fwmark, not both and not neither",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.vip) || has(self.ports)",
    message = "spec.ports: required when spec.vip is set",
    fieldPath = ".ports",
    reason = "FieldValueRequired")
@ValidationRule(
    value =
        "!has(self.ports) || self.forwarding == 'NAT' || self.forwarding == 'FullNAT'"
            + " || self.ports.all(p, !has(p.targetPort) || p.targetPort == p.port)",
    message =
        "spec.ports[].targetPort: DirectRouting and Tunnel cannot rewrite the port; targetPort must"
            + " equal port (only NAT and FullNAT may differ)",
    fieldPath = ".ports",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.onePacket) || !self.onePacket || (has(self.ports) && self.ports.all(p, has(p.protocol) && p.protocol == 'UDP'))",
    message = "spec.onePacket: one-packet scheduling applies to UDP ports only",
    fieldPath = ".onePacket",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.schedulerFlags) || self.schedulerFlags.all(f, (f.startsWith('sh-') && self.scheduler == 'sh') || (f.startsWith('mh-') && self.scheduler == 'mh'))",
    message = "spec.schedulerFlags: sh-* flags need scheduler sh, mh-* flags need scheduler mh",
    fieldPath = ".schedulerFlags",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.persistence) || !has(self.persistence.netmaskPrefixLength) || !has(self.vip) || self.vip.contains(':') || self.persistence.netmaskPrefixLength <= 32",
    message = "spec.persistence.netmaskPrefixLength: at most 32 for an IPv4 vip",
    fieldPath = ".persistence.netmaskPrefixLength",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.ports) || self.ports.all(p, self.ports.exists_one(q, q.port == p.port && (has(q.protocol) ? q.protocol : 'TCP') == (has(p.protocol) ? p.protocol : 'TCP')))",
    message = "spec.ports: each port/protocol pair may appear only once",
    fieldPath = ".ports",
    reason = "FieldValueDuplicate")
public record VirtualServiceSpec(
    @JsonPropertyDescription("Virtual IP address clients connect to (IPv4 or IPv6 literal).")
        @Pattern(Patterns.IP)
        String vip,
    @JsonPropertyDescription("Ports on the VIP, each an IPVS service.") @Size(min = 1, max = 64)
        List<ServicePort> ports,
    @JsonPropertyDescription(
            "Firewall mark instead of vip/ports (ipvsadm -f): packets marked by netfilter are balanced.")
        @Min(1)
        @Max(4294967295L)
        Long fwmark,
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
        String tunnelType) {}
