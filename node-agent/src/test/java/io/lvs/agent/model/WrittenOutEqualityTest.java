package io.lvs.agent.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The model's written-out equals and hashCode against what a record defines (equal exactly when
 * every component is equal; equal values hash alike): random values and, for each component, a
 * copy differing only there, so a component left out of either method fails.
 */
class WrittenOutEqualityTest {
  final Random random = new Random(17);

  @Test
  void serviceKeys() throws Exception {
    check(ServiceKey.class, r -> r.nextInt(4) == 0
        ? ServiceKey.ofFwmark(Family.values()[r.nextInt(2)], 1 + r.nextInt(3))
        : ServiceKey.of(IpProtocol.values()[r.nextInt(IpProtocol.values().length)], address(r), 80 + r.nextInt(3)));
  }

  @Test
  void destinationKeys() throws Exception {
    check(DestinationKey.class, r -> new DestinationKey(address(r), 80 + r.nextInt(3)));
  }

  @Test
  void destinations() throws Exception {
    check(Destination.class, r -> new Destination(new DestinationKey(address(r), 80 + skewed(r, 2)),
        ForwardMethod.values()[skewed(r, ForwardMethod.values().length)], skewed(r, 3), skewed(r, 3), skewed(r, 3),
        TunnelType.values()[skewed(r, 3)], skewed(r, 3), skewed(r, 3)));
  }

  @Test
  void services() throws Exception {
    check(IpvsService.class, r -> new IpvsService(ServiceKey.of(IpProtocol.TCP, address(r), 80), r.nextBoolean() ? "rr" : "wlc",
        r.nextInt(3), r.nextInt(3), r.nextInt(3)));
  }

  /** 0 three times in four, else any of 0..n-1: many components, yet equal pairs are drawn. */
  static int skewed(Random r, int n) {
    return r.nextInt(4) == 0 ? r.nextInt(n) : 0;
  }

  /** A small address space, so that random pairs are often equal. */
  static InetAddress address(Random r) {
    try {
      return r.nextInt(5) == 0
          ? InetAddress.getByName("2001:2::" + (1 + r.nextInt(2)))
          : InetAddress.getByAddress(new byte[] {(byte) 198, 18, 0, (byte) (1 + r.nextInt(3))});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  <T extends Record> void check(Class<T> type, Function<Random, T> values) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Constructor<T> canonical = type.getDeclaredConstructor(
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    int equalPairs = 0;
    int variants = 0;
    for (int i = 0; i < 5_000; i++) {
      T a = values.apply(random);
      T b = values.apply(random);
      boolean componentsEqual = componentsEqual(components, a, b);
      assertThat(a.equals(b)).as(a + " equals " + b).isEqualTo(componentsEqual);
      if (componentsEqual) {
        equalPairs++;
        assertThat(a.hashCode()).as("hash of " + a + " and " + b).isEqualTo(b.hashCode());
      }
      // a copy of a differing from it in one component only
      for (int c = 0; c < components.length; c++) {
        Object[] args = new Object[components.length];
        for (int k = 0; k < args.length; k++) {
          args[k] = components[k].getAccessor().invoke(k == c ? b : a);
        }
        T variant;
        try {
          variant = canonical.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
          continue; // a combination the constructor refuses (a fwmark key with an address)
        }
        boolean same = Objects.equals(components[c].getAccessor().invoke(a), args[c]);
        assertThat(a.equals(variant)).as(a + " equals " + variant + " (" + components[c].getName() + ")").isEqualTo(same);
        assertThat(variant.equals(a)).isEqualTo(same);
        if (same) {
          assertThat(variant.hashCode()).isEqualTo(a.hashCode());
        } else {
          variants++;
        }
      }
    }
    assertThat(equalPairs).as("equal pairs drawn").isGreaterThan(10);
    assertThat(variants).as("copies differing in one component").isGreaterThan(1_000);
  }

  static boolean componentsEqual(RecordComponent[] components, Object a, Object b) throws Exception {
    for (RecordComponent c : components) {
      if (!Objects.equals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
        return false;
      }
    }
    return true;
  }
}
