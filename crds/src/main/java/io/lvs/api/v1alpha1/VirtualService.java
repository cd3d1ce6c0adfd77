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

/** An IPVS virtual service: a VIP (or fwmark) balanced over a RealServerPool. */
@Group(VirtualService.GROUP)
@Version(VirtualService.VERSION)
@Kind("VirtualService")
@Plural("virtualservices")
@Singular("virtualservice")
@ShortNames({"lvsvs"})
@Categories({"lvs"})
// kubectl shows the columns in this order (the generator sorts them; GeneratedFilesTest restores
// the declaration order). SERVERS and NODES only with -o wide.
@AdditionalPrinterColumn(name = "VIP", jsonPath = ".spec.vip", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "PORTS", jsonPath = ".status.ports", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "MODE", jsonPath = ".spec.forwarding", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "SCHEDULER", jsonPath = ".spec.scheduler", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "DIRECTOR", jsonPath = ".status.activeDirector", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "SERVERS", jsonPath = ".status.readyRealServers", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "NODES", jsonPath = ".status.nodes.summary", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
public class VirtualService extends CustomResource<VirtualServiceSpec, VirtualServiceStatus>
    implements Namespaced {
  public static final String GROUP = "lvs.io";
  public static final String VERSION = "v1alpha1";
}
