package io.lvs.operator.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sync's meters. Planning time (inputs, plan, slicing, diff: no API calls) is timed in
 * stretches on the sync thread, elapsed and on-CPU, so the writes in between do not count.
 */
final class SyncMetrics {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  final Timer run;
  private final Timer changeToWrite;
  private final Timer planWall;
  private final Timer planCpu;
  private final Counter inputsBuilt;
  private long wall;
  private long cpu;
  private long wallFrom;
  private long cpuFrom;

  SyncMetrics(MeterRegistry metrics) {
    this.run = Timer.builder("lvs_operator_node_sync").description("plan + diff + writes").register(metrics);
    this.changeToWrite = Timer.builder("lvs_operator_members_to_node_write")
        .description("a pool's members changed in the pool controller -> the node objects that follow written")
        .register(metrics);
    this.planWall = Timer.builder("lvs_operator_node_plan")
        .description("inputs + plan + diff of one sync run (no API calls), elapsed").register(metrics);
    this.planCpu = Timer.builder("lvs_operator_node_plan_cpu")
        .description("inputs + plan + diff of one sync run, on-CPU time of the sync thread").register(metrics);
    this.inputsBuilt = Counter.builder("lvs_operator_plan_inputs_built")
        .description("plan inputs built anew (a VirtualService, its pool or its members changed); the rest are reused")
        .register(metrics);
  }

  void inputBuilt() {
    inputsBuilt.increment();
  }

  void planningStarts() {
    wall = 0;
    cpu = 0;
    planningResumes();
  }

  void planningResumes() {
    wallFrom = System.nanoTime();
    cpuFrom = threads.getCurrentThreadCpuTime();
  }

  void planningPauses() {
    wall += System.nanoTime() - wallFrom;
    cpu += threads.getCurrentThreadCpuTime() - cpuFrom;
  }

  void planningEnds() {
    planningPauses();
    planWall.record(wall, TimeUnit.NANOSECONDS);
    planCpu.record(cpu, TimeUnit.NANOSECONDS);
  }

  /** @param memberChanges when (System.nanoTime) each pool change this run's writes follow happened */
  void written(List<Long> memberChanges) {
    long now = System.nanoTime();
    memberChanges.forEach(t -> changeToWrite.record(now - t, TimeUnit.NANOSECONDS));
  }
}
