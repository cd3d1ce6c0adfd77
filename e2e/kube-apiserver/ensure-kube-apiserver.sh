#!/usr/bin/env bash
# Builds kube-apiserver 1.20.2 (setup-kube-apiserver.sh) unless it is already laid out where
# fabric8 kube-api-test looks for it. Safe to call from several processes: a lock serialises them.
set -euo pipefail
OUT=${OUT:-$HOME/.kubeapitest}
D="$OUT/k8s/1.20.2-linux-amd64"
[[ -x $D/kube-apiserver && -x $D/etcd ]] && exit 0
mkdir -p "$OUT"
exec 9>"$OUT/.build.lock"
flock 9
[[ -x $D/kube-apiserver && -x $D/etcd ]] && exit 0
echo "kube-apiserver 1.20.2 not found under $OUT: building it from Debian's source package (~4 min)" >&2
OUT="$OUT" bash "$(dirname "$0")/setup-kube-apiserver.sh" >&2
