package io.lvs.agent.ipvs;

import io.lvs.agent.genl.GenlFamily;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.Netlink;
import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.netlink.sys.NetlinkSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor of the agent's netlink cost, for benchmarks: requests encoded before the clock starts
 * (with the agent's own codec) into direct buffers, sent on a raw socket, and the answers only
 * walked header by header (errors counted, nothing decoded, nothing allocated per message). What
 * remains is system calls and the kernel's work. Test only.
 */
public final class PreEncoded implements AutoCloseable {
  private final NetlinkSocket socket;
  private final int family;
  private final ByteBuffer rx = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.nativeOrder());
  private int seq = 1_000_000;

  public PreEncoded(String netns) {
    socket = NetlinkSocket.openIn(NetlinkSocket.NETLINK_GENERIC, netns);
    family = GenlFamily.resolve(new NetlinkConnection(socket), IpvsAttrs.IP_VS_GENL_NAME).id();
  }

  /** The commands as datagrams of at most 256 requests, each asking for an ACK (as execute does). */
  public List<ByteBuffer> batches(List<IpvsCommand> commands) {
    List<ByteBuffer> out = new ArrayList<>();
    for (int from = 0; from < commands.size(); from += NetlinkConnection.DEFAULT_MAX_BATCH) {
      AttrWriter w = new AttrWriter(NetlinkConnection.DEFAULT_MAX_BATCH * 128);
      for (IpvsCommand c : commands.subList(from, Math.min(commands.size(), from + NetlinkConnection.DEFAULT_MAX_BATCH))) {
        int s = w.beginMessage(family, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, seq++, 0);
        if (c instanceof IpvsCommand.AddService a) {
          IpvsCodec.header(w, IpvsAttrs.IPVS_CMD_NEW_SERVICE);
          IpvsCodec.writeService(w, a.service().key(), a.service());
        } else if (c instanceof IpvsCommand.AddDestination a) {
          IpvsCodec.header(w, IpvsAttrs.IPVS_CMD_NEW_DEST);
          IpvsCodec.writeService(w, a.service(), null);
          IpvsCodec.writeDestination(w, a.destination().key(), a.destination());
        } else {
          throw new IllegalArgumentException("not pre-encoded: " + c);
        }
        w.endMessage(s);
      }
      out.add(direct(w));
    }
    return out;
  }

  /** One GET_DEST dump request per service, plus the GET_SERVICE dump first: a whole-table read. */
  public List<ByteBuffer> tableRead(List<ServiceKey> services) {
    List<ByteBuffer> out = new ArrayList<>(services.size() + 1);
    AttrWriter all = new AttrWriter();
    int s0 = all.beginMessage(family, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, seq++, 0);
    IpvsCodec.header(all, IpvsAttrs.IPVS_CMD_GET_SERVICE);
    all.endMessage(s0);
    out.add(direct(all));
    for (ServiceKey k : services) {
      AttrWriter w = new AttrWriter(64);
      int s = w.beginMessage(family, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, seq++, 0);
      IpvsCodec.header(w, IpvsAttrs.IPVS_CMD_GET_DEST);
      IpvsCodec.writeService(w, k, null);
      w.endMessage(s);
      out.add(direct(w));
    }
    return out;
  }

  /** Sends each batch and waits for its ACKs; returns how many requests the kernel refused. */
  public int runBatches(List<ByteBuffer> batches) {
    int refused = 0;
    for (ByteBuffer b : batches) {
      int pending = count(b);
      socket.send(b.duplicate());
      while (pending > 0) {
        int n = socket.receive(rx);
        for (int at = 0; at < n; at += align(rx.getInt(at))) {
          if (rx.getShort(at + 4) == Netlink.NLMSG_ERROR) {
            pending--;
            refused += rx.getInt(at + 16) == 0 ? 0 : 1;
          }
        }
      }
    }
    return refused;
  }

  /** Runs each dump to its NLMSG_DONE; returns the number of answer messages (objects read). */
  public int runDumps(List<ByteBuffer> dumps) {
    int objects = 0;
    for (ByteBuffer b : dumps) {
      socket.send(b.duplicate());
      boolean done = false;
      while (!done) {
        int n = socket.receive(rx);
        for (int at = 0; at < n; at += align(rx.getInt(at))) {
          short type = rx.getShort(at + 4);
          if (type == Netlink.NLMSG_DONE || type == Netlink.NLMSG_ERROR) {
            if (rx.getInt(at + 16) != 0) {
              throw new IllegalStateException("dump refused: errno " + -rx.getInt(at + 16));
            }
            done = type == Netlink.NLMSG_DONE;
          } else {
            objects++;
          }
        }
      }
    }
    return objects;
  }

  private static int count(ByteBuffer b) {
    ByteBuffer x = b.duplicate().order(ByteOrder.nativeOrder());
    int n = 0;
    for (int at = 0; at < x.limit(); at += align(x.getInt(at))) {
      n++;
    }
    return n;
  }

  private static int align(int len) {
    return (len + 3) & ~3;
  }

  private static ByteBuffer direct(AttrWriter w) {
    ByteBuffer heap = w.toBuffer();
    ByteBuffer d = ByteBuffer.allocateDirect(heap.remaining()).order(ByteOrder.nativeOrder());
    d.put(heap).flip();
    return d;
  }

  @Override
  public void close() {
    socket.close();
  }
}
