package io.lvs.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** The real servers behind one or more VirtualServices. */
@Group(VirtualService.GROUP)
@Version(VirtualService.VERSION)
@Kind("RealServerPool")
@Plural("realserverpools")
@Singular("realserverpool")
@ShortNames({"rsp"})
@Categories({"lvs"})
@AdditionalPrinterColumn(name = "MEMBERS", jsonPath = ".status.readyMembers", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "SERVICE", jsonPath = ".spec.serviceRef.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class RealServerPool extends CustomResource<RealServerPoolSpec, RealServerPoolStatus>
    implements Namespaced {}
