#!/bin/sh
# Runs INSIDE the VM in one node's network namespace (ip netns exec gives it a mount namespace
# and a fresh /sys of its own). Seeds and starts containerd (images unpacked on the host), starts kubelet and
# kube-proxy. Arg: name:host-octet:pod-subnet-third-octet.
# Background work is cut down (cAdvisor housekeeping 1 min, no per-pod du, kube-proxy resyncs
# every 5 min): two kubelets under emulation otherwise eat most of the VM's CPU while idle.
D=$(cd "$(dirname "$0")" && pwd); . "$D/vm.env"
export PATH=$K8S_BIN:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# containerd, kubelet and kube-proxy are Go: under emulation the scheduler's idle spinning across
# processors (futex/nanosleep system calls) and the collector took most of the VM's CPU while the
# pods' JVMs starved (two idle kubelets ~35% of a vCPU each); one processor each, collect less often
export GOMAXPROCS=1 GOGC=400
N=${1%%:*}; rest=${1#*:}; O=${rest%%:*}; P=${rest#*:}; IP=198.18.0.$O
S=$RUN/$N; C=/run/lab-k8s/$N; mkdir -p "$S" "$C"
t0=$(date +%s)
log() { echo "[$N $(( $(date +%s) - t0 ))s] $*"; }
fail() { log "FAIL: $*"; echo "$*" > "$S/failed"; exit 1; }
# cgroup v1 hierarchies as systemd lays them out (the fresh /sys hides the VM's); the nodes share
# them and keep apart by --cgroup-root. Only those kubelet and runc use: kubelet lists every
# mounted hierarchy's QoS directories every 2 s (HandlePodCleanups, an lstat per entry), which was
# half of an idle kubelet's CPU under emulation; blkio alone has ~40 entries per directory. runc
# skips a hierarchy that is not mounted (devices excepted), kubelet needs cpu, cpuacct, cpuset, memory.
mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
for g in cpuset cpu,cpuacct memory devices freezer pids; do
  mkdir -p /sys/fs/cgroup/$g && mount -t cgroup -o $g cgroup /sys/fs/cgroup/$g || rmdir /sys/fs/cgroup/$g
done
ln -s cpu,cpuacct /sys/fs/cgroup/cpu; ln -s cpu,cpuacct /sys/fs/cgroup/cpuacct
mkdir -p /sys/fs/cgroup/systemd && mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd
for g in /sys/fs/cgroup/*/; do mkdir -p "$g/lab-$N"; done   # kubelet's --cgroup-root must exist
cat /sys/fs/cgroup/cpuset/cpuset.cpus > "/sys/fs/cgroup/cpuset/lab-$N/cpuset.cpus"
cat /sys/fs/cgroup/cpuset/cpuset.mems > "/sys/fs/cgroup/cpuset/lab-$N/cpuset.mems"
# The node's daemons (containerd and its shims, kubelet, kube-proxy, the iptables they run) in their
# own cpu cgroup beside kubepods, as systemd lays out a real node (system.slice, cpu.shares 1024,
# beside kubepods with 1024 per allocatable CPU). Left in the root cgroup, each busy daemon weighed
# as much as a whole node's pods: six of them against two node cgroups left the pods' JVMs ~20% of
# the VM. Under contention the pods now get 2/3 of their node's share, the daemons 1/3.
mkdir -p "/sys/fs/cgroup/cpu,cpuacct/lab-$N/system"
echo 1024 > "/sys/fs/cgroup/cpu,cpuacct/lab-$N/system/cpu.shares"
echo $$ > "/sys/fs/cgroup/cpu,cpuacct/lab-$N/system/cgroup.procs" || fail "daemon cgroup"
# the node's own writable state (the host root is read-only 9p; these mounts stay in this namespace)
mount -t tmpfs -o size=3g "varlib-$N" /var/lib; mount -t tmpfs "varlog-$N" /var/log
mkdir -p /var/lib/containerd /var/lib/kubelet "$C/cni"
sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null
cat > "$C/containerd.toml" <<TOML
version = 2
root = "/var/lib/containerd"
state = "$C/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$C/containerd.sock"
[ttrpc]
  address = "$C/containerd.sock.ttrpc"
# containerd's shim deadlines (2-5 s by default) are for real CPUs: under emulation a task's
# state call outlived its 2 s (README, fourth run; gone in the fifth). The CRI's own 10 s for
# deleting an exited task is fixed in the code and still bites (README, fifth run).
[timeouts]
  "io.containerd.timeout.task.state" = "30s"
  "io.containerd.timeout.shim.cleanup" = "30s"
  "io.containerd.timeout.shim.load" = "30s"
  "io.containerd.timeout.shim.shutdown" = "30s"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "lab.local/pause:3.2"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$C/cni"
TOML
cat > "$C/cni/10-lab.conflist" <<CNI
{"cniVersion": "0.4.0", "name": "labnet", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "/var/lib/cni/networks",
            "ranges": [[{"subnet": "198.18.$P.0/24"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
CNI
# the images come imported and unpacked (prepare.sh's seed, built on the host at native speed)
# (vm-cluster.sh untarred it once): the small files are copied, the unpacked layers are
# bind-mounted read-only lower dirs, shared by all nodes; snapshots a node creates get new ids
SEEDDIR=/run/lab-k8s/seed; SN=io.containerd.snapshotter.v1.overlayfs/snapshots
tar -C $SEEDDIR --exclude="./$SN/*" -cf - . | tar -C /var/lib/containerd -xf - || fail "copy $SEEDDIR"
for d in $SEEDDIR/$SN/*; do
  mkdir "/var/lib/containerd/$SN/${d##*/}" && mount --bind "$d" "/var/lib/containerd/$SN/${d##*/}" || fail "bind $d"
done
log "containerd root seeded ($(du -smx /var/lib/containerd | cut -f1) MiB own, layers shared)"
containerd --config "$C/containerd.toml" > "$S/containerd.log" 2>&1 &
echo $! > "$S/pids"; CPID=$!
CTR="ctr --address $C/containerd.sock -n k8s.io"
for i in $(seq 480); do kill -0 $CPID 2>/dev/null || fail "containerd exited"; $CTR version >/dev/null 2>&1 && break; sleep 0.5; done
$CTR version >/dev/null 2>&1 || fail "containerd did not come up"
log "containerd up, images: $($CTR images ls -q | tr '\n' ' ')"
kubelet --kubeconfig="$RUN/vm-kubeconfig" --container-runtime=remote \
  --container-runtime-endpoint="unix://$C/containerd.sock" --runtime-request-timeout=15m \
  --pod-infra-container-image=lab.local/pause:3.2 --cgroup-driver=cgroupfs --cgroup-root="/lab-$N" \
  --fail-swap-on=false --root-dir=/var/lib/kubelet --volume-plugin-dir=/var/lib/kubelet/volumeplugins \
  --hostname-override="$N" --node-ip="$IP" --node-labels="lvs.lab/role=$N" \
  --eviction-hard='memory.available<50Mi,nodefs.available<1%,imagefs.available<1%' \
  --image-gc-high-threshold=100 --image-gc-low-threshold=99 --serialize-image-pulls=false \
  --node-status-update-frequency=10s --sync-frequency=1m --housekeeping-interval=1m --volume-stats-agg-period=0 \
  --v=1 > "$S/kubelet.log" 2>&1 &
echo $! >> "$S/pids"
kube-proxy --kubeconfig="$RUN/vm-kubeconfig" --hostname-override="$N" --proxy-mode=iptables \
  --cluster-cidr=198.18.64.0/18 --iptables-sync-period=5m --iptables-min-sync-period=5s --conntrack-max-per-core=0 --conntrack-tcp-timeout-established=0 \
  --conntrack-tcp-timeout-close-wait=0 --metrics-bind-address=127.0.0.1:10249 --healthz-bind-address=127.0.0.1:10256 \
  --v=1 > "$S/kube-proxy.log" 2>&1 &
echo $! >> "$S/pids"
log "kubelet and kube-proxy started"
touch "$S/started"
wait
