package io.lvs.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Internal, cluster-scoped: one slice of a node's desired state (see io.lvs.api.slices.NodeSlices;
 * a node has one or more, the first named after it). Spec written only by the operator, status
 * only by that node's agent. One writer per object.
 */
@Group(VirtualService.GROUP)
@Version(VirtualService.VERSION)
@Kind("LvsNodeState")
@Plural("lvsnodestates")
@Singular("lvsnodestate")
@ShortNames({"lvsns"})
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".spec.nodeName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "PROGRAMMED", jsonPath = ".status.conditions[?(@.type==\"Programmed\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "SYNCED", jsonPath = ".status.lastSyncTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "SERVICES", jsonPath = ".status.services[*].service", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
public class LvsNodeState extends CustomResource<LvsNodeStateSpec, LvsNodeStateStatus> {}
