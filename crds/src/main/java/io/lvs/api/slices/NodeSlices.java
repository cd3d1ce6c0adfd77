package io.lvs.api.slices;

import io.lvs.api.v1alpha1.LvsNodeState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The contract between operator and agent for a node's desired state, which is split over one or
 * more LvsNodeState objects ("slices"), as Endpoints became EndpointSlices: a change rewrites one
 * small object instead of the node's whole state, and no node outgrows etcd's request limit.
 *
 * <ul>
 *   <li>Every slice of node N carries {@code spec.nodeName = N} and the label
 *       {@code lvs.io/node = labelValue(N)}; the agent lists its slices by that label and keeps
 *       those whose {@link #nodeOf} is N. The name is only a name: slice 0 is called N (so a small
 *       cluster has one object per node, named after it), slice k is {@code N.k}.
 *   <li>The node's desired state is the union of its slices' specs. All entries of one owner
 *       (VirtualService) are in one slice, and an owner stays in its slice while it is on the
 *       node, so a change to one VirtualService rewrites one slice per node.
 *   <li>Each slice's status is written by the node's agent and speaks about that slice's owners,
 *       with that slice's generation as observedGeneration.
 * </ul>
 */
public final class NodeSlices {
  /** Label on every slice: which node it belongs to (see {@link #labelValue}). */
  public static final String NODE_LABEL = "lvs.io/node";

  private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
  private static final int MAX_LABEL = 63;
  private static final int MAX_NAME = 253;

  private NodeSlices() {}

  /** The node's name when it is a valid label value (63 characters at most), else a hash of it. */
  public static String labelValue(String node) {
    if (node.length() <= MAX_LABEL && LABEL_VALUE.matcher(node).matches()) {
      return node;
    }
    return "sha256-" + sha256(node).substring(0, 40);
  }

  /** The node a slice belongs to: spec.nodeName, or the object's name for an object without one. */
  public static String nodeOf(LvsNodeState s) {
    if (s.getSpec() != null && s.getSpec().nodeName() != null) {
      return s.getSpec().nodeName();
    }
    return s.getMetadata() == null ? null : s.getMetadata().getName();
  }

  /** The object name of slice {@code index} of a node; names longer than 253 characters are shortened with a hash. */
  public static String name(String node, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("slice index must be >= 0, got " + index);
    }
    String name = index == 0 ? node : node + "." + index;
    if (name.length() <= MAX_NAME) {
      return name;
    }
    String suffix = "." + sha256(node).substring(0, 16) + (index == 0 ? "" : "." + index);
    return node.substring(0, MAX_NAME - suffix.length()) + suffix;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
