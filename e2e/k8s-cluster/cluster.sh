#!/usr/bin/env bash
# The cluster lane: a real Kubernetes v1.20.2 cluster in the kernel lab.
#   cluster.sh up RUN_DIR      control plane on this host, then the VM with one kubelet per node
#                              (network + mount namespaces on one bridge), waits for every node Ready
#   cluster.sh exec RUN_DIR [TIMEOUT] 'shell code'   runs in the VM's root namespace (ip netns exec NODE ...)
#   cluster.sh down RUN_DIR    stops the VM and the control plane
# Env: REPO (default: this checkout), NODES (default "director:11:64 realserver:12:65"), LAB_MEM (8192).
# The host's kubectl: RUN_DIR/kubectl.sh (kubectl with RUN_DIR/kubeconfig).
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")"); REPO=${REPO:-$(readlink -f "$HERE/../..")}
cmd=${1:?usage: cluster.sh up|exec|down RUN_DIR}; mkdir -p "${2:?RUN_DIR}"; RUN=$(readlink -f "$2")
K8S=${KUBE_BINARIES:-$HOME/.kubeapitest/k8s/1.20.2-linux-amd64}
T0=$(date +%s)
log() { echo "[cluster $(( $(date +%s) - T0 ))s] $*"; }

vm_exec() { # TIMEOUT CODE: the VM runs $RUN/cmd/ID.sh and leaves ID.out and ID.rc
  local to=$1 id rc; id=$(date +%s%N)$RANDOM
  printf '%s\n' "$2" > "$RUN/cmd/$id.tmp"; mv "$RUN/cmd/$id.tmp" "$RUN/cmd/$id.sh"
  for ((i = 0; i < to * 2; i++)); do [[ -f $RUN/cmd/$id.rc ]] && break; sleep 0.5; done
  [[ -f $RUN/cmd/$id.rc ]] || { echo "vm exec timed out after ${to}s: $2" >&2; return 124; }
  cat "$RUN/cmd/$id.out"; rc=$(cat "$RUN/cmd/$id.rc"); rm -f "$RUN/cmd/$id".*; return "$rc"
}

# SIGTERM to every process of session $1 (field 6 of /proc/PID/stat; no procps needed)
kill_session() {
  local sid=$1 f rest
  for f in /proc/[0-9]*/stat; do
    read -r rest 2>/dev/null < "$f" || continue
    set -- ${rest##*) }   # after "(comm) ": state ppid pgrp session ...
    if [[ ${4:-} == "$sid" ]]; then kill -TERM "${f//[^0-9]/}" 2>/dev/null || true; fi
  done
  return 0
}

down() {
  [[ -d $RUN/cmd ]] && touch "$RUN/stop"
  if [[ -f $RUN/vm.pid ]]; then
    local pid; pid=$(cat "$RUN/vm.pid")
    for i in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    # the VM's whole session: lab.sh runs qemu under timeout(1), which makes a process group of its
    # own, so killing the session leader's group left qemu running after a failed lane
    kill_session "$pid"; rm -f "$RUN/vm.pid"
  fi
  bash "$HERE/control-plane.sh" stop "$RUN"
}

up() {
  down 2>/dev/null || true
  local images; images=$(bash "$HERE/prepare.sh" "$REPO")
  log "prepared (binaries, images, lab boot files)"
  bash "$HERE/control-plane.sh" start "$RUN"; . "$RUN/cp.env"
  printf '#!/bin/sh\nexec %s --kubeconfig %s "$@"\n' "$K8S/kubectl" "$RUN/kubeconfig" > "$RUN/kubectl.sh"; chmod +x "$RUN/kubectl.sh"
  local k="$RUN/kubectl.sh"
  log "control plane up (API server 127.0.0.1:$API_PORT)"
  rm -rf "$RUN/cmd" "$RUN/stop" "$RUN/vm-ready" "$RUN/vm-failed"; mkdir -p "$RUN/cmd" "$RUN/vm"
  local nodes=${NODES:-director:11:64 realserver:12:65}
  cat > "$RUN/vm.env" <<ENV
RUN=$RUN
K8S_BIN=$K8S
SEED=$images/containerd-seed.tar
API_PORT=$API_PORT
NODES="$nodes"
ENV
  cp "$HERE/vm-cluster.sh" "$HERE/node-start.sh" "$RUN/"   # the VM reads them from the RW dir
  LAB_CACHE=${LANE_CACHE:-$HOME/.cache/lvs-k8s-cluster}/lab LAB_MEM=${LAB_MEM:-8192} LAB_TIMEOUT=${LAB_TIMEOUT:-7200} \
    LAB_HOST_PORTS="$API_PORT" LAB_MODULE_AUTOLOAD=1 \
    setsid nice -n "${NICE:-10}" bash "$REPO/e2e/kernel-lab/lab.sh" "$RUN/vm-cluster.sh" "$RUN" > "$RUN/vm/console.log" 2>&1 < /dev/null &
  echo $! > "$RUN/vm.pid"; local vmpid=$!
  log "VM launched (console: $RUN/vm/console.log)"
  wait_for() { # WHAT SECONDS TEST...: heartbeat every 30 s, fails when the VM is gone
    local what=$1 secs=$2 start=$(date +%s) beat=$(date +%s); shift 2
    until "$@"; do
      kill -0 "$vmpid" 2>/dev/null || { log "VM exited while waiting for $what"; tail -40 "$RUN/vm/console.log"; return 1; }
      [[ -f $RUN/vm-failed ]] && { log "VM failed: $(cat "$RUN/vm-failed")"; return 1; }
      local f; for f in "$RUN"/*/failed; do
        [[ -f $f ]] && { log "node failed: $(cat "$f")"; tail -30 "$(dirname "$f")"/*.log; return 1; }; done
      local el=$(( $(date +%s) - start ))
      (( el > secs )) && { log "timed out after ${secs}s waiting for $what"; return 1; }
      (( $(date +%s) - beat >= 30 )) && { beat=$(date +%s); log "still waiting for $what (${el}s)"; }
      sleep 1
    done
    log "$what"
  }
  wait_for "VM: namespaces up, nodes starting" 600 test -f "$RUN/vm-ready"
  local n names=()
  for n in $nodes; do names+=("${n%%:*}"); done
  all_ready() {
    for n in "${names[@]}"; do
      [[ $($k get node "$n" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]] || return 1
    done
  }
  wait_for "all nodes Ready: ${names[*]}" "${NODE_READY_TIMEOUT:-2400}" all_ready
  $k get nodes -o wide
  log "CLUSTER UP in $(( $(date +%s) - T0 ))s"
}

{ # one compound command, read whole before it runs: editing this file mid-run cannot break it
  case $cmd in
    up) up ;;
    down) down ;;
    exec) if [[ $# -ge 4 ]]; then vm_exec "$3" "$4"; else vm_exec 120 "$3"; fi ;;
    *) echo "unknown command $cmd" >&2; exit 2 ;;
  esac
  exit
}
