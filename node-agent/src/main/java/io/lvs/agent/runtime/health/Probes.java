package io.lvs.agent.runtime.health;

import io.lvs.agent.model.Endpoints;
import io.lvs.api.v1alpha1.HealthCheckType;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;

/**
 * The real probes: TCP connect, and HTTP GET expecting a status. Each is bounded by the target's
 * timeout (connect and read), so a hung server counts as a failure, not a stuck checker.
 */
public final class Probes implements Probe {
  @Override
  public void check(HealthTarget t) throws IOException {
    if (t.type() == HealthCheckType.HTTP) {
      http(t);
    } else {
      tcp(t);
    }
  }

  static void tcp(HealthTarget t) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(t.address(), t.port()), timeoutMillis(t));
    } catch (IOException e) {
      throw new IOException("TCP connect " + Endpoints.format(t.address(), t.port()) + ": " + e.getMessage(), e);
    }
  }

  static void http(HealthTarget t) throws IOException {
    URL url = URI.create("http://" + Endpoints.format(t.address(), t.port()) + t.path()).toURL();
    HttpURLConnection c = (HttpURLConnection) url.openConnection(java.net.Proxy.NO_PROXY);
    try {
      c.setConnectTimeout(timeoutMillis(t));
      c.setReadTimeout(timeoutMillis(t));
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setRequestProperty("Connection", "close");
      c.setRequestProperty("User-Agent", "lvs-node-agent health check");
      int code;
      try {
        code = c.getResponseCode();
      } catch (IOException e) {
        throw new IOException("GET " + url + ": " + e.getMessage(), e);
      }
      InputStream body = code >= 400 ? c.getErrorStream() : c.getInputStream();
      if (body != null) {
        body.close();
      }
      if (code != t.expectedStatus()) {
        throw new IOException("GET " + url + ": status " + code + ", want " + t.expectedStatus());
      }
    } finally {
      c.disconnect();
    }
  }

  private static int timeoutMillis(HealthTarget t) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, t.timeout().toMillis()));
  }
}
