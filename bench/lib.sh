# Shared by the benchmark scripts (sourced, not run): build this tree in one reactor (nothing
# installed into ~/.m2), and start the packaged binary's roles on a data dir.

# bench_build DATA: builds the bench and the capstan binary; sets CP and JAR.
bench_build() {
  mvn -o -q -B -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$1/cp.txt" >/dev/null
  mvn -o -q -B -pl assembly -am package -DskipTests >/dev/null
  CP="bench/target/classes:controllers/target/classes:$(cat "$1/cp.txt")"
  JAR=assembly/target/quarkus-app/quarkus-run.jar
}

# bench_await_ready PID PORT LOG: waits for /readyz; prints LOG and fails if PID exits first.
bench_await_ready() {
  until curl -sf "http://127.0.0.1:$2/readyz" >/dev/null; do
    kill -0 "$1" 2>/dev/null || { cat "$3"; exit 1; }
    sleep 0.05
  done
}

# bench_apiserver DATA PORT: starts `capstan apiserver` on DATA/db and waits until ready; sets API.
bench_apiserver() {
  java -XX:+UseSerialGC -jar "$JAR" apiserver --storage "sqlite:$1/db" --listen "127.0.0.1:$2" >"$1/api.log" 2>&1 &
  API=$!
  bench_await_ready "$API" "$2" "$1/api.log"
}

# bench_busybox_tar DATA: writes DATA/busybox.tar, a root filesystem of Debian's busybox-static
# with its applet links and the directories a container needs.
bench_busybox_tar() {
  local r="$1/rootfs"
  mkdir -p "$r/bin" "$r/sbin" "$r/usr/bin" "$r/usr/sbin" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/etc"
  cp /bin/busybox "$r/bin/busybox"
  for a in $(/bin/busybox --list-full); do [ -e "$r/$a" ] || ln -s /bin/busybox "$r/$a"; done
  tar -C "$r" -cf "$1/busybox.tar" .
}

# bench_release_node DATA CGROOT: kills what still runs in the cgroups named CGROOT (the node agent's
# root of this run: containers of pods a failed run left, which outlive their killed shims as PID 1
# of their own pid namespaces), unmounts what is mounted under DATA and removes those cgroups in
# every hierarchy.
bench_release_node() {
  find /sys/fs/cgroup -maxdepth 8 -type d -name "$2" 2>/dev/null | while read -r c; do
    if [ -f "$c/cgroup.kill" ]; then echo 1 >"$c/cgroup.kill" || true
    else find "$c" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -9 2>/dev/null || true; fi
  done
  sleep 0.2
  awk -v d="$1" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do umount -l "$m" || true; done
  find /sys/fs/cgroup -maxdepth 8 -type d -name "$2" 2>/dev/null | while read -r c; do
    find "$c" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}
