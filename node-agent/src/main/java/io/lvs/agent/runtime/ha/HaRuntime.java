package io.lvs.agent.runtime.ha;

import io.lvs.agent.ha.ElectionTimings;
import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.rtnl.RtnlClient;
import io.lvs.agent.runtime.NodeSlice;
import io.lvs.agent.runtime.NodeStateTranslator.AddressHolders;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HA VIPs of this director, running (docs/ha.md): the election loop stepped every 100 ms on a
 * monotonic clock, the heartbeats ({@link HeartbeatLink}), the VIPs on the interfaces
 * ({@link RtnlVipHost}), the sync daemons ({@link SyncDaemonSteps}), logs and metrics per
 * transition. The slices come from the agent's watcher on any thread; everything else happens on
 * the election thread.
 */
public final class HaRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HaRuntime.class);
  private static final long DAEMON_CHECK_MILLIS = 2000;

  private final String self;
  private final HaSettings settings;
  private final RtnlClient rtnl;
  private final RtnlVipHost host;
  private final SyncDaemonSteps daemons;
  private final ElectionLoop loop;
  private final ElectionPorts.Leases leases;
  private final Clock wall;
  private final HaMetrics metrics;
  private final HeartbeatLink heartbeats;
  private final Supplier<Instant> monotonic;
  private final AtomicReference<List<NodeSlice>> pending = new AtomicReference<>();
  private final ScheduledExecutorService thread;
  private final WatchedCalls leaseCalls;
  private HaTopology topology = HaTopology.NONE;
  private List<String> refused = List.of();
  private String syncInterface;
  private long lastDaemonCheck = Long.MIN_VALUE / 2;

  public HaRuntime(String self, HaSettings settings, ElectionPorts.Leases leases, RtnlClient rtnl, IpvsClient ipvs,
      HaLedger ledger, MeterRegistry registry, Supplier<Instant> monotonic, Clock wall) {
    this.self = self;
    this.settings = settings;
    this.leases = leases;
    this.wall = wall;
    this.rtnl = rtnl;
    this.monotonic = monotonic;
    this.host = new RtnlVipHost(rtnl, ledger);
    this.daemons = new SyncDaemonSteps(ipvs, ledger);
    // two threads: one VIP's hung call does not hold up another's; none outlives three timeouts
    this.leaseCalls = new WatchedCalls(Executors.newFixedThreadPool(2, daemon("agent-ha-lease")),
        settings.apiTimeout().multipliedBy(3), monotonic);
    this.thread = Executors.newSingleThreadScheduledExecutor(daemon("agent-ha-election"));
    this.loop = new ElectionLoop(self, ElectionTimings.DEFAULT, monotonic, wall, leases, host,
        new Announcements(HaCandidates.DEFAULT_ANNOUNCE_COUNT, HaCandidates.DEFAULT_ANNOUNCE_INTERVAL), leaseCalls,
        this::stepNow);
    this.metrics = new HaMetrics(registry, () -> monotonic.get().toEpochMilli());
    this.heartbeats = new HeartbeatLink(settings.port(), loop);
  }

  /** Daemon threads named {@code name}, {@code name-2}, ... */
  private static java.util.concurrent.ThreadFactory daemon(String name) {
    java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      int n = made.incrementAndGet();
      Thread t = new Thread(r, n == 1 ? name : name + "-" + n);
      t.setDaemon(true);
      return t;
    };
  }

  /** The monotonic clock the election needs (never stepped by NTP). */
  public static Instant monotonicNow() {
    return Instant.EPOCH.plusNanos(System.nanoTime());
  }

  /**
   * Removes the VIPs a previous agent process left (it starts as standby), readies the takeover
   * path, then starts stepping.
   */
  public void start() {
    host.removeLeftovers();
    host.prepareTakeovers();
    thread.scheduleWithFixedDelay(this::tick, 0, HaSettings.STEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A step now, on the election thread, between the scheduled ones (an acquisition was answered). */
  private void stepNow() {
    try {
      thread.execute(this::tick);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: no more steps
    }
  }

  /** This node's slices (any thread); applied on the next step. */
  public void onSlices(List<NodeSlice> slices) {
    pending.set(List.copyOf(slices));
  }

  public Set<String> holding() {
    return loop.holding();
  }

  void tick() {
    try {
      List<NodeSlice> p = pending.getAndSet(null);
      if (p != null) {
        reconfigure(p);
      }
      int interrupted = leaseCalls.interruptOverdue();
      if (interrupted > 0) {
        LOG.atWarn().addKeyValue("event", "ha_lease_call_interrupted").addKeyValue("calls", interrupted)
            .log("Lease call outlived three API timeouts; interrupted");
      }
      long start = System.nanoTime();
      List<Transition> transitions = loop.step();
      long stepMs = (System.nanoTime() - start) / 1_000_000;
      for (Transition t : transitions) {
        log(t, stepMs);
        metrics.transition(t);
        lastDaemonCheck = Long.MIN_VALUE / 2; // master follows the VIP at once
      }
      syncDaemons();
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).addKeyValue("event", "ha_step_failed").log("HA election step failed");
    }
  }

  private void reconfigure(List<NodeSlice> slices) {
    Map<String, LvsNodeStateSpec> specs = new LinkedHashMap<>();
    slices.forEach(s -> specs.put(s.name(), s.spec()));
    AddressHolders holders = AddressHolders.lazy(rtnl::addresses);
    HaCandidates.Result r = HaCandidates.read(self, specs, holders);
    if (!r.refused().equals(refused)) {
      r.refused().forEach(m -> LOG.atError().addKeyValue("event", "ha_candidate_refused").addKeyValue("entry", m)
          .log("HA VIP candidate refused"));
      refused = r.refused();
    }
    HaTopology next = HaTopology.of(self, r.vips(), settings.port());
    if (!next.equals(topology)) {
      LOG.atInfo().addKeyValue("event", "ha_configured").addKeyValue("vips", next.placement().keySet())
          .addKeyValue("directors", next.directors()).addKeyValue("heartbeatTo", next.heartbeatTo())
          .log("HA VIP candidates");
    }
    for (String vip : next.placement().keySet()) {
      if (!topology.placement().containsKey(vip)) {
        prepareWrites(vip);
      }
    }
    topology = next;
    host.configure(next.placement());
    loop.configure(next.elections(), next.directors());
    syncInterface = settings.syncInterface() != null ? settings.syncInterface()
        : next.selfAddress().flatMap(a -> {
          try {
            return holders.interfaceOf(a);
          } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
          }
        }).orElse(null);
    heartbeats.configure(next);
  }

  /**
   * Dry runs of a takeover's Lease write for a VIP new to this process: a standby never writes
   * until it takes over, and under emulation its first write took 0.2-0.4 s longer than later ones.
   */
  private void prepareWrites(String vip) {
    for (int i = 0; i < 2; i++) {
      leaseCalls.execute(() -> {
        try {
          leases.prepareWrite(vip, self, ElectionTimings.DEFAULT.leaseDuration(), wall.instant());
        } catch (RuntimeException e) {
          LOG.atDebug().addKeyValue("event", "ha_prepare_write_failed").addKeyValue("vip", vip)
              .addKeyValue("error", e.getMessage()).log("dry-run Lease write failed; only a head start");
        }
      });
    }
  }

  private void syncDaemons() {
    long now = monotonic.get().toEpochMilli();
    if (now - lastDaemonCheck < DAEMON_CHECK_MILLIS) {
      return;
    }
    lastDaemonCheck = now;
    repairVips();
    boolean enabled = !topology.syncedVips().isEmpty();
    if (enabled && syncInterface == null) {
      LOG.atError().addKeyValue("event", "ha_sync_no_interface")
          .log("connection sync wanted but no sync interface: set LVS_SYNC_INTERFACE");
      return;
    }
    boolean master = loop.holding().stream().anyMatch(topology.syncedVips()::contains);
    try {
      metrics.daemons(daemons.apply(enabled, master, syncInterface == null ? "" : syncInterface, settings.syncId()));
    } catch (RuntimeException e) {
      LOG.atWarn().addKeyValue("event", "ha_sync_daemon_failed").addKeyValue("error", e.getMessage())
          .log("sync daemon step failed; retried");
    }
  }

  /** A held VIP removed by someone else (by hand) is put back and announced. */
  private void repairVips() {
    for (String vip : loop.holding()) {
      try {
        if (host.ensure(vip)) {
          host.announce(vip);
          LOG.atWarn().addKeyValue("event", "ha_vip_repaired").addKeyValue("vip", vip)
              .log("a held VIP was missing from its interface; added again");
        }
      } catch (RuntimeException e) {
        LOG.atWarn().addKeyValue("event", "ha_vip_repair_failed").addKeyValue("vip", vip)
            .addKeyValue("error", e.getMessage()).log("a held VIP could not be checked");
      }
    }
  }

  /** {@code stepMs}: the election step that made it (a takeover's VIP add and first announcement included). */
  private void log(Transition t, long stepMs) {
    var l = LOG.atInfo().addKeyValue("event", t.holds() ? "ha_vip_taken" : "ha_vip_given_up").addKeyValue("vip", t.vip())
        .addKeyValue("reason", t.reason()).addKeyValue("at", t.wallTime()).addKeyValue("stepMs", stepMs);
    if (t.takeover() != null) {
      l = l.addKeyValue("from", t.takeover().from()).addKeyValue("failover", t.takeover().reason());
    }
    l.log(t.holds() ? "this director holds the VIP" : "this director gave the VIP up");
  }

  @Override
  public void close() {
    thread.shutdownNow();
    leaseCalls.close();
    heartbeats.close();
  }
}
