package io.lvs.agent.kernellab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ipvsadm -Ln} parsed, as the oracle reads it: each virtual service ("TCP 198.18.3.1:80",
 * "FWM 7") with its scheduler, its flag words (persistent, ops, sh-port ...) and its destinations
 * as "ADDRESS:PORT FORWARD WEIGHT" (e.g. "198.18.3.101:8080 Masq 2"). Tests only.
 */
public record IpvsadmListing(Map<String, Service> services) {
  public record Service(String scheduler, List<String> flags, List<String> destinations) {}

  /** {@code ipvsadm -Ln} run in the network namespace and parsed. */
  public static IpvsadmListing of(String netns) {
    return parse(Oracle.in(netns, "ipvsadm", "-Ln"));
  }

  public static IpvsadmListing parse(String text) {
    Map<String, Service> services = new LinkedHashMap<>();
    List<String> dests = null;
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && f[0].matches("TCP|UDP|SCTP|FWM")) {
        dests = new ArrayList<>();
        services.put(f[0] + " " + f[1], new Service(f[2], List.copyOf(Arrays.asList(f).subList(3, f.length)), dests));
      } else if (f.length >= 4 && f[0].equals("->") && dests != null && !f[1].equals("RemoteAddress:Port")) {
        dests.add(f[1] + " " + f[2] + " " + f[3]);
      }
    }
    return new IpvsadmListing(services);
  }

  public Service service(String key) {
    Service s = services.get(key);
    if (s == null) {
      throw new AssertionError("no service " + key + " in ipvsadm -Ln: " + services.keySet());
    }
    return s;
  }
}
