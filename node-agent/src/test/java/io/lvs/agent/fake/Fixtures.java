package io.lvs.agent.fake;

import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Short constructors for test values (198.18.0.0/15 addresses only). */
public final class Fixtures {
  private Fixtures() {}

  public static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  public static ServiceKey tcp(String vip, int port) {
    return ServiceKey.of(IpProtocol.TCP, ip(vip), port);
  }

  public static ServiceKey udp(String vip, int port) {
    return ServiceKey.of(IpProtocol.UDP, ip(vip), port);
  }

  public static IpvsService service(ServiceKey key, String scheduler) {
    return new IpvsService(key, scheduler, 0, 0, 0);
  }

  public static DestinationKey rs(String address, int port) {
    return new DestinationKey(ip(address), port);
  }

  public static Destination dest(String address, int port, ForwardMethod method, int weight) {
    return Destination.of(rs(address, port), method, weight);
  }

  public static DesiredDestination want(String address, int port, ForwardMethod method, int weight) {
    return DesiredDestination.of(dest(address, port, method, weight));
  }

  public static DesiredDestination draining(String address, int port, ForwardMethod method, int weight) {
    return new DesiredDestination(dest(address, port, method, weight), true);
  }

  public static DesiredService desired(String owner, ServiceKey key, String scheduler, DesiredDestination... dests) {
    return DesiredService.of(owner, service(key, scheduler), Arrays.asList(dests));
  }

  public static InterfaceAddress vip(String address, String dev) {
    return new InterfaceAddress(dev, ip(address), 32);
  }
}
