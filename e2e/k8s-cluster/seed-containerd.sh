#!/usr/bin/env bash
# Imports and unpacks images into a containerd root on THIS host (native speed), packed as one tar
# the cluster VM untars once and every node's containerd root starts from (vm-cluster.sh,
# node-start.sh): under emulation `ctr images import` (gunzip, sha256, untar per layer, twice for
# two nodes) took most of the bring-up. The host's containerd is the VM's (the VM runs the host's root read-only).
#   seed-containerd.sh OUT.tar IMAGE.tar...
set -euo pipefail
out=$(readlink -f "${1:?usage: seed-containerd.sh OUT.tar IMAGE.tar...}"); shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ctrd-seed.XXXXXX"); pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
mkdir -p "$tmp/root" "$tmp/state"
cat > "$tmp/config.toml" <<TOML
version = 2
root = "$tmp/root"
state = "$tmp/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.native"]
[grpc]
  address = "$tmp/state/c.sock"
[ttrpc]
  address = "$tmp/state/c.sock.ttrpc"
TOML
containerd --config "$tmp/config.toml" > "$tmp/containerd.log" 2>&1 & pid=$!
ctr=(ctr --address "$tmp/state/c.sock" -n k8s.io)
for i in $(seq 100); do "${ctr[@]}" version >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/containerd.log" >&2; exit 1; }; sleep 0.2; done
for img in "$@"; do "${ctr[@]}" images import --snapshotter overlayfs "$img" >&2; done
"${ctr[@]}" images ls -q >&2
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
# the compressed layer blobs are not read again once unpacked (containers start from the snapshots,
# image GC is off): leave them out, a third of the size to copy in the VM
python3 - "$tmp/root/io.containerd.content.v1.content/blobs/sha256" <<'PY'
import json, os, sys
d = sys.argv[1]; layers = set()
for name in os.listdir(d):
    if os.path.getsize(os.path.join(d, name)) < 1 << 20:
        try:
            layers |= {l["digest"].split(":")[1] for l in json.load(open(os.path.join(d, name))).get("layers", [])}
        except (ValueError, AttributeError, UnicodeDecodeError):
            pass
for name in layers & set(os.listdir(d)):
    os.remove(os.path.join(d, name))
print("left out", len(layers), "layer blobs", file=sys.stderr)
PY
tar -C "$tmp/root" --exclude=./tmpmounts -cf "$out.tmp" . && mv "$out.tmp" "$out"
echo "seed $out: $(du -m "$out" | cut -f1) MiB" >&2
