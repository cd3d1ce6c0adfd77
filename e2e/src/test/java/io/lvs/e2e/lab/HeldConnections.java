package io.lvs.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * TCP connections the client namespace opens and keeps open, each from a source port of its own
 * (socat, reading nothing, sending nothing): a running client as the connection table shows it.
 * busybox httpd waits 60 s for a request before it closes such a connection.
 */
public final class HeldConnections implements AutoCloseable {
  private final List<Process> processes;

  private HeldConnections(List<Process> processes) {
    this.processes = processes;
  }

  public static HeldConnections open(String vip, int port, List<Integer> sourcePorts) {
    List<Process> started = new ArrayList<>();
    try {
      for (int p : sourcePorts) {
        started.add(new ProcessBuilder(Shell.nsCommand(LabNetwork.CLIENT_NS, "sh", "-c",
            "sleep 300 | exec socat -u STDIN TCP:" + vip + ":" + port + ",sourceport=" + p + ",reuseaddr"))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
      }
    } catch (IOException e) {
      new HeldConnections(started).close();
      throw new UncheckedIOException("cannot start socat in the client namespace", e);
    }
    return new HeldConnections(started);
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
  }
}
