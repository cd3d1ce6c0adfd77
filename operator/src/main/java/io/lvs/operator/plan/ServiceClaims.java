package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.AddressFamily;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The IPVS service keys a VirtualService claims, named as a user would read them. */
public final class ServiceClaims {
  private ServiceClaims() {}

  public static List<String> of(VirtualServiceSpec spec) {
    List<String> out = new ArrayList<>();
    if (spec.fwmark() != null) {
      out.add("fwmark " + spec.fwmark() + " " + family(spec));
      return out;
    }
    if (spec.vip() == null || spec.ports() == null) {
      return out;
    }
    String vip = canonical(spec.vip());
    for (ServicePort p : spec.ports()) {
      String ip = vip.contains(":") ? "[" + vip + "]" : vip;
      out.add(ip + ":" + p.port() + "/" + protocol(p));
    }
    return out;
  }

  static Protocol protocol(ServicePort p) {
    return p.protocol() == null ? Protocol.TCP : p.protocol();
  }

  static AddressFamily family(VirtualServiceSpec spec) {
    if (spec.vip() != null) {
      return spec.vip().contains(":") ? AddressFamily.IPv6 : AddressFamily.IPv4;
    }
    return spec.family() == null ? AddressFamily.IPv4 : spec.family();
  }

  /** One spelling per address, so 2001:db8::1 and 2001:DB8:0::1 are the same VIP. */
  public static String canonical(String ip) {
    if (!ip.contains(":")) {
      return ip;
    }
    try {
      return InetAddress.getByName(ip).getHostAddress(); // uncompressed, one form per address
    } catch (UnknownHostException e) {
      return ip.toLowerCase(Locale.ROOT); // literal already validated by the schema
    }
  }
}
