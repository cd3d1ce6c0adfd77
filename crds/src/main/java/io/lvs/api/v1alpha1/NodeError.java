package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A node that failed to program its part, and the kernel's word for why. */
public record NodeError(
    @JsonPropertyDescription("Node name.") String node,
    @JsonPropertyDescription("What failed, with the errno.") String message) {}
