package io.lvs.agent.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A transport for reply-loop tests: records each sent datagram and answers it with datagrams a
 * script computes from the sent bytes (as the kernel would). Receiving with nothing queued fails
 * the test instead of blocking.
 */
public final class ScriptedTransport implements NetlinkTransport {
  public static final int PORT = 4242;
  private final Function<List<NlMessage>, List<byte[]>> script;
  private final Deque<byte[]> queued = new ArrayDeque<>();
  public final List<byte[]> sent = new ArrayList<>();

  public ScriptedTransport(Function<List<NlMessage>, List<byte[]>> script) {
    this.script = script;
  }

  @Override
  public int portId() {
    return PORT;
  }

  @Override
  public void send(ByteBuffer datagram) {
    byte[] b = new byte[datagram.remaining()];
    datagram.duplicate().get(b);
    sent.add(b);
    queued.addAll(script.apply(NlMessage.parseAll(ByteBuffer.wrap(b))));
  }

  @Override
  public int receive(ByteBuffer into) {
    byte[] next = queued.poll();
    if (next == null) {
      throw new AssertionError("receive with no reply queued: the loop would block forever");
    }
    into.clear();
    into.put(next);
    return next.length;
  }

  @Override
  public int receiveNow(ByteBuffer into) {
    return queued.isEmpty() ? -1 : receive(into);
  }

  @Override
  public void close() {}

  /** An NLMSG_ERROR answering {@code req} (error 0 = ACK), capped, with optional extack text. */
  public static byte[] ack(NlMessage req, int error, String extack) {
    AttrWriter w = new AttrWriter();
    int flags = Netlink.NLM_F_CAPPED | (extack == null ? 0 : Netlink.NLM_F_ACK_TLVS);
    int start = w.beginMessage(Netlink.NLMSG_ERROR, flags, req.seq(), PORT);
    w.u32(error).u32(Netlink.NLMSG_HDRLEN + req.payload().remaining()).u16(req.type()).u16(req.flags())
        .u32(req.seq()).u32(req.portId());
    if (extack != null) {
      w.putString(Netlink.NLMSGERR_ATTR_MSG, extack);
    }
    w.endMessage(start);
    return w.toArray();
  }

  /** Concatenates datagram parts into one datagram. */
  public static byte[] concat(List<byte[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    ByteBuffer b = ByteBuffer.allocate(n);
    parts.forEach(b::put);
    return b.array();
  }
}
