package io.lvs.agent.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The request/reply loop over one {@link NetlinkTransport}: sequence numbers, reply matching
 * (seq and port id), NLMSG_ERROR to {@link NetlinkException} with extack text, multipart dumps to
 * NLMSG_DONE, NLM_F_DUMP_INTR to a dump read again, and batches: many requests in
 * one datagram, each with NLM_F_ACK, whose per-message ACKs/errors are collected in order. The
 * kernel runs the messages of one datagram one after another (netlink_rcv_skb) and keeps going
 * after a failed one, so a batch of N costs ceil(N / maxBatch) sends instead of N round trips.
 * Not thread safe by design: callers serialise (the clients synchronise).
 */
public final class NetlinkConnection implements AutoCloseable {
  /** Requests per datagram: bounded so the ACKs (~1 KiB of socket buffer each) always fit. */
  public static final int DEFAULT_MAX_BATCH = 256;
  /**
   * One datagram: the kernel builds dump parts of at most 32 KiB (netlink_recvmsg caps
   * max_recvmsg_len there) and sizes other replies to the message, so 64 KiB holds any of them; a
   * larger one is an EMSGSIZE error, never silently cut. Direct buffers are zeroed, so all of it is
   * resident, and a closed connection's stays until a GC: it was 1 MiB each (docs/benchmarks.md).
   */
  private static final int RECEIVE_BUFFER = 64 << 10;

  /** Reads of one dump before an interrupted one is an error: changes come in bursts, not forever. */
  public static final int DUMP_ATTEMPTS = 5;

  private final NetlinkTransport transport;
  private final ByteBuffer rx = ByteBuffer.allocateDirect(RECEIVE_BUFFER);
  private final int maxBatch;
  private int seq;

  public NetlinkConnection(NetlinkTransport transport) {
    this(transport, DEFAULT_MAX_BATCH, 1);
  }

  public NetlinkConnection(NetlinkTransport transport, int maxBatch, int firstSeq) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch " + maxBatch);
    }
    this.transport = transport;
    this.maxBatch = maxBatch;
    this.seq = firstSeq;
  }

  /** Sends one request with NLM_F_ACK; returns the reply messages before the ACK. */
  public List<NlMessage> request(NlRequest r) {
    AttrWriter w = new AttrWriter();
    int mySeq = write(w, r, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | r.flags());
    transport.send(w.toBuffer());
    List<NlMessage> replies = new ArrayList<>();
    while (true) {
      for (NlMessage m : receive()) {
        if (!mine(m, mySeq)) {
          continue;
        }
        if (m.type() == Netlink.NLMSG_ERROR) {
          NlError e = NlError.parse(m);
          if (!e.isAck()) {
            throw Errno.exception(r.operation(), r.object(), e.error(), e.extack());
          }
          return replies;
        }
        replies.add(m);
      }
    }
  }

  /**
   * Sends a NLM_F_DUMP request; returns every message of the multipart reply. A dump the kernel
   * flags NLM_F_DUMP_INTR (the table changed under it, e.g. an address added meanwhile) is read
   * again, since a dump changes nothing; only {@link #DUMP_ATTEMPTS} interrupted reads in a row
   * raise {@link DumpInterruptedException}.
   */
  public List<NlMessage> dump(NlRequest r) {
    for (int attempt = 1; ; attempt++) {
      try {
        return dumpOnce(r);
      } catch (DumpInterruptedException e) {
        if (attempt == DUMP_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private List<NlMessage> dumpOnce(NlRequest r) {
    AttrWriter w = new AttrWriter();
    int mySeq = write(w, r, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP | r.flags());
    transport.send(w.toBuffer());
    List<NlMessage> replies = new ArrayList<>();
    boolean interrupted = false;
    while (true) {
      for (NlMessage m : receive()) {
        if (!mine(m, mySeq)) {
          continue;
        }
        interrupted |= m.hasFlag(Netlink.NLM_F_DUMP_INTR);
        if (m.type() == Netlink.NLMSG_ERROR || m.type() == Netlink.NLMSG_DONE) {
          NlError e = NlError.parse(m);
          if (!e.isAck()) {
            throw Errno.exception(r.operation(), r.object(), e.error(), e.extack());
          }
          if (m.type() == Netlink.NLMSG_ERROR) {
            continue; // an ACK for the dump request itself; the parts end with NLMSG_DONE
          }
          if (interrupted) {
            throw new DumpInterruptedException(r.operation(), r.object());
          }
          return replies;
        }
        replies.add(m);
      }
    }
  }

  /**
   * Runs the requests in order, several per datagram, each acknowledged on its own. Returns one
   * entry per request, in order: empty when the kernel acknowledged it, else the refusal. A
   * failed request does not stop the later ones (the kernel does not stop either).
   */
  public List<Optional<NetlinkException>> batch(List<NlRequest> requests) {
    List<Optional<NetlinkException>> results = new ArrayList<>(requests.size());
    for (int from = 0; from < requests.size(); from += maxBatch) {
      results.addAll(chunk(requests.subList(from, Math.min(requests.size(), from + maxBatch))));
    }
    return results;
  }

  private List<Optional<NetlinkException>> chunk(List<NlRequest> requests) {
    AttrWriter w = new AttrWriter(requests.size() * 128);
    Map<Integer, Integer> indexBySeq = new HashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      indexBySeq.put(write(w, requests.get(i), Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | requests.get(i).flags()), i);
    }
    transport.send(w.toBuffer());
    List<Optional<NetlinkException>> out = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      out.add(null);
    }
    int pending = requests.size();
    while (pending > 0) {
      for (NlMessage m : receive()) {
        Integer i = indexBySeq.get(m.seq());
        if (i == null || m.type() != Netlink.NLMSG_ERROR || out.get(i) != null) {
          continue; // stale, or a reply the batch did not ask for
        }
        checkPort(m);
        NlError e = NlError.parse(m);
        NlRequest r = requests.get(i);
        out.set(i, e.isAck() ? Optional.empty() : Optional.of(Errno.exception(r.operation(), r.object(), e.error(), e.extack())));
        pending--;
      }
    }
    return out;
  }

  /**
   * Sends {@code begin}, the body and {@code end} in one datagram as one all-or-nothing batch
   * (nfnetlink's BATCH_BEGIN/BATCH_END). No message asks for an ACK: the kernel processes the
   * batch inside sendmsg (nfnetlink_rcv_batch), so when send returns every error is already
   * queued, and a committed batch answers nothing. Throws the refusal of the first failing
   * message (the kernel then aborted the whole batch).
   */
  public void transaction(NlRequest begin, List<NlRequest> body, NlRequest end) {
    AttrWriter w = new AttrWriter(256 + body.size() * 256);
    Map<Integer, NlRequest> bySeq = new HashMap<>();
    Map<Integer, Integer> indexBySeq = new HashMap<>();
    int beginSeq = write(w, begin, Netlink.NLM_F_REQUEST | begin.flags());
    bySeq.put(beginSeq, begin);
    indexBySeq.put(beginSeq, -1);
    for (int i = 0; i < body.size(); i++) {
      int s = write(w, body.get(i), Netlink.NLM_F_REQUEST | body.get(i).flags());
      bySeq.put(s, body.get(i));
      indexBySeq.put(s, i);
    }
    int endSeq = write(w, end, Netlink.NLM_F_REQUEST | end.flags());
    bySeq.put(endSeq, end);
    indexBySeq.put(endSeq, body.size());
    transport.send(w.toBuffer());
    NetlinkException first = null;
    int firstIndex = Integer.MAX_VALUE;
    int n;
    while ((n = transport.receiveNow(rx)) >= 0) {
      ByteBuffer d = ByteBuffer.allocate(n);
      d.put(rx.duplicate().position(0).limit(n)).flip();
      for (NlMessage m : NlMessage.parseAll(d)) {
        NlRequest r = bySeq.get(m.seq());
        if (r == null || m.type() != Netlink.NLMSG_ERROR) {
          continue;
        }
        checkPort(m);
        NlError e = NlError.parse(m);
        if (!e.isAck() && indexBySeq.get(m.seq()) < firstIndex) {
          firstIndex = indexBySeq.get(m.seq());
          first = Errno.exception(r.operation(), r.object(), e.error(), e.extack());
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private int write(AttrWriter w, NlRequest r, int flags) {
    int s = seq++;
    if (seq == 0) {
      seq = 1; // seq 0 is what the kernel uses for unsolicited messages
    }
    int start = w.beginMessage(r.type(), flags, s, 0);
    r.body().accept(w);
    w.endMessage(start);
    return s;
  }

  private boolean mine(NlMessage m, int mySeq) {
    if (m.seq() != mySeq) {
      return false; // a late answer to an earlier request that gave up; not ours now
    }
    checkPort(m);
    return true;
  }

  private void checkPort(NlMessage m) {
    if (m.portId() != transport.portId() && m.portId() != 0) {
      throw new MalformedMessageException("reply for port " + m.portId() + " on port " + transport.portId());
    }
  }

  private List<NlMessage> receive() {
    int n = transport.receive(rx);
    // Copied out: rx is reused by the next receive while a dump still holds earlier parts.
    ByteBuffer d = ByteBuffer.allocate(n);
    d.put(rx.duplicate().position(0).limit(n)).flip();
    List<NlMessage> msgs = NlMessage.parseAll(d);
    for (NlMessage m : msgs) {
      if (m.type() == Netlink.NLMSG_OVERRUN) {
        throw new MalformedMessageException("NLMSG_OVERRUN: the kernel dropped data");
      }
    }
    return msgs;
  }

  @Override
  public void close() {
    transport.close();
  }
}
