package io.lvs.agent.podnet;

/**
 * A network namespace of this node: a path that opens it (/run/netns/NAME or /proc/PID/ns/net)
 * and its inode, the namespace's identity (two paths with one inode are one namespace; a sandbox
 * recreated with the same IP is a new inode).
 */
public record NetnsRef(String path, long inode) {
  /** "path (inode N)", as status and logs show it. */
  public String describe() {
    return path + " (inode " + inode + ")";
  }
}
