package io.lvs.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Node-level IPVS settings for the nodes a label selector picks: the connection timeouts
 * ({@code ipvsadm --set tcp tcpfin udp}). Cluster-scoped: the settings belong to a node's kernel,
 * not to any namespace. Spec by the user, status by the operator.
 */
@Group(VirtualService.GROUP)
@Version(VirtualService.VERSION)
@Kind("LvsNodeConfig")
@Plural("lvsnodeconfigs")
@Singular("lvsnodeconfig")
@ShortNames({"lvsnc"})
@Categories({"lvs"})
@AdditionalPrinterColumn(name = "NODES", jsonPath = ".status.matchedNodes", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "APPLIED", jsonPath = ".status.appliedNodes", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "CONFLICT", jsonPath = ".status.conditions[?(@.type==\"Conflict\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "TCP", jsonPath = ".spec.timeouts.tcpSeconds", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "TCPFIN", jsonPath = ".spec.timeouts.tcpFinSeconds", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "UDP", jsonPath = ".spec.timeouts.udpSeconds", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
public class LvsNodeConfig extends CustomResource<LvsNodeConfigSpec, LvsNodeConfigStatus> {}
