package io.lvs.operator.publish;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.resolve.EndpointSliceCandidates;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a VirtualService with {@code publishService: true} publishes, as plain objects: a
 * selectorless headless Service with its name (so cluster DNS answers NAME.NAMESPACE.svc) and one
 * EndpointSlice carrying the vip and ports. Selectorless, so no controller computes endpoints for
 * it; the slice's managed-by label tells the EndpointSlice controllers it is not theirs. Both are
 * owned by the VirtualService (garbage-collected with it).
 */
public record PublishedService(Service service, EndpointSlice slice) {
  /** The value kube-proxy, CoreDNS and the EndpointSlice controllers read as "not mine". */
  public static final String MANAGED_BY = EndpointSliceCandidates.OWN_MANAGER;
  static final String SLICE_MANAGED_BY_LABEL = EndpointSliceCandidates.MANAGED_BY_LABEL;
  static final String SERVICE_NAME_LABEL = EndpointSliceCandidates.SERVICE_NAME_LABEL;
  static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  /** A Service name is a DNS-1035 label: a VirtualService name may be longer or start with a digit. */
  private static final Pattern DNS_1035 = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");

  /** Whether a Service can carry this VirtualService's name. */
  public static boolean nameUsable(String name) {
    return DNS_1035.matcher(name).matches();
  }

  /** The slice's name: the Service's, with a suffix no EndpointSlice controller generates. */
  public static String sliceName(String vsName) {
    return vsName + "-lvs";
  }

  public static PublishedService of(VirtualService vs) {
    String name = vs.getMetadata().getName();
    String ns = vs.getMetadata().getNamespace();
    OwnerReference owner = owner(vs);
    List<ServicePort> ports = vs.getSpec().ports() == null ? List.of() : vs.getSpec().ports();
    ServiceBuilder svc = new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).withLabels(Map.of(MANAGED_BY_LABEL, MANAGED_BY))
        .withOwnerReferences(owner).endMetadata()
        .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true).endSpec();
    EndpointSliceBuilder slice = new EndpointSliceBuilder()
        .withNewMetadata().withName(sliceName(name)).withNamespace(ns)
        .withLabels(Map.of(SLICE_MANAGED_BY_LABEL, MANAGED_BY, SERVICE_NAME_LABEL, name))
        .withOwnerReferences(owner).endMetadata()
        .withAddressType(vs.getSpec().vip().contains(":") ? "IPv6" : "IPv4")
        .addNewEndpoint().withAddresses(vs.getSpec().vip()).withNewConditions().withReady(true).endConditions().endEndpoint();
    for (ServicePort p : ports) {
      String protocol = (p.protocol() == null ? Protocol.TCP : p.protocol()).name();
      String portName = portName(p, protocol);
      svc.editSpec().addToPorts(new ServicePortBuilder().withName(portName).withPort(p.port()).withProtocol(protocol)
          .withTargetPort(new IntOrString(p.port())).build()).endSpec();
      slice.addNewPort().withName(portName).withPort(p.port()).withProtocol(protocol).endPort();
    }
    return new PublishedService(svc.build(), slice.build());
  }

  /** The port's own name, else protocol and number ("tcp-80"): Services with several ports need names. */
  static String portName(ServicePort p, String protocol) {
    return p.name() != null ? p.name() : protocol.toLowerCase(Locale.ROOT) + "-" + p.port();
  }

  static OwnerReference owner(VirtualService vs) {
    return new OwnerReferenceBuilder().withApiVersion(vs.getApiVersion()).withKind(vs.getKind())
        .withName(vs.getMetadata().getName()).withUid(vs.getMetadata().getUid()).withController(true).build();
  }

  /** Whether {@code o} is this VirtualService's own (its controller owner reference names its uid). */
  public static boolean ownedBy(HasMetadata o, VirtualService vs) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    return refs != null && refs.stream().anyMatch(r -> vs.getMetadata().getUid().equals(r.getUid()));
  }
}
