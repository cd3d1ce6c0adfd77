#!/usr/bin/env bash
# Builds kubelet, kube-controller-manager, kube-scheduler and kube-proxy v1.20.2 from the Debian
# source tree that ../kube-apiserver/setup-kube-apiserver.sh unpacked, next to the cached
# kube-apiserver ($OUT/k8s/1.20.2-linux-amd64). Niced; a lock serialises concurrent callers.
set -euo pipefail
OUT=${OUT:-$HOME/.kubeapitest}; WORK=${WORK:-${TMPDIR:-/tmp}/kas-build}
D="$OUT/k8s/1.20.2-linux-amd64"
BINS=(kubelet kube-controller-manager kube-scheduler kube-proxy)
have() { for b in "${BINS[@]}"; do [[ -x $D/$b ]] || return 1; done; }
have && exit 0
bash "$(dirname "$0")/../kube-apiserver/ensure-kube-apiserver.sh"
[[ -d $WORK/src ]] || WORK="$WORK" OUT="$OUT" bash "$(dirname "$0")/../kube-apiserver/setup-kube-apiserver.sh" >&2
exec 9>"$OUT/.build.lock"; flock 9
have && exit 0
echo "building ${BINS[*]} v1.20.2 from $WORK/src (niced, ~5 min)" >&2
start=$(date +%s)
(cd "$WORK/src" && GOPATH=$PWD/.go GOPROXY=off CGO_ENABLED=0 HOME=$WORK KUBE_GIT_VERSION=v1.20.2 \
   KUBE_GIT_TREE_STATE=clean nice -n 15 make WHAT="${BINS[*]/#/cmd/}") >&2
for b in "${BINS[@]}"; do cp "$WORK/src/_output/bin/$b" "$D/"; done
echo "built in $(( $(date +%s) - start )) s" >&2
