package io.lvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A dump the kernel flags NLM_F_DUMP_INTR (rtnetlink does when an address or link changes while
 * it is read) is read again: the caller sees the first uninterrupted read, or an error after
 * {@link NetlinkConnection#DUMP_ATTEMPTS} interrupted ones.
 */
class DumpRetryTest {
  static final int RTM_GETADDR = 22;
  static final int RTM_NEWADDR = 20;

  /** Answers each dump request with two parts and DONE; the first {@code interrupted} reads are flagged. */
  static ScriptedTransport kernel(int interrupted, AtomicInteger reads) {
    return new ScriptedTransport(msgs -> {
      NlMessage req = msgs.get(0);
      int n = reads.incrementAndGet();
      int flags = Netlink.NLM_F_MULTI | (n <= interrupted ? Netlink.NLM_F_DUMP_INTR : 0);
      AttrWriter w = new AttrWriter();
      for (int part = 1; part <= 2; part++) {
        int start = w.beginMessage(RTM_NEWADDR, flags, req.seq(), ScriptedTransport.PORT);
        w.u32(n * 10 + part); // the read and part number, so a test can tell which read it got
        w.endMessage(start);
      }
      int done = w.beginMessage(Netlink.NLMSG_DONE, flags, req.seq(), ScriptedTransport.PORT);
      w.u32(0);
      w.endMessage(done);
      return List.of(w.toArray());
    });
  }

  static NlRequest listAddresses() {
    return new NlRequest("list addresses", "", RTM_GETADDR, 0, w -> w.u32(0));
  }

  @Test
  void anInterruptedDumpIsReadAgainAndOnlyTheCleanReadIsReturned() {
    AtomicInteger reads = new AtomicInteger();
    ScriptedTransport t = kernel(2, reads);
    List<NlMessage> parts = new NetlinkConnection(t).dump(listAddresses());
    assertThat(t.sent).as("two interrupted reads, then a clean one").hasSize(3);
    assertThat(parts).extracting(m -> m.payload().getInt(0)).containsExactly(31, 32);
    // each read is a new request with its own sequence number: a late part of an old read is not taken
    assertThat(t.sent).extracting(b -> NlMessage.parseAll(java.nio.ByteBuffer.wrap(b)).get(0).seq())
        .doesNotHaveDuplicates();
  }

  @Test
  void aDumpInterruptedOnEveryReadIsAnErrorNamingTheOperation() {
    AtomicInteger reads = new AtomicInteger();
    ScriptedTransport t = kernel(Integer.MAX_VALUE, reads);
    assertThatThrownBy(() -> new NetlinkConnection(t).dump(listAddresses()))
        .isInstanceOf(DumpInterruptedException.class)
        .hasMessageContaining("list addresses").hasMessageContaining("EINTR");
    assertThat(reads.get()).isEqualTo(NetlinkConnection.DUMP_ATTEMPTS);
  }
}
