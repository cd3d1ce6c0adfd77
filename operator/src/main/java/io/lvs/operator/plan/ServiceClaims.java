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

  /**
   * The network of {@code ip}/{@code prefix} (host bits cleared), in one spelling per address; an
   * IPv4-mapped IPv6 literal stays IPv6 (Java would read it as IPv4).
   */
  public static String network(String ip, int prefix) {
    byte[] b;
    try {
      b = InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
    if (ip.contains(":") && b.length == 4) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(b, 0, mapped, 12, 4);
      b = mapped;
    }
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - 8 * i));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return b.length == 16 ? java.net.Inet6Address.getByAddress(null, b, null).getHostAddress()
          : InetAddress.getByAddress(b).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
    }
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
