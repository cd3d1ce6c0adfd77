#!/usr/bin/env bash
# Runs a shell script inside a throwaway VM that boots Debian's stock kernel
# (which ships ip_vs as modules) under QEMU, with this machine's root file
# system mounted read-only and one host folder mounted read-write.
#
#   lab.sh SCRIPT [RW_DIR]
#
# SCRIPT runs as root in the VM, chrooted into the host's root, so the host's
# java, ipvsadm, curl, iproute2 ... are all usable. RW_DIR (default: the
# current directory) appears at the same path inside the VM, writable (it may
# live under /tmp; SCRIPT itself must be under RW_DIR or outside /tmp and /run,
# which are fresh tmpfs in the VM).
# Inside the VM, `lab-modprobe NAME...` loads kernel modules (ip_vs, ip_vs_rr,
# veth, bridge, ipip, dummy, ...).  The exit status is SCRIPT's.
#
# First run installs qemu and friends with apt-get and builds the boot files
# into $LAB_CACHE (default ~/.cache/kernel-lab); later runs reuse them.
# KVM is not used: on these machines nested KVM hangs at boot, TCG works
# (boot ~5 s, a JVM start ~3 s).
# LAB_MODULE_AUTOLOAD=1 lets the kernel load modules on demand (iptables matches, overlayfs, ...
# as containerd, the CNI plugins and kube-proxy need): its usermode helper runs in the initramfs
# root, so /proc/sys/kernel/modprobe points at a helper there that chroots into the host root.
set -euo pipefail
if [[ ${1:-} == --prepare ]]; then PREPARE_ONLY=1; set -- /dev/null; fi
SCRIPT=$(readlink -f "${1:?usage: lab.sh SCRIPT [RW_DIR]}")
RW=$(readlink -f "${2:-$PWD}")
CACHE=${LAB_CACHE:-$HOME/.cache/kernel-lab}
MEM=${LAB_MEM:-2048}
TIMEOUT=${LAB_TIMEOUT:-900}
# LAB_HOST_PORTS="6443 2379": each host 127.0.0.1:PORT is reachable in the VM at
# 198.19.255.100:PORT (QEMU user networking, restrict=on: nothing else leaves the VM).
# LAB_HOST_FORWARDS="198.19.253.2:19720-19702 ...": the other way, with LAB_HOST_PORTS: QEMU
# listens on the host's ADDR:PORT (an address the host holds) and forwards each connection to
# the VM's 198.19.255.15:GUEST_PORT.
NET=(-nic none); NETARG=""
if [[ -n ${LAB_HOST_PORTS:-} ]]; then
  nic="user,model=virtio-net-pci,restrict=on,net=198.19.255.0/24,host=198.19.255.2"
  for p in $LAB_HOST_PORTS; do nic+=",guestfwd=tcp:198.19.255.100:$p-cmd:socat - TCP:127.0.0.1:$p"; done
  for f in ${LAB_HOST_FORWARDS:-}; do nic+=",hostfwd=tcp:${f%-*}-198.19.255.15:${f##*-}"; done
  NET=(-nic "$nic"); NETARG=" labnet=1"
fi
[[ ${LAB_MODULE_AUTOLOAD:-0} == 1 ]] && NETARG+=" labautoload=1"

prepare() {
  mkdir -p "$CACHE"
  local need=()
  for t in qemu-system-x86_64:qemu-system-x86 ipvsadm:ipvsadm busybox:busybox-static cpio:cpio depmod:kmod curl:curl socat:socat; do
    command -v "${t%%:*}" >/dev/null || need+=("${t##*:}")
  done
  if ((${#need[@]})); then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  # the boot files' version: a cache built by an older init is rebuilt (its kernel is kept)
  local stamp="init 2: read-only 9p roots with cache=loose"
  [[ -f $CACHE/ready && $(cat "$CACHE/ready") == "$stamp" ]] && return
  local pkg kver
  if [[ -f $CACHE/ready && -d $CACHE/root/lib/modules ]]; then
    kver=$(ls "$CACHE/root/lib/modules" | head -1)
  else
    pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')
    kver=${pkg#linux-image-}
    (cd "$CACHE" && rm -rf root ./*.deb && apt-get download -qq "$pkg" >/dev/null 2>&1 && dpkg-deb -x ./*.deb root && rm -f ./*.deb)
  fi
  depmod -b "$CACHE/root" "$kver"
  local ird=$CACHE/initrd M=$CACHE/root/lib/modules/$kver/kernel
  rm -rf "$ird" && mkdir -p "$ird"/{bin,mods,host,proc,sys,dev}
  cp "$(command -v busybox)" "$ird/bin/busybox"
  for a in sh mount insmod mkdir chroot poweroff sed cat; do ln -s busybox "$ird/bin/$a"; done
  printf '#!/bin/sh\nexec /bin/chroot /host /sbin/modprobe -d /run/lab/kroot "$@"\n' > "$ird/bin/kmod-helper"
  chmod +x "$ird/bin/kmod-helper"
  for m in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_legacy_dev \
           drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci fs/netfs/netfs fs/fscache/fscache \
           net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p; do cp "$M/$m.ko" "$ird/mods/"; done
  cat > "$ird/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p; do
  insmod /mods/$m.ko || echo "lab: insmod $m failed"
done
p9="-t 9p -o trans=virtio,version=9p2000.L,msize=512000"
# The read-only roots keep their pages (cache=loose): without it every exec and mmap reads over 9p
# again under TCG (runc --version 6-13 s with ~780 major faults, 0.3-1.4 s from memory), which
# pushed containerd's runc kill + delete past CRI's fixed 10 s exit deadline. The host does not
# change these files during a run; the read-write folder stays uncached.
mount $p9,ro,cache=loose hostroot /host
mount -t proc proc /host/proc; mount -t sysfs sys /host/sys; mount -t devtmpfs dev /host/dev
mount -t tmpfs tmp /host/tmp; mount -t tmpfs run /host/run
mkdir -p /host/run/lab/kroot /host/run/lab/bin && mount $p9,ro,cache=loose kroot /host/run/lab/kroot
if [ "$(sed -n 's/.* labautoload=\([^ ]*\).*/\1/p' /proc/cmdline)" = 1 ]; then
  [ -x /bin/kmod-helper ] && echo /bin/kmod-helper > /proc/sys/kernel/modprobe || echo "lab: no kmod-helper in this cache (delete its ready file)"
fi
rw=$(sed -n 's/.* labrw=\([^ ]*\).*/\1/p' /proc/cmdline); script=$(sed -n 's/.* labscript=\([^ ]*\).*/\1/p' /proc/cmdline)
mkdir -p /host$rw 2>/dev/null; mount $p9 rw /host$rw
printf '#!/bin/sh\nfor m in "$@"; do modprobe -d /run/lab/kroot "$m" || exit 1; done\n' > /host/run/lab/bin/lab-modprobe && chmod +x /host/run/lab/bin/lab-modprobe
if [ "$(sed -n 's/.* labnet=\([^ ]*\).*/\1/p' /proc/cmdline)" = 1 ]; then
  chroot /host /run/lab/bin/lab-modprobe virtio_net && chroot /host ip link set eth0 up && chroot /host ip addr add 198.19.255.15/24 dev eth0 || echo "lab: host-port NIC failed"
fi
chroot /host /usr/bin/env -i PATH=/run/lab/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LAB=1 /bin/sh -c "cd $rw && /bin/sh $script"
rc=$?; echo; echo "LAB-EXIT=$rc"
poweroff -f
INIT
  chmod +x "$ird/init"
  (cd "$ird" && find . | cpio -o -H newc 2>/dev/null | gzip >"$CACHE/initrd.gz")
  ln -sf "root/boot/vmlinuz-$kver" "$CACHE/vmlinuz"
  echo "$stamp" > "$CACHE/ready"
}

prepare
[[ -n ${PREPARE_ONLY:-} ]] && exit 0
log=$(mktemp)
timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m "$MEM" -smp "$(nproc)" \
  -nographic -no-reboot -kernel "$CACHE/vmlinuz" -initrd "$CACHE/initrd.gz" \
  -fsdev local,id=r,path=/,security_model=none,readonly=on,multidevs=remap -device virtio-9p-pci,fsdev=r,mount_tag=hostroot \
  -fsdev local,id=k,path="$CACHE/root",security_model=none,readonly=on -device virtio-9p-pci,fsdev=k,mount_tag=kroot \
  -fsdev local,id=w,path="$RW",security_model=none -device virtio-9p-pci,fsdev=w,mount_tag=rw \
  "${NET[@]}" -append "console=ttyS0 quiet panic=-1 labrw=$RW labscript=$SCRIPT$NETARG" </dev/null 2>&1 | tee "$log" | sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; /SeaBIOS\|iPXE\|Booting from ROM\|Press Ctrl-B/d; /^\s*$/d'
rc=$(grep -ao 'LAB-EXIT=[0-9]*' "$log" | tail -1 | cut -d= -f2)
rm -f "$log"
exit "${rc:-125}"
