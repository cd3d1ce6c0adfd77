package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Written only by the node's agent: what it read back from the kernel after applying. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record LvsNodeStateStatus(
    Long observedGeneration,
    List<Condition> conditions,
    String lastSyncTime,
    List<OwnerReport> owners,
    List<ServiceReport> services) {}
