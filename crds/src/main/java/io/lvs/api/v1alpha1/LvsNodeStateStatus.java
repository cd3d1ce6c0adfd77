package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Written only by the node's agent: what it read back from the kernel after applying. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LvsNodeStateStatus(
    Long observedGeneration,
    List<Condition> conditions,
    String lastSyncTime,
    List<OwnerReport> owners,
    List<ServiceReport> services) {}
