package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A resolved member: where it came from, its weight, and what the directors think of it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemberStatus(
    String address,
    Integer port,
    Integer weight,
    String source,
    String node,
    Boolean ready,
    String health,
    Boolean draining) {}
