#!/bin/sh
# A private Docker engine for tests and CI (issue 3).
#
#   scripts/docker-engine.sh up            start dockerd, build the test images, start the test containers:
#                                          ddshim-c, ddshim-vm (busybox, running), ddshim-stopped (created,
#                                          never started), ddshim-nosh (no shell, only /bin/sleep)
#   scripts/docker-engine.sh down [--purge] stop dockerd and its containerd (--purge also deletes images/containers)
#   scripts/docker-engine.sh env           print `export DOCKER_HOST=…` for this engine
#
# Everything lives under $DDSHIM_DOCKER_DIR (default <repo>/.docker, git-ignored):
# its own socket, data root, exec root (which holds its own containerd's state
# and socket) and pid file, so it never collides with a system dockerd.
# No registry is reachable here: the test image is `docker import`ed from a
# busybox-static rootfs. All containers run with --network none.
# Idempotent: `up` on a running engine only fills in what is missing.
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
DIR=${DDSHIM_DOCKER_DIR:-$REPO/.docker}
SOCK="$DIR/docker.sock"
PIDFILE="$DIR/docker.pid"
LOG="$DIR/dockerd.log"
IMAGE=ddshim-test:latest
# No shell at all (only /bin/sleep): for the gateway's kill fallback.
NOSH_IMAGE=ddshim-nosh:latest
UP_TIMEOUT=${DDSHIM_DOCKER_TIMEOUT:-60}

docker_() { DOCKER_HOST="unix://$SOCK" docker "$@"; }
answering() { [ -S "$SOCK" ] && docker_ info >/dev/null 2>&1; }
die() { echo "docker-engine.sh: $*" >&2; exit 1; }

# A pid is alive when /proc has it, with the expected name, and it is not a
# zombie (a killed dockerd can linger as a zombie until PID 1 reaps it).
alive() { # pid [comm]
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
  [ -z "${2:-}" ] || [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
  # state is the field after "(comm)"
  state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

pid_of() { # file comm → prints the pid if its process is alive
  [ -f "$1" ] || return 1
  pid=$(cat "$1" 2>/dev/null || true)
  alive "$pid" "$2" && echo "$pid"
}

# A pid file is stale when its process is gone (or the pid was reused by a
# process of another name). dockerd's managed containerd trusts a live pid in
# exec/containerd/containerd.pid and then waits forever for a containerd that
# is not there: that is the hang after a killed dockerd.
clean_stale_pidfile() { # file comm
  pid_of "$1" "$2" >/dev/null || rm -f "$1"
}

start_dockerd() {
  command -v dockerd >/dev/null || die "dockerd not found: apt-get install -y docker.io"
  mkdir -p "$DIR/data" "$DIR/exec"
  clean_stale_pidfile "$PIDFILE" dockerd
  clean_stale_pidfile "$DIR/exec/containerd/containerd.pid" containerd
  if dpid=$(pid_of "$PIDFILE" dockerd); then
    # Alive but not answering yet (still starting): just wait for it below.
    echo "dockerd (pid $dpid) is starting; waiting for it"
  else
    rm -f "$SOCK"
    # Our own (empty) config file, so a system /etc/docker/daemon.json cannot
    # contradict the flags below.
    [ -f "$DIR/daemon.json" ] || echo '{}' >"$DIR/daemon.json"
    # setsid: the engine must outlive the shell (and process group) that ran `up`.
    setsid dockerd \
      --host "unix://$SOCK" \
      --data-root "$DIR/data" \
      --exec-root "$DIR/exec" \
      --pidfile "$PIDFILE" \
      --config-file "$DIR/daemon.json" \
      --storage-driver=vfs \
      --iptables=false --ip6tables=false --ip-masq=false \
      --bridge=none \
      --exec-opt native.cgroupdriver=cgroupfs \
      >"$LOG" 2>&1 </dev/null &
    dpid=$!
  fi
  i=0
  until answering; do
    i=$((i + 1))
    why=
    # No name check: right after the fork the child may not have exec'd yet.
    alive "$dpid" || why="dockerd (pid $dpid) exited"
    [ "$i" -gt $((UP_TIMEOUT * 5)) ] && why="dockerd did not answer on unix://$SOCK within ${UP_TIMEOUT}s"
    if [ -n "$why" ]; then
      echo "docker-engine.sh: $why; last lines of $LOG:" >&2
      tail -n 30 "$LOG" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

build_image() {
  docker_ image inspect "$IMAGE" >/dev/null 2>&1 && return 0
  busybox=$(command -v busybox || true)
  [ -n "$busybox" ] || die "busybox not found: apt-get install -y busybox-static"
  # A dynamically linked busybox (Debian's `busybox` package) would not run in an empty rootfs.
  if ldd "$busybox" >/dev/null 2>&1; then die "$busybox is dynamically linked: apt-get install -y busybox-static"; fi
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/root"
  chmod 1777 "$root/tmp"
  cp "$busybox" "$root/bin/busybox"
  # One symlink per applet, all in /bin (PATH of an imported image is empty,
  # so dockerd's default PATH applies and /bin is on it).
  for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" -c . | docker_ import \
    --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' \
    - "$IMAGE" >/dev/null
  rm -rf "$root"
  trap - EXIT
}

build_nosh_image() {
  docker_ image inspect "$NOSH_IMAGE" >/dev/null 2>&1 && return 0
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/bin" "$root/tmp"
  # busybox picks its applet from argv[0]: a copy named sleep is sleep, and nothing else.
  cp "$(command -v busybox)" "$root/bin/sleep"
  tar -C "$root" -c . | docker_ import --change 'ENV PATH=/bin' - "$NOSH_IMAGE" >/dev/null
  rm -rf "$root"
  trap - EXIT
}

ensure_running() { # name [image]
  state=$(docker_ inspect -f '{{.State.Running}}' "$1" 2>/dev/null || echo missing)
  case $state in
    true) ;;
    false) docker_ start "$1" >/dev/null ;;
    # sleep is PID 1 and ignores SIGTERM: stop with KILL, or every `down` and
    # every restart after a crash waits dockerd's 10 s stop timeout per container.
    *) docker_ run -d --name "$1" --network none --stop-signal KILL --stop-timeout 1 "${2:-$IMAGE}" sleep 2147483647 >/dev/null ;;
  esac
}

ensure_stopped() { # name: created, never started
  state=$(docker_ inspect -f '{{.State.Running}}' "$1" 2>/dev/null || echo missing)
  case $state in
    false) ;;
    true) docker_ stop -t 0 "$1" >/dev/null ;;
    *) docker_ create --name "$1" --network none --stop-signal KILL "$IMAGE" sleep 2147483647 >/dev/null ;;
  esac
}

up() {
  command -v docker >/dev/null || die "docker CLI not found: apt-get install -y docker.io"
  answering || start_dockerd
  build_image
  build_nosh_image
  ensure_running ddshim-c
  ensure_running ddshim-vm
  ensure_running ddshim-nosh "$NOSH_IMAGE"
  ensure_stopped ddshim-stopped
  echo "docker engine up: DOCKER_HOST=unix://$SOCK"
}

stop_pid() { # file comm
  if pid=$(pid_of "$1" "$2"); then
    kill "$pid" 2>/dev/null || true
    i=0
    while alive "$pid" "$2" && [ "$i" -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
    if alive "$pid" "$2"; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$1"
}

down() {
  # dockerd stops its containers and its managed containerd on SIGTERM; the
  # containerd step below is for a dockerd that was SIGKILLed.
  stop_pid "$PIDFILE" dockerd
  stop_pid "$DIR/exec/containerd/containerd.pid" containerd
  rm -f "$SOCK"
  if [ "${1:-}" = --purge ]; then
    # vfs layers and container rootfs may hold mounts (shm): unmount first.
    grep " $DIR/" /proc/mounts | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$DIR"
  fi
  echo "docker engine down${1:+ ($1)}"
}

case ${1:-} in
  up) up ;;
  down) shift; down "$@" ;;
  env) echo "export DOCKER_HOST=unix://$SOCK" ;;
  *) echo "usage: $0 up | down [--purge] | env" >&2; exit 2 ;;
esac
