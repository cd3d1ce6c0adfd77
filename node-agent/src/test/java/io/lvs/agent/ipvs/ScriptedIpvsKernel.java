package io.lvs.agent.ipvs;

import static io.lvs.agent.ipvs.IpvsAttrs.*;

import io.lvs.agent.genl.Genl;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.Family;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.Netlink;
import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.netlink.NlMessage;
import io.lvs.agent.netlink.ScriptedTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IPVS table behind a scripted netlink transport: the real {@link NetlinkIpvsClient} and codec
 * talk to it byte for byte, and it counts what they send (datagrams, requests, dumps by command),
 * so tests can assert how many netlink requests an operation costs. Pure Java, no kernel.
 */
public final class ScriptedIpvsKernel {
  static final int IPVS_ID = 0x2a;
  private final Map<ServiceKey, IpvsService> services = new LinkedHashMap<>();
  private final Map<ServiceKey, Map<DestinationKey, Destination>> dests = new LinkedHashMap<>();
  private final ScriptedTransport transport = new ScriptedTransport(this::answer);
  private int requests;
  private int dumps;
  private final Map<Integer, Integer> byCommand = new LinkedHashMap<>();

  public NetlinkIpvsClient client() {
    return new NetlinkIpvsClient(new NetlinkConnection(transport));
  }

  /** Counters back to zero (after the setup a test does not measure). */
  public void resetCounts() {
    transport.sent.clear();
    requests = 0;
    dumps = 0;
    byCommand.clear();
  }

  public int datagrams() {
    return transport.sent.size();
  }

  public int requests() {
    return requests;
  }

  public int dumps() {
    return dumps;
  }

  /** Requests of one IPVS command (IpvsAttrs.IPVS_CMD_*). */
  public int requests(int command) {
    return byCommand.getOrDefault(command, 0);
  }

  public Map<DestinationKey, Destination> destinations(ServiceKey key) {
    return dests.get(key);
  }

  /** The answer to a GETFAMILY request for "IPVS": family id {@link #IPVS_ID}. */
  static byte[] ipvsFamily(NlMessage request) {
    AttrWriter w = new AttrWriter();
    int start = w.beginMessage(Genl.GENL_ID_CTRL, 0, request.seq(), ScriptedTransport.PORT);
    Genl.header(w, Genl.CTRL_CMD_NEWFAMILY, 2);
    w.putString(Genl.CTRL_ATTR_FAMILY_NAME, "IPVS").putU16(Genl.CTRL_ATTR_FAMILY_ID, IPVS_ID)
        .putU32(Genl.CTRL_ATTR_VERSION, 1).putU32(Genl.CTRL_ATTR_MAXATTR, 6);
    w.endMessage(start);
    return w.toArray();
  }

  private List<byte[]> answer(List<NlMessage> msgs) {
    List<byte[]> out = new ArrayList<>();
    for (NlMessage m : msgs) {
      if (m.type() == Genl.GENL_ID_CTRL) {
        out.add(ipvsFamily(m));
        out.add(ScriptedTransport.ack(m, 0, null));
        continue;
      }
      requests++;
      int cmd = m.payload().get(m.payload().position()) & 0xff;
      byCommand.merge(cmd, 1, Integer::sum);
      if (m.hasFlag(Netlink.NLM_F_DUMP)) {
        dumps++;
        out.add(dump(m, cmd));
      } else {
        out.add(ScriptedTransport.ack(m, -change(m, cmd), null));
      }
    }
    return List.of(ScriptedTransport.concat(out));
  }

  /** Applies a change; its errno (0 = done). */
  private int change(NlMessage m, int cmd) {
    AttrReader a = m.attrs(Genl.GENL_HDRLEN);
    ServiceKey key = key(a.nested(IPVS_CMD_ATTR_SERVICE));
    switch (cmd) {
      case IPVS_CMD_NEW_SERVICE, IPVS_CMD_SET_SERVICE -> {
        services.put(key, IpvsCodec.decodeServiceAttrs(a.nested(IPVS_CMD_ATTR_SERVICE)).service());
        dests.putIfAbsent(key, new LinkedHashMap<>());
      }
      case IPVS_CMD_DEL_SERVICE -> {
        services.remove(key);
        dests.remove(key);
      }
      case IPVS_CMD_NEW_DEST, IPVS_CMD_SET_DEST -> {
        Destination d = IpvsCodec.decodeDestinationAttrs(a.nested(IPVS_CMD_ATTR_DEST), key.family()).destination();
        if (!dests.containsKey(key)) {
          return 3; // ESRCH
        }
        dests.get(key).put(d.key(), d);
      }
      case IPVS_CMD_DEL_DEST -> {
        AttrReader d = a.nested(IPVS_CMD_ATTR_DEST);
        dests.get(key).remove(new DestinationKey(
            IpvsCodec.address(key.family(), d.bytes(IPVS_DEST_ATTR_ADDR)), d.be16(IPVS_DEST_ATTR_PORT)));
      }
      default -> {
        return 95; // EOPNOTSUPP
      }
    }
    return 0;
  }

  private byte[] dump(NlMessage m, int cmd) {
    List<byte[]> parts = new ArrayList<>();
    if (cmd == IPVS_CMD_GET_SERVICE) {
      services.forEach((k, s) -> parts.add(reply(m, IPVS_CMD_NEW_SERVICE, w -> IpvsCodec.writeService(w, k, s))));
    } else if (cmd == IPVS_CMD_GET_DEST) {
      ServiceKey key = key(m.attrs(Genl.GENL_HDRLEN).nested(IPVS_CMD_ATTR_SERVICE));
      dests.getOrDefault(key, Map.of()).forEach((k, d) ->
          parts.add(reply(m, IPVS_CMD_NEW_DEST, w -> IpvsCodec.writeDestination(w, k, d))));
    }
    AttrWriter done = new AttrWriter();
    int s = done.beginMessage(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI, m.seq(), ScriptedTransport.PORT);
    done.u32(0);
    done.endMessage(s);
    parts.add(done.toArray());
    return ScriptedTransport.concat(parts);
  }

  private static byte[] reply(NlMessage req, int cmd, java.util.function.Consumer<AttrWriter> body) {
    AttrWriter w = new AttrWriter();
    int s = w.beginMessage(IPVS_ID, Netlink.NLM_F_MULTI, req.seq(), ScriptedTransport.PORT);
    IpvsCodec.header(w, cmd);
    body.accept(w);
    w.endMessage(s);
    return w.toArray();
  }

  private static ServiceKey key(AttrReader svc) {
    Family family = Family.ofAf(svc.u16(IPVS_SVC_ATTR_AF));
    long fwmark = svc.uintOr(IPVS_SVC_ATTR_FWMARK, 0);
    return fwmark != 0 ? ServiceKey.ofFwmark(family, fwmark)
        : new ServiceKey(family, IpProtocol.ofNumber(svc.u16(IPVS_SVC_ATTR_PROTOCOL)),
            IpvsCodec.address(family, svc.bytes(IPVS_SVC_ATTR_ADDR)), svc.be16(IPVS_SVC_ATTR_PORT), 0);
  }
}
