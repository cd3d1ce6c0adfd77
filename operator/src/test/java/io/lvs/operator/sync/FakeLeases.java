package io.lvs.operator.sync;

import io.lvs.operator.apply.LeaseStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** VIP Leases in memory, with a log of the writes made. */
final class FakeLeases implements LeaseStore {
  final Map<String, String> holders = new TreeMap<>();
  final List<String> writes = new ArrayList<>();

  @Override
  public void load() {}

  @Override
  public Map<String, String> holders() {
    return new TreeMap<>(holders);
  }

  @Override
  public void create(String vip, String node) {
    writes.add("create " + vip + " " + node);
    holders.put(vip, node);
  }

  @Override
  public void hold(String vip, String node) {
    writes.add("hold " + vip + " " + node);
    holders.put(vip, node);
  }

  @Override
  public void release(String vip) {
    writes.add("release " + vip);
    holders.remove(vip);
  }

  List<String> takeWrites() {
    List<String> out = List.copyOf(writes);
    writes.clear();
    return out;
  }
}
