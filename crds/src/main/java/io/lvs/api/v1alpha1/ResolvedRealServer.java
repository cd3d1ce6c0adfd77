package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One real server as the operator resolved it for a virtual service port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedRealServer(
    String address, Integer port, Integer weight, String node, Boolean ready, Boolean draining) {}
