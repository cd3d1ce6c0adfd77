package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One pod real server's network namespace as its node's agent found and configured it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer agent may add fields: an older operator reads on
public record PodNamespaceReport(
    @JsonPropertyDescription("The pod IP the namespace was looked up by.") String podIp,
    @JsonPropertyDescription("True when the VIP and the sysctls are in place inside the pod's namespace.") Boolean configured,
    @JsonPropertyDescription("The namespace used (a /proc/PID/ns/net or /run/netns path) and its inode.") String netns,
    @JsonPropertyDescription("Why not configured: no namespace on this node holds the IP, several do, a kernel error.") String reason) {}
