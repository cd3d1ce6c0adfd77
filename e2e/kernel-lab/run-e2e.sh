#!/usr/bin/env bash
# Runs the e2e scenarios: the control plane (etcd, kube-apiserver 1.20.2, the operator) on this
# host at native speed, the node agents and the scenarios in the kernel-lab VM
# (io.lvs.e2e.lab.HostControlPlane, which calls run-tests-in-vm.sh with LAB_HOST_PORTS).
#
#   run-e2e.sh MODULE_DIR [TAG]      (TAG default: e2e)
#
# Environment: everything run-tests-in-vm.sh and lab.sh read; KUBE_BINARIES (default
# ~/.kubeapitest/k8s/1.20.2-linux-amd64).
set -euo pipefail
module=$(readlink -f "${1:?usage: run-e2e.sh MODULE_DIR [TAG]}")
tag=${2:-e2e}
target=$module/target
[[ -e $target/test-classpath.txt ]] || { echo "e2e: missing $target/test-classpath.txt (build through Maven)" >&2; exit 2; }
bins=${KUBE_BINARIES:-$HOME/.kubeapitest/k8s/1.20.2-linux-amd64}
cp="$target/test-classes:$target/classes:$(tr -d '\n' <"$target/test-classpath.txt")"
exec java -XX:+UseSerialGC -Xmx256m -Dlogback.configurationFile=logback-harness.xml -Dlvs.e2e.kubeBinaries="$bins" \
  -cp "$cp" io.lvs.e2e.lab.HostControlPlane "$module" "$tag"
