#!/usr/bin/env bash
# One-time (cached) preparation of the cluster lane, all offline but for Debian packages:
#  - apt: containerd, runc, containernetworking-plugins, iptables, conntrack, gcc (pause), busybox-static
#  - kubelet, kube-controller-manager, kube-scheduler, kube-proxy v1.20.2 (ensure-k8s-binaries.sh)
#  - images as docker-archive tarballs: pause (Kubernetes' pause.c, static), busybox (real servers
#    and clients: httpd, nc, wget); with the operator + node agent Jib tarballs imported into one
#    containerd root on this host, packed as containerd-seed.tar (seed-containerd.sh)
#  - the kernel-lab boot files with module autoload, in their own cache
#   prepare.sh REPO_DIR     -> prints the image directory
# Env: LANE_CACHE (default ~/.cache/lvs-k8s-cluster), JIB_TARS (default the modules' target/jib-image.tar)
set -euo pipefail
REPO=$(readlink -f "${1:?usage: prepare.sh REPO_DIR}"); HERE=$(dirname "$(readlink -f "$0")")
CACHE=${LANE_CACHE:-$HOME/.cache/lvs-k8s-cluster}; mkdir -p "$CACHE/images"
need=()
for t in containerd:containerd runc:runc /usr/lib/cni/bridge:containernetworking-plugins iptables:iptables \
         conntrack:conntrack gcc:gcc busybox:busybox-static; do
  command -v "${t%%:*}" >/dev/null || [[ -x ${t%%:*} ]] || need+=("${t##*:}")
done
if ((${#need[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
bash "$HERE/ensure-k8s-binaries.sh" >&2
SRC=${WORK:-${TMPDIR:-/tmp}/kas-build}/src
I=$CACHE/images
if [[ ! -f $I/pause.tar ]]; then
  nice -n 15 gcc -static -O2 -DVERSION=v3.2-lab -o "$CACHE/pause" "$SRC/build/pause/linux/pause.c"
  python3 "$HERE/mkimage.py" "$I/pause.tar.tmp" lab.local/pause:3.2 --file "$CACHE/pause:/pause" --entrypoint '["/pause"]' >&2
  mv "$I/pause.tar.tmp" "$I/pause.tar"
fi
if [[ ! -f $I/busybox.tar ]]; then
  python3 "$HERE/mkimage.py" "$I/busybox.tar.tmp" lab.local/busybox:1.35 --file "$(command -v busybox):/bin/busybox" \
    $(for a in sh httpd wget ls cat echo sleep ip ifconfig hostname env ps nc id mkdir date seq; do echo --symlink /bin/$a:busybox; done) \
    --dir /www --cmd '["sh"]' >&2
  mv "$I/busybox.tar.tmp" "$I/busybox.tar"
fi
J=(${JIB_TARS:-$REPO/node-agent/target/jib-image.tar $REPO/operator/target/jib-image.tar})
for j in "${J[@]}"; do [[ -f $j ]] || { echo "missing $j: build the images first (mvn -pl operator,node-agent -am package)" >&2; exit 2; }; done
# every image imported and unpacked once, here at native speed; each node untars it (seed-containerd.sh)
if [[ ! -f $I/containerd-seed.tar || -n $(find "$I/pause.tar" "$I/busybox.tar" "${J[@]}" -newer "$I/containerd-seed.tar") ]]; then
  bash "$HERE/seed-containerd.sh" "$I/containerd-seed.tar" "$I/pause.tar" "$I/busybox.tar" "${J[@]}" >&2
fi
rm -f "$I/product.tar"   # the earlier lane's merged, uncompressed image tarball
LAB_CACHE=$CACHE/lab nice -n 15 bash "$REPO/e2e/kernel-lab/lab.sh" --prepare >&2
echo "$I"
