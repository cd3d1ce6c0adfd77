#!/bin/sh
# Runs INSIDE the kernel-lab VM (lab.sh; chrooted into the host's read-only root, env -i).
# Builds one L2 segment (bridge lan0, 198.18.0.0/24) and one Kubernetes node per network
# namespace on it, each with its own mount namespace, containerd, kubelet and kube-proxy
# (node-start.sh). Then it serves the host's command files $R/cmd/N.sh until $R/stop appears.
D=$(cd "$(dirname "$0")" && pwd)
. "$D/vm.env"   # RUN, K8S_BIN, SEED, API_PORT, NODES: the lab init passes no environment
R=$RUN; mkdir -p "$R/cmd"
export PATH=$K8S_BIN:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
t0=$(date +%s)
log() { echo "[vm $(( $(date +%s) - t0 ))s] $*"; }
fail() { log "FAIL: $*"; echo "$*" > "$R/vm-failed"; exit 1; }

log "kernel $(uname -r), $(nproc) cpus, $(awk '/MemTotal/{print int($2/1024) " MiB"}' /proc/meminfo)"
# one modprobe process for all (one per module is ~25 s slower under emulation); the rest autoload
modprobe -a -d /run/lab/kroot overlay br_netfilter veth bridge nf_conntrack nf_nat nf_tables nft_compat \
  nft_chain_nat nft_masq xt_MASQUERADE xt_mark xt_comment xt_addrtype xt_conntrack xt_multiport xt_nat \
  xt_statistic ipt_REJECT nf_reject_ipv4 ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh || fail modprobe
sysctl -qw net.ipv4.ip_forward=1
# a soft lockup (seen once: runc and kubelet stuck on both CPUs during a helm upgrade) prints its
# stacks at warning level, which the VM's "quiet" console hides: show warnings, every CPU's stack
echo 5 > /proc/sys/kernel/printk; sysctl -qw kernel.softlockup_all_cpu_backtrace=1
ip link set lo up   # containerd's CRI stream server binds 127.0.0.1
# the segment: root namespace = the router to the API server (QEMU's 198.19.255.100 forward)
ip link add lan0 type bridge && ip addr add 198.18.0.1/24 dev lan0 && ip link set lan0 up || fail lan0
iptables -t nat -A POSTROUTING -s 198.18.0.0/16 -o eth0 -j MASQUERADE || fail "masquerade"
for spec in $NODES; do   # name:host-octet:pod-subnet-third-octet
  n=${spec%%:*}; rest=${spec#*:}; o=${rest%%:*}; p=${rest#*:}
  ip netns add "$n"; ip link add "v-$n" type veth peer name eth0 netns "$n"
  ip link set "v-$n" master lan0 up
  ip -n "$n" link set lo up; ip -n "$n" link set eth0 up
  ip -n "$n" addr add "198.18.0.$o/24" dev eth0; ip -n "$n" route add default via 198.18.0.1
  ip route add "198.18.$p.0/24" via "198.18.0.$o"   # pod subnets are routed like a host-gw CNI
  ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=1
done
for spec in $NODES; do  # every node reaches every other node's pods directly on the segment
  n=${spec%%:*}
  for other in $NODES; do
    [ "$other" = "$spec" ] && continue; r=${other#*:}; o=${r%%:*}; p=${r#*:}
    ip -n "$n" route add "198.18.$p.0/24" via "198.18.0.$o"
  done
done
# a client network outside the cluster, routed by the root namespace; the real-server nodes route
# it through the director (the LVS-NAT precondition: replies must pass the director)
ip netns add client; ip link add v-client type veth peer name eth0 netns client
ip addr add 198.18.2.1/24 dev v-client; ip link set v-client up
ip -n client link set lo up; ip -n client link set eth0 up
ip -n client addr add 198.18.2.100/24 dev eth0; ip -n client route add default via 198.18.2.1
director=${NODES%% *}; d=${director#*:}; d=${d%%:*}
for spec in ${NODES#* }; do ip -n "${spec%%:*}" route add 198.18.2.0/24 via "198.18.0.$d"; done
log "segment lan0, client net 198.18.2.0/24 and nodes' namespaces up: $NODES"
# the images, imported and unpacked on the host (prepare.sh): untarred once, here, for all nodes
mkdir -p /run/lab-k8s/seed && mount -t tmpfs -o size=2g seed /run/lab-k8s/seed \
  && tar -xf "$SEED" -C /run/lab-k8s/seed || fail "untar $SEED"
log "containerd seed untarred ($(du -sm /run/lab-k8s/seed | cut -f1) MiB)"
for spec in $NODES; do
  n=${spec%%:*}; mkdir -p "$R/$n"
  ip netns exec "$n" sh "$D/node-start.sh" "$spec" > "$R/$n/node.log" 2>&1 &
done
touch "$R/vm-ready"
# where the VM's CPU goes (README): every 30 s, CPU seconds since boot of the whole VM (/proc/stat),
# of each node's daemons (lab-NODE/system) and of its pods (lab-NODE/kubepods); a few forks a line
mkdir -p /run/lab-k8s/cpu && mount -t cgroup -o cpu,cpuacct cgroup /run/lab-k8s/cpu && (
  g=/run/lab-k8s/cpu
  while [ ! -f "$R/stop" ]; do
    line="$(( $(date +%s) - t0 ))s vm=$(awk '/^cpu /{print int(($2+$3+$4+$7+$8)/100)}' /proc/stat)s"
    for spec in $NODES; do
      n=${spec%%:*}
      for part in system kubepods; do
        u=$(cat "$g/lab-$n/$part/cpuacct.usage" 2>/dev/null || echo 0); line="$line $n/$part=$((u / 1000000000))s"
      done
    done
    echo "$line" >> "$R/cpu.log"; sleep 30
  done ) &
log "nodes starting (logs: $R/<node>/)"
while [ ! -f "$R/stop" ]; do
  for c in "$R"/cmd/*.sh; do
    [ -f "$c" ] || continue; id=${c%.sh}; mv "$c" "$id.run"
    # each command runs on its own so a slow one does not hold the others up
    ( sh "$id.run" > "$id.out" 2>&1; echo $? > "$id.rc.tmp"; mv "$id.rc.tmp" "$id.rc"; rm -f "$id.run" ) &
  done
  sleep 1   # a fork and exec each time: under emulation not free
done
log "stop requested"
for spec in $NODES; do n=${spec%%:*}; [ -f "$R/$n/pids" ] && kill $(cat "$R/$n/pids") 2>/dev/null; done
sleep 2; log "DONE"
