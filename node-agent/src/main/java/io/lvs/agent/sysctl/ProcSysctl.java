package io.lvs.agent.sysctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@link Sysctl} on /proc/sys: net.ipv4.conf.all.arp_ignore is /proc/sys/net/ipv4/conf/all/arp_ignore.
 * A key may also be given with slashes (net/ipv4/conf/eth0.100/arp_ignore) when an interface name
 * holds a dot, as sysctl(8) allows. /proc/sys is per network namespace for net.*: the values are
 * those of the namespace the process runs in.
 */
public final class ProcSysctl implements Sysctl {
  private final Path root;

  public ProcSysctl() {
    this(Path.of("/proc/sys"));
  }

  /** A sysctl tree under another root (tests use a temporary folder). */
  public ProcSysctl(Path root) {
    this.root = root;
  }

  Path path(String key) {
    if (key.isEmpty() || key.contains("..") || key.startsWith("/") || key.startsWith(".")) {
      throw new SysctlException("sysctl key '" + key + "' is not a dotted or slashed name");
    }
    return root.resolve(key.contains("/") ? key : key.replace('.', '/'));
  }

  @Override
  public Optional<String> read(String key) {
    Path p = path(key);
    try {
      return Optional.of(Files.readString(p, StandardCharsets.US_ASCII).trim());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new SysctlException("read sysctl " + key + ": " + reason(e), e);
    }
  }

  @Override
  public void write(String key, String value) {
    Path p = path(key);
    if (!Files.exists(p)) {
      throw new SysctlException("write sysctl " + key + "=" + value + ": no such key on this kernel (" + p + ")");
    }
    try {
      // one write(2) of the whole value, as sysctl -w does: /proc/sys parses each write alone
      Files.writeString(p, value + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new SysctlException("write sysctl " + key + "=" + value + ": " + reason(e), e);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "EACCES (permission denied)";
    }
    String m = e.getMessage();
    // the JDK reports write(2)'s EINVAL as "Invalid argument"
    if (m != null && m.contains("Invalid argument")) {
      return "EINVAL (the kernel refused the value)";
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
