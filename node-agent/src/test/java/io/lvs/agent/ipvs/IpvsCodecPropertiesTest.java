package io.lvs.agent.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.genl.Genl;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.Family;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import io.lvs.agent.model.TunnelType;
import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.MalformedMessageException;
import io.lvs.agent.netlink.NlMessage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * decode(encode(x)) == x for random services, destinations and counters: what the client sends is
 * what it reads back when the kernel echoes the same attributes in a dump (ip_vs_genl_fill_*).
 */
class IpvsCodecPropertiesTest {
  @Property(tries = 300)
  void serviceRoundTrips(@ForAll("services") IpvsService svc, @ForAll("stats") Stats stats) {
    AttrWriter w = new AttrWriter();
    int m = w.beginMessage(0x2a, 2, 1, 0);
    IpvsCodec.header(w, IpvsAttrs.IPVS_CMD_NEW_SERVICE);
    int n = w.beginNested(IpvsAttrs.IPVS_CMD_ATTR_SERVICE);
    AttrWriter inner = new AttrWriter();
    IpvsCodec.writeService(inner, svc.key(), svc);
    // splice the service's attributes (without their nest header) and append the kernel's stats
    byte[] body = inner.toArray();
    w.raw(java.util.Arrays.copyOfRange(body, 4, body.length));
    IpvsCodec.writeStats64(w, IpvsAttrs.IPVS_SVC_ATTR_STATS64, stats);
    w.endNested(n);
    w.endMessage(m);
    IpvsCodec.DecodedService d = IpvsCodec.decodeService(NlMessage.parseAll(w.toBuffer()).get(0));
    assertThat(d.service()).isEqualTo(svc);
    assertThat(d.stats()).isEqualTo(stats);
  }

  @Property(tries = 300)
  void destinationRoundTrips(@ForAll("destinations") Destination dest) {
    AttrWriter w = new AttrWriter();
    int m = w.beginMessage(0x2a, 2, 1, 0);
    IpvsCodec.header(w, IpvsAttrs.IPVS_CMD_NEW_DEST);
    IpvsCodec.writeDestination(w, dest.key(), dest);
    w.endMessage(m);
    ObservedDestination o = IpvsCodec.decodeDestination(NlMessage.parseAll(w.toBuffer()).get(0),
        Family.of(dest.key().address()));
    // tunnel attributes travel only for TUN (older kernels refuse them): others read back defaults
    Destination expected = dest.forwardMethod() == ForwardMethod.TUNNEL ? dest
        : new Destination(dest.key(), dest.forwardMethod(), dest.weight(), dest.upperThreshold(),
            dest.lowerThreshold(), TunnelType.IPIP, 0, 0);
    assertThat(o.destination()).isEqualTo(expected);
    assertThat(o.stats()).isEqualTo(Stats.ZERO);
  }

  @Property(tries = 500)
  void randomBytesNeverDecodeToGarbageSilently(@ForAll byte[] junk) {
    AttrWriter w = new AttrWriter();
    int m = w.beginMessage(0x2a, 2, 1, 0);
    IpvsCodec.header(w, IpvsAttrs.IPVS_CMD_NEW_SERVICE);
    w.putBytes(IpvsAttrs.IPVS_CMD_ATTR_SERVICE, junk);
    w.endMessage(m);
    NlMessage msg = NlMessage.parseAll(w.toBuffer()).get(0);
    try {
      IpvsCodec.DecodedService d = IpvsCodec.decodeService(msg);
      // whatever decoded must re-encode to attributes that decode the same
      AttrWriter again = new AttrWriter();
      IpvsCodec.writeService(again, d.service().key(), d.service());
      byte[] b = again.toArray();
      AttrReader r = AttrReader.parse(java.nio.ByteBuffer.wrap(b, 4, b.length - 4));
      assertThat(IpvsCodec.decodeServiceAttrs(r).service()).isEqualTo(d.service());
    } catch (MalformedMessageException | IllegalArgumentException expected) {
      // refused loudly: fine
    }
    assertThat(Genl.GENL_HDRLEN).isEqualTo(4);
  }

  @Provide
  Arbitrary<IpvsService> services() {
    Arbitrary<ServiceKey> keys = Arbitraries.oneOf(
        Combinators.combine(addresses(), Arbitraries.of(IpProtocol.class), Arbitraries.integers().between(0, 65535))
            .as((a, p, port) -> ServiceKey.of(p, a, port)),
        Combinators.combine(Arbitraries.of(Family.class), Arbitraries.longs().between(1, 0xffffffffL))
            .as(ServiceKey::ofFwmark));
    return Combinators.combine(keys, Arbitraries.of("rr", "wrr", "lc", "wlc", "sh", "mh", "dh"),
        Arbitraries.integers().between(0, 0x3f).map(f -> f & ~IpvsService.F_HASHED),
        Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.integers().between(0, 128))
        .as((k, s, f, t, p) -> new IpvsService(k, s, f, t, k.family() == Family.INET ? p % 33 : p));
  }

  @Provide
  Arbitrary<Destination> destinations() {
    Arbitrary<DestinationKey> keys = Combinators.combine(addresses(), Arbitraries.integers().between(0, 65535))
        .as(DestinationKey::new);
    return Combinators.combine(keys, Arbitraries.of(ForwardMethod.MASQ, ForwardMethod.TUNNEL, ForwardMethod.DROUTE,
        ForwardMethod.LOCALNODE), Arbitraries.integers().between(0, 65535), Arbitraries.longs().between(0, 0xffffffffL),
        Arbitraries.longs().between(0, 0xffffffffL), Arbitraries.of(TunnelType.class),
        Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(0, 3))
        .as(Destination::new);
  }

  @Provide
  Arbitrary<Stats> stats() {
    Arbitrary<Long> c = Arbitraries.longs();
    return Combinators.combine(c, c, c, c, c, c, c, c).flatAs((a, b, d, e, f, g, h, i) ->
        Combinators.combine(c, c).as((j, k) -> new Stats(a, b, d, e, f, g, h, i, j, k)));
  }

  static Arbitrary<InetAddress> addresses() {
    return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
        Arbitraries.bytes().array(byte[].class).ofSize(16)).map(b -> {
          try {
            return InetAddress.getByAddress(b);
          } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
