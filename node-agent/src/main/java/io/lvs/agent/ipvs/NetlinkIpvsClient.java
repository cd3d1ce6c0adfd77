package io.lvs.agent.ipvs;

import static io.lvs.agent.ipvs.IpvsAttrs.*;

import io.lvs.agent.genl.Genl;
import io.lvs.agent.genl.GenlFamily;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.MalformedMessageException;
import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.netlink.NetlinkException;
import io.lvs.agent.netlink.NlMessage;
import io.lvs.agent.netlink.NlRequest;
import io.lvs.agent.netlink.sys.NetlinkSocket;
import io.lvs.agent.netlink.sys.Netns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * {@link IpvsClient} over the generic netlink family "IPVS" (the one ipvsadm uses). The family id
 * is resolved once through nlctrl. Calls are serialised: one connection, one request in flight.
 */
public final class NetlinkIpvsClient implements IpvsClient, AutoCloseable {
  private final NetlinkConnection conn;
  private final int familyId;
  /** /proc/net/ip_vs of the client's namespace; null when it could not be opened. */
  private final ProcIpvsTable text;

  public NetlinkIpvsClient(NetlinkConnection conn) {
    this(conn, GenlFamily.resolve(conn, IP_VS_GENL_NAME).id(), null);
  }

  private NetlinkIpvsClient(NetlinkConnection conn, int familyId, ProcIpvsTable text) {
    this.conn = conn;
    this.familyId = familyId;
    this.text = text;
  }

  /** A client on a new NETLINK_GENERIC socket in the given network namespace (null: current). */
  public static NetlinkIpvsClient open(String netns) {
    NetlinkConnection c = new NetlinkConnection(NetlinkSocket.openIn(NetlinkSocket.NETLINK_GENERIC, netns));
    try {
      int family = GenlFamily.resolve(c, IP_VS_GENL_NAME).id(); // loads ip_vs, which adds the file
      return new NetlinkIpvsClient(c, family, openText(netns));
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The namespace's /proc/net/ip_vs, opened by a thread inside it (the open file stays bound to it). */
  private static ProcIpvsTable openText(String netns) {
    ProcIpvsTable[] out = new ProcIpvsTable[1];
    try {
      Netns.createIn(netns, "open /proc/net/ip_vs", () -> {
        try {
          out[0] = ProcIpvsTable.open(Path.of("/proc/thread-self/net/ip_vs"));
        } catch (IOException e) {
          LoggerFactory.getLogger(NetlinkIpvsClient.class).warn("no /proc/net/ip_vs, the resync dumps every service: {}", e.toString());
        }
        return 0;
      });
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(NetlinkIpvsClient.class).warn("no /proc/net/ip_vs, the resync dumps every service: {}", e.toString());
    }
    return out[0];
  }

  @Override
  public synchronized List<ObservedService> dump() {
    List<ObservedService> services = dumpServices(); // decoded first: the service dump's datagrams are not held through the rest
    List<ObservedService> out = new ArrayList<>(services.size());
    for (ObservedService s : services) {
      out.add(new ObservedService(s.service(), s.stats(), destinations(s.service().key())));
    }
    return out;
  }

  @Override
  public synchronized List<ObservedService> dumpServices() {
    List<NlMessage> msgs = conn.dump(request("list services", "", IPVS_CMD_GET_SERVICE, w -> {}));
    List<ObservedService> out = new ArrayList<>(msgs.size());
    for (NlMessage m : msgs) {
      IpvsCodec.DecodedService s = IpvsCodec.decodeService(m);
      out.add(new ObservedService(s.service(), s.stats(), List.of()));
    }
    return out;
  }

  @Override
  public boolean textTable(BiConsumer<ServiceKey, List<ProcIpvsTable.Row>> perService) {
    if (text == null) {
      return false;
    }
    text.read(perService);
    return true;
  }

  @Override
  public List<ObservedDestination> dumpDestinations(ServiceKey key) {
    return destinations(key);
  }

  /** IPVS_CMD_GET_DEST dump of one service. */
  public synchronized List<ObservedDestination> destinations(ServiceKey key) {
    List<NlMessage> msgs = conn.dump(request("list destinations of", key.toString(), IPVS_CMD_GET_DEST,
        w -> IpvsCodec.writeService(w, key, null)));
    List<ObservedDestination> out = new ArrayList<>(msgs.size());
    for (NlMessage m : msgs) {
      out.add(IpvsCodec.decodeDestination(m, key.family()));
    }
    return out;
  }

  /** IPVS_CMD_GET_SERVICE for one service: its config and counters; empty if there is none. */
  public synchronized Optional<IpvsCodec.DecodedService> service(ServiceKey key) {
    try {
      List<NlMessage> r = conn.request(request("get service", key.toString(), IPVS_CMD_GET_SERVICE,
          w -> IpvsCodec.writeService(w, key, null)));
      return r.isEmpty() ? Optional.empty() : Optional.of(IpvsCodec.decodeService(r.get(0)));
    } catch (NetlinkException e) {
      if (e.errno() == io.lvs.agent.netlink.Errno.ESRCH) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void addService(IpvsService service) {
    one(new IpvsCommand.AddService(service));
  }

  @Override
  public void updateService(IpvsService service) {
    one(new IpvsCommand.UpdateService(service));
  }

  @Override
  public void deleteService(ServiceKey key) {
    one(new IpvsCommand.DeleteService(key));
  }

  @Override
  public void addDestination(ServiceKey service, Destination destination) {
    one(new IpvsCommand.AddDestination(service, destination));
  }

  @Override
  public void updateDestination(ServiceKey service, Destination destination) {
    one(new IpvsCommand.UpdateDestination(service, destination));
  }

  @Override
  public void deleteDestination(ServiceKey service, DestinationKey destination) {
    one(new IpvsCommand.DeleteDestination(service, destination));
  }

  /** Many commands per datagram (NetlinkConnection.batch), one result per command, in order. */
  @Override
  public synchronized List<Optional<NetlinkException>> execute(List<IpvsCommand> commands) {
    List<NlRequest> reqs = new ArrayList<>(commands.size());
    for (IpvsCommand c : commands) {
      reqs.add(toRequest(c));
    }
    List<Optional<NetlinkException>> results = conn.batch(reqs);
    List<Optional<NetlinkException>> explained = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      IpvsCommand c = commands.get(i);
      explained.add(results.get(i).map(e -> explain(c, e)));
    }
    return explained;
  }

  private synchronized void one(IpvsCommand c) {
    try {
      conn.request(toRequest(c));
    } catch (NetlinkException e) {
      throw explain(c, e);
    }
  }

  /**
   * ENOENT to adding or changing a service means the kernel has no scheduler of that name: it
   * looks the scheduler up first and, failing to load module ip_vs_NAME, answers ENOENT (a
   * persistence engine could too, but none is ever sent). A missing service is ESRCH.
   */
  static NetlinkException explain(IpvsCommand c, NetlinkException e) {
    IpvsService s = c instanceof IpvsCommand.AddService a ? a.service()
        : c instanceof IpvsCommand.UpdateService u ? u.service() : null;
    if (s == null || e.errno() != io.lvs.agent.netlink.Errno.ENOENT) {
      return e;
    }
    return e.explained("no scheduler \"" + s.scheduler() + "\" in this kernel (module ip_vs_" + s.scheduler()
        + " is neither loaded nor loadable)");
  }

  /** The request of one command; public so codec tests can pin its bytes. */
  public NlRequest toRequest(IpvsCommand c) {
    if (c instanceof IpvsCommand.AddService a) {
      return request(c, IPVS_CMD_NEW_SERVICE, w -> IpvsCodec.writeService(w, a.service().key(), a.service()));
    } else if (c instanceof IpvsCommand.UpdateService u) {
      return request(c, IPVS_CMD_SET_SERVICE, w -> IpvsCodec.writeService(w, u.service().key(), u.service()));
    } else if (c instanceof IpvsCommand.DeleteService d) {
      return request(c, IPVS_CMD_DEL_SERVICE, w -> IpvsCodec.writeService(w, d.key(), null));
    } else if (c instanceof IpvsCommand.AddDestination a) {
      return request(c, IPVS_CMD_NEW_DEST, w -> {
        IpvsCodec.writeService(w, a.service(), null);
        IpvsCodec.writeDestination(w, a.destination().key(), a.destination());
      });
    } else if (c instanceof IpvsCommand.UpdateDestination u) {
      return request(c, IPVS_CMD_SET_DEST, w -> {
        IpvsCodec.writeService(w, u.service(), null);
        IpvsCodec.writeDestination(w, u.destination().key(), u.destination());
      });
    } else if (c instanceof IpvsCommand.DeleteDestination d) {
      return request(c, IPVS_CMD_DEL_DEST, w -> {
        IpvsCodec.writeService(w, d.service(), null);
        IpvsCodec.writeDestination(w, d.destination(), null);
      });
    }
    throw new IllegalArgumentException("unknown IPVS command " + c);
  }

  @Override
  public synchronized IpvsInfo info() {
    AttrReader a = single(request("get IPVS info", "", IPVS_CMD_GET_INFO, w -> {}));
    return new IpvsInfo((int) a.u32(IPVS_INFO_ATTR_VERSION), (int) a.u32(IPVS_INFO_ATTR_CONN_TAB_SIZE));
  }

  @Override
  public synchronized IpvsTimeouts timeouts() {
    AttrReader a = single(request("get IPVS timeouts", "", IPVS_CMD_GET_CONFIG, w -> {}));
    return new IpvsTimeouts((int) a.uintOr(IPVS_CMD_ATTR_TIMEOUT_TCP, 0),
        (int) a.uintOr(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, 0), (int) a.uintOr(IPVS_CMD_ATTR_TIMEOUT_UDP, 0));
  }

  @Override
  public synchronized void setTimeouts(IpvsTimeouts t) {
    conn.request(request("set IPVS timeouts", "tcp " + t.tcpSeconds() + " tcpfin " + t.tcpFinSeconds() + " udp "
        + t.udpSeconds(), IPVS_CMD_SET_CONFIG, w -> {
          w.putU32(IPVS_CMD_ATTR_TIMEOUT_TCP, t.tcpSeconds());
          w.putU32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFinSeconds());
          w.putU32(IPVS_CMD_ATTR_TIMEOUT_UDP, t.udpSeconds());
        }));
  }

  @Override
  public synchronized List<SyncDaemon> daemons() {
    List<SyncDaemon> out = new ArrayList<>();
    for (NlMessage m : conn.dump(request("list sync daemons", "", IPVS_CMD_GET_DAEMON, w -> {}))) {
      AttrReader d = m.attrs(Genl.GENL_HDRLEN).nested(IPVS_CMD_ATTR_DAEMON);
      int state = (int) d.u32(IPVS_DAEMON_ATTR_STATE);
      SyncDaemon.State s = state == SyncDaemon.State.MASTER.value() ? SyncDaemon.State.MASTER
          : state == SyncDaemon.State.BACKUP.value() ? SyncDaemon.State.BACKUP : null;
      if (s == null) {
        throw new MalformedMessageException("sync daemon state " + state);
      }
      out.add(new SyncDaemon(s, d.string(IPVS_DAEMON_ATTR_MCAST_IFN), (int) d.u32(IPVS_DAEMON_ATTR_SYNC_ID)));
    }
    return out;
  }

  @Override
  public synchronized void startDaemon(SyncDaemon d) {
    conn.request(request("start sync daemon", d.state().name().toLowerCase(java.util.Locale.ROOT) + " on "
        + d.interfaceName() + " syncid " + d.syncId(), IPVS_CMD_NEW_DAEMON, w -> {
          int n = w.beginNested(IPVS_CMD_ATTR_DAEMON);
          w.putU32(IPVS_DAEMON_ATTR_STATE, d.state().value());
          w.putString(IPVS_DAEMON_ATTR_MCAST_IFN, d.interfaceName());
          w.putU32(IPVS_DAEMON_ATTR_SYNC_ID, d.syncId());
          w.endNested(n);
        }));
  }

  @Override
  public synchronized void stopDaemon(SyncDaemon.State state) {
    conn.request(request("stop sync daemon", state.name().toLowerCase(java.util.Locale.ROOT), IPVS_CMD_DEL_DAEMON,
        w -> {
          int n = w.beginNested(IPVS_CMD_ATTR_DAEMON);
          w.putU32(IPVS_DAEMON_ATTR_STATE, state.value());
          w.endNested(n);
        }));
  }

  private AttrReader single(NlRequest r) {
    List<NlMessage> replies = conn.request(r);
    if (replies.isEmpty()) {
      throw new MalformedMessageException("no reply to " + r.operation());
    }
    return replies.get(0).attrs(Genl.GENL_HDRLEN);
  }

  private NlRequest request(IpvsCommand c, int cmd, Consumer<AttrWriter> attrs) {
    return request(c.operation(), c.object(), cmd, attrs);
  }

  private NlRequest request(String op, String object, int cmd, Consumer<AttrWriter> attrs) {
    return new NlRequest(op, object, familyId, 0, w -> {
      IpvsCodec.header(w, cmd);
      attrs.accept(w);
    });
  }

  @Override
  public void close() {
    conn.close();
    if (text != null) {
      try {
        text.close();
      } catch (IOException e) {
        // a read-only file: nothing was lost
      }
    }
  }
}
