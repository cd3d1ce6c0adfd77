package io.lvs.e2e.lab;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The lab's Kubernetes control plane as the scenarios see it: a kubeconfig that works from every
 * node namespace, kubectl, and the "API server down" fault. Either {@link ApiServer} inside the VM
 * (the demo) or {@link HostControlPlaneClient}, the server the host runs at native speed (the
 * e2e suite).
 */
public interface ControlPlane extends AutoCloseable {
  /** kubeconfig for lab processes: https://198.18.0.1:6443, the lab CA, the shared token. */
  Path kubeconfigFile();

  /** kubeconfig for lab processes acting as {@code user} (same URL and CA, the user's token). */
  Path kubeconfigFile(ApiServer.User user);

  /** Whether the server authorizes with RBAC (else every user may do everything). */
  boolean rbac();

  /** kubectl from the same build as the server. */
  Path kubectl();

  /** Stops kube-apiserver only (etcd keeps the data). */
  void stopApiServer();

  /** Starts kube-apiserver again and returns once it answers /readyz. */
  void startApiServer(Duration timeout);

  @Override
  void close();
}
