package io.lvs.e2e.lab;

import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.rtnl.NetlinkRtnlClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Samples every 100 ms which directors hold a VIP on eth0: one RTM_GETADDR dump per director per
 * sample, on a NETLINK_ROUTE socket opened in each director's namespace and kept (a process start
 * per sample, as `ip addr` would need, takes longer than the period under emulation). Every
 * director is read in one pass, so a sample is one instant to within a few milliseconds.
 */
public final class HolderSampler implements AutoCloseable {
  /** One sample: when, and the directors that held the VIP then. */
  public record Sample(Instant at, List<String> holders) {}

  static final Duration PERIOD = Duration.ofMillis(100);
  private final String vip;
  private final Map<String, NetlinkRtnlClient> clients = new LinkedHashMap<>();
  private final List<Sample> samples = new ArrayList<>();
  private final Thread sampler;
  private volatile boolean stopped;
  private volatile RuntimeException failure;

  public HolderSampler(String vip, List<String> directors) {
    this.vip = vip;
    for (String d : directors) {
      clients.put(d, NetlinkRtnlClient.open(d));
    }
    sampler = new Thread(this::run, "holder-sampler-" + vip);
    sampler.setDaemon(true);
    sampler.start();
  }

  private void run() {
    long next = System.nanoTime();
    while (!stopped) {
      try {
        List<String> holders = new ArrayList<>();
        clients.forEach((d, c) -> {
          if (c.addresses().stream().anyMatch(this::isVipOnEth0)) {
            holders.add(d);
          }
        });
        synchronized (samples) {
          samples.add(new Sample(Instant.now(), List.copyOf(holders)));
        }
      } catch (RuntimeException e) {
        failure = e;
        return;
      }
      next += PERIOD.toNanos();
      long wait = next - System.nanoTime();
      if (wait > 0) {
        ApiServer.sleep(Duration.ofNanos(wait));
      } else {
        next = System.nanoTime(); // late (a pause of this JVM): the next sample at once, no burst
      }
    }
  }

  private boolean isVipOnEth0(InterfaceAddress a) {
    return a.interfaceName().equals("eth0") && a.address().getHostAddress().equals(vip);
  }

  public List<Sample> samples() {
    if (failure != null) {
      throw new IllegalStateException("the holder sampler failed", failure);
    }
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** The samples in which two or more directors held the VIP. */
  public List<Sample> splitBrains() {
    return samples().stream().filter(s -> s.holders().size() > 1).toList();
  }

  /** The first sample at or after {@code from} in which {@code director} no longer held the VIP. */
  public Optional<Instant> firstWithout(String director, Instant from) {
    return samples().stream().filter(s -> !s.at().isBefore(from) && !s.holders().contains(director))
        .map(Sample::at).findFirst();
  }

  /** The one director every sample of the last {@code span} shows as sole holder (a sample older than it included). */
  public Optional<String> soleHolderFor(Duration span) {
    Instant since = Instant.now().minus(span);
    List<String> holder = holdersAt(since);
    return holder.size() == 1 && samples().stream().filter(s -> s.at().isAfter(since)).allMatch(s -> s.holders().equals(holder))
        ? Optional.of(holder.get(0)) : Optional.empty();
  }

  /** The holders of the last sample taken at or before {@code at}. */
  public List<String> holdersAt(Instant at) {
    return samples().stream().filter(s -> !s.at().isAfter(at)).reduce((a, b) -> b).map(Sample::holders)
        .orElse(List.of());
  }

  /** The longest time between two consecutive samples: the sampler's real resolution in this run. */
  public Duration largestInterval() {
    List<Sample> all = samples();
    Duration max = Duration.ZERO;
    for (int i = 1; i < all.size(); i++) {
      Duration d = Duration.between(all.get(i - 1).at(), all.get(i).at());
      max = d.compareTo(max) > 0 ? d : max;
    }
    return max;
  }

  @Override
  public void close() {
    stopped = true;
    try {
      sampler.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    clients.values().forEach(NetlinkRtnlClient::close);
  }
}
