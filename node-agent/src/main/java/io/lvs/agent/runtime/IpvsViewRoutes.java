package io.lvs.agent.runtime;

import io.lvs.agent.runtime.http.AgentHttpServer;
import io.lvs.agent.view.ServiceView;
import java.util.Map;

/**
 * The read-only IPVS endpoints: {@code /ipvs/services?view=stats|rate|persistent-conn&owner=ns/name}
 * (ipvsadm -Ln layouts) and {@code /ipvs/connections?owner=ns/name} (ipvsadm -Lnc layout). The
 * kubectl-lvs plugin reads them through the API server's pod proxy.
 */
final class IpvsViewRoutes {
  private IpvsViewRoutes() {}

  static void install(AgentHttpServer http, IpvsViews views) {
    http.textRoute("/ipvs/services", q -> views.services(owner(q), ServiceView.parse(q.get("view"))));
    http.textRoute("/ipvs/connections", q -> views.connections(owner(q)));
  }

  private static String owner(Map<String, String> q) {
    String o = q.get("owner");
    if (o == null || o.isEmpty()) {
      return null;
    }
    if (!o.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
      throw new IllegalArgumentException("owner: \"" + o + "\" is not namespace/name of a VirtualService");
    }
    return o;
  }
}
