package io.lvs.agent.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One HTTP/1.0 GET on a fresh TCP connection (so IPVS schedules each one anew); returns the body. */
final class HttpProbe {
  private HttpProbe() {}

  /** One exchange: the client's own address and port (how IPVS's connection table names it), the body. */
  record Answer(String client, String body) {}

  static String get(String host, int port) {
    return exchange(host, port).body();
  }

  static Answer exchange(String host, int port) {
    return exchange(host, port, 0);
  }

  /**
   * As {@link #exchange(String, int)} from local port {@code localPort} (0: the kernel's choice),
   * for a caller that must name each connection by a port it never reuses.
   */
  static Answer exchange(String host, int port, int localPort) {
    try (Socket s = new Socket()) {
      if (localPort != 0) {
        s.bind(new InetSocketAddress(localPort));
      }
      s.connect(new InetSocketAddress(host, port), 3000);
      s.setSoTimeout(3000);
      OutputStream out = s.getOutputStream();
      out.write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      int body = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.") || body < 0) {
        throw new AssertionError("not an HTTP response from " + host + ":" + port + ": " + response);
      }
      return new Answer(s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort(), response.substring(body + 4).trim());
    } catch (IOException e) {
      throw new AssertionError("GET http://" + host + ":" + port + "/ failed: " + e, e);
    }
  }
}
