# Profile of the Karaf JVM for benchmarks/run-vs-reference.sh --profile; sourced by it (uses KARAF_PID, WORK, ...).
# Writes target/vs-reference/profile/: one JFR recording and digest per workload, CPU per thread from /proc, the
# TCP_NODELAY audit, and summary.md (which the report includes).

# thread_cpu: "name user_s system_s" for every thread of Karaf, pool indexes folded into one name
thread_cpu() {
    local task stat
    for task in /proc/"$KARAF_PID"/task/*; do
        stat=$(cat "$task/stat" 2>/dev/null) || continue
        local name=${stat#*(}
        name=${name%%)*}
        stat=${stat##*) }
        awk -v n="$name" -v hz="$CLK_TCK" '{ gsub(/[0-9]+$/, "N", n); gsub(/ /, "_", n); print n, $12 / hz, $13 / hz }' <<<"$stat"
    done | awk '{ u[$1] += $2; s[$1] += $3 } END { for (n in u) print n, u[n], s[n] }'
}

# thread_cpu_delta BEFORE AFTER: the busiest thread groups over the workload, with their system share
thread_cpu_delta() {
    awk 'NR == FNR { u[$1] = $2; s[$1] = $3; next }
        { du = $2 - u[$1]; ds = $3 - s[$1]; if (du + ds > 0.005) printf "%-18s %7.2f s user %7.2f s system (%3.0f %% system)\n",
            $1, du, ds, 100 * ds / (du + ds) }' "$1" "$2" | sort -k2,2gr -k4,4gr | head -n 12
}

# record_workload NAME COMMAND...: a JFR recording of Karaf (settings=profile) and the per-thread CPU while COMMAND runs
record_workload() {
    local name=$1 dir="$WORK/profile"
    shift
    thread_cpu >"$dir/$name.threads-before"
    read -r u1 s1 <<<"$(cpu_of "$KARAF_PID")"
    jcmd "$KARAF_PID" JFR.start name="vsref-$name" settings="$(jfc_file)" filename="$dir/$name.jfr" >"$dir/$name.jcmd.log" 2>&1 \
        || die "jcmd JFR.start failed (see $dir/$name.jcmd.log)"
    local perf_pid=""
    if command -v perf >/dev/null; then
        perf record -q -F 499 -p "$KARAF_PID" -o "$dir/$name.perf.data" >"$dir/$name.perf.log" 2>&1 &
        perf_pid=$!
    fi
    "$@" >"$dir/$name.workload.log" 2>&1 || die "profile workload $name failed (see $dir/$name.workload.log)"
    if [[ -n "$perf_pid" ]]; then
        kill -INT "$perf_pid" 2>/dev/null || true
        wait "$perf_pid" 2>/dev/null || true
        perf_digest "$dir/$name.perf.data" >"$dir/$name.perf.txt" 2>/dev/null || echo "perf report failed" >"$dir/$name.perf.txt"
    fi
    jcmd "$KARAF_PID" JFR.stop name="vsref-$name" >>"$dir/$name.jcmd.log" 2>&1 || die "jcmd JFR.stop failed"
    read -r u2 s2 <<<"$(cpu_of "$KARAF_PID")"
    thread_cpu >"$dir/$name.threads-after"
    thread_cpu_delta "$dir/$name.threads-before" "$dir/$name.threads-after" >"$dir/$name.threads.txt"
    PROBE jfr "$dir/$name.jfr" --top 15 >"$dir/$name.digest.txt"
    awk -v u1="$u1" -v s1="$s1" -v u2="$u2" -v s2="$s2" 'BEGIN { u = u2 - u1; s = s2 - s1;
        printf "Karaf CPU during the workload: %.2f s user + %.2f s system (%.0f %% system)\n", u, s, 100 * s / (u + s) }' \
        >"$dir/$name.cpu.txt"
}

# perf_digest DATA: where Karaf's CPU went by library (kernel vs JIT-compiled Java vs native), and the hottest
# kernel symbols (perf sees system time, which JFR does not sample)
perf_digest() {
    echo "CPU samples by object (perf, all Karaf threads; [unknown]/perf-*.map = JIT-compiled Java):"
    { perf report -i "$1" --stdio --no-children --sort dso -g none 2>/dev/null || true; } | grep -v '^#' | grep -v '^$' \
        | head -n 8 || true
    echo "hottest symbols (self):"
    { perf report -i "$1" --stdio --no-children --sort dso,sym -g none 2>/dev/null || true; } | grep -v '^#' \
        | grep -v '^$' | head -n 20 || true
}

# jfc_file: JDK's 'profile' settings with denser sampling (a few seconds of load give hundreds of samples)
jfc_file() {
    local java_home jfc="$WORK/profile/vsref.jfc"
    java_home=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
    awk '/<event name="jdk.ExecutionSample">/ { e = 1 } /<event name="jdk.NativeMethodSample">/ { n = 1 }
        e && /name="period"/ { sub(/>[^<]*</, ">2 ms<"); e = 0 }
        n && /name="period"/ { sub(/>[^<]*</, ">10 ms<"); n = 0 }
        /<event name="jdk.JavaExceptionThrow">/ { x = 1 }
        x && /name="enabled"/ { sub(/>[^<]*</, ">true<"); x = 0 }
        { print }' "$java_home/lib/jfr/profile.jfc" >"$jfc"
    echo "$jfc"
}

# syscall_census NAME CHAIN MODE STREAMS: system calls per MiB of each proxy process of CHAIN while it moves MIB
# MiB (perf tracepoints), the kernel-side cost JFR cannot see
readonly CENSUS_SYSCALLS="read readv recvfrom recvmsg write writev sendto sendmsg epoll_wait epoll_pwait epoll_pwait2 epoll_ctl futex"
syscall_census() {
    local name=$1 chain=$2 mode=$3 streams=$4 dir="$WORK/profile" proc events="context-switches,raw_syscalls:sys_enter" call
    for call in $CENSUS_SYSCALLS; do events+=",syscalls:sys_enter_$call"; done
    local perf_pids=()
    for proc in ${CHAIN_PROCS[$chain]}; do
        perf stat -x, -e "$events" -p "${PROC_PID[$proc]}" -o "$dir/$name.$proc.syscalls" &
        perf_pids+=("$!")
    done
    sleep 0.5
    "$LOADGEN" run -socks "127.0.0.1:${SOCKS[$chain]}" -target "127.0.0.1:$SINK" -mode "$mode" \
        -mib $((MIB / streams)) -streams "$streams" >"$dir/$name.workload.log" 2>&1
    local pid
    for pid in "${perf_pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${perf_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    for proc in ${CHAIN_PROCS[$chain]}; do
        awk -F, -v p="$proc" -v mib="$MIB" -v what="$mode $streams" '
            $3 == "context-switches" { out = out sprintf(" context-switches %.0f", $1 / mib) }
            $3 ~ /sys_enter/ { e = $3; sub(/.*sys_enter_?/, "", e); if (e == "") e = "syscalls-all";
                if ($1 + 0 > 0) out = out sprintf(" %s %.0f", e, $1 / mib) }
            END { printf "%-7s %-14s per MiB:%s\n", what, p, out }' "$dir/$name.$proc.syscalls"
    done
}

open_workload() {
    "$LOADGEN" open -socks "127.0.0.1:${SOCKS[ours]}" -target "127.0.0.1:$SINK" -n 300 -pause 5ms
    PROBE ttfb --socks "127.0.0.1:${SOCKS[ours]}" --target "127.0.0.1:$RESPONDER" --reuse true -n 200 --pause 5
}

# nodelay_audit: strace on every Karaf thread while connections open through our chain; every socket Karaf accepts
# or connects is listed with whether TCP_NODELAY was set on it.
nodelay_audit() {
    local out="$WORK/profile/nodelay.txt" log="$WORK/profile/strace.log"
    if ! command -v strace >/dev/null; then
        echo "strace not installed: TCP_NODELAY not audited" >"$out"
        return
    fi
    local args=() tid
    for tid in /proc/"$KARAF_PID"/task/*; do args+=(-p "${tid##*/}"); done
    strace -qq -f -e trace=accept,accept4,connect,setsockopt,close -o "$log" "${args[@]}" 2>/dev/null &
    local strace_pid=$!
    sleep 2
    "$LOADGEN" open -socks "127.0.0.1:${SOCKS[ours]}" -target "127.0.0.1:$SINK" -n 3 -pause 50ms >/dev/null
    "$LOADGEN" open -socks "127.0.0.1:${COLD_SOCKS[ours]}" -target "127.0.0.1:$SINK" -n 3 -pause 50ms >/dev/null
    sleep 1
    kill -INT "$strace_pid" 2>/dev/null || true
    wait "$strace_pid" 2>/dev/null || true
    # listening sockets of Karaf: fd -> local port (from /proc/net/tcp by inode)
    local listeners
    listeners=$(for fd in /proc/"$KARAF_PID"/fd/*; do
        local target
        target=$(readlink "$fd" 2>/dev/null) || continue
        [[ "$target" == socket:* ]] || continue
        local inode=${target#socket:[}
        inode=${inode%]}
        awk -v i="$inode" -v fd="${fd##*/}" '$4 == "0A" && $10 == i { n = split($2, a, ":"); print fd, a[n] }' \
            /proc/net/tcp /proc/net/tcp6 2>/dev/null
    done | while read -r fd hex; do echo "$fd $((16#$hex))"; done)
    classify_sockets "$listeners" <"$log" | sort -k3 >"$out"
}

# classify_sockets LISTENERS < STRACE_LOG: each socket Karaf accepted or connected, by role, with TCP_NODELAY
classify_sockets() {
    awk -v listeners="$1" -v host="${SOCKS[ours]}" -v cold="${COLD_SOCKS[ours]}" -v server="$OUR_SERVER" \
        -v sink="$SINK" '
        BEGIN {
            n = split(listeners, l, "\n")
            for (i = 1; i <= n; i++) { split(l[i], pp, " "); port[pp[1]] = pp[2] }
            role[host] = "host: accepted from the application"; role[cold] = "host (no-reuse path): accepted from the application"
            role[server] = "our server: accepted carrier"
        }
        function fd_of(call,   f) { f = $0; sub(".*" call "\\(", "", f); sub(/[,)].*/, "", f); return f }
        function open_socket(fd, k) { id++; live[fd] = id; kind[id] = k; nodelay[id] = (fd in nd) ? nd[fd] : "never set" }
        # Netty sets the option on a new socket before connect(2), and right after accept(2)
        /setsockopt\(/ && /TCP_NODELAY/ { fd = fd_of("setsockopt"); nd[fd] = (/\[1\]/ ? "on" : "off")
            if (fd in live) nodelay[live[fd]] = nd[fd] }
        / accept4?\([0-9]+, \{/ && $NF ~ /^[0-9]+$/ { lfd = fd_of("accept4?"); delete nd[$NF]
            open_socket($NF, (port[lfd] in role) ? role[port[lfd]] : "accepted on port " port[lfd]) }
        / connect\(/ && /_port=htons/ { fd = fd_of("connect"); match($0, /_port=htons\([0-9]+\)/)
            p = substr($0, RSTART + 12, RLENGTH - 13)
            open_socket(fd, (p == server) ? "our client: carrier to our server" : (p == sink) ? "our server: outbound to the destination" : "connect to port " p) }
        / close\(/ { fd = fd_of("close"); delete live[fd]; delete nd[fd] }
        END {
            for (i = 1; i <= id; i++) count[kind[i] ", TCP_NODELAY " nodelay[i]]++
            for (c in count) printf "%3d sockets  %s\n", count[c], c
        }'
}

profile_karaf() {
    mkdir -p "$WORK/profile"
    # The first recording of a JVM makes C2 recompile for seconds (JFR's instrumentation): a throwaway one first.
    record_workload jfr-warm-up "$LOADGEN" run -socks "127.0.0.1:${SOCKS[ours]}" -target "127.0.0.1:$SINK" \
        -mode down -mib "$MIB" -streams 8
    say "profile: JFR on Karaf during a 1-stream and an 8-stream download ($((4 * MIB)) MiB each) and an open-latency run"
    record_workload download-1-stream "$LOADGEN" run -socks "127.0.0.1:${SOCKS[ours]}" -target "127.0.0.1:$SINK" \
        -mode down -mib $((4 * MIB)) -streams 1
    record_workload download-8-streams "$LOADGEN" run -socks "127.0.0.1:${SOCKS[ours]}" -target "127.0.0.1:$SINK" \
        -mode down -mib $((MIB / 2)) -streams 8
    record_workload open-latency open_workload
    if command -v perf >/dev/null; then
        say "profile: system calls per MiB (perf tracepoints), anytls4j and anytls-go"
        local chain
        for chain in ours ref; do
            syscall_census "syscalls-down8-$chain" "$chain" down 8
            syscall_census "syscalls-down1-$chain" "$chain" down 1
        done >"$WORK/profile/syscalls.txt"
    fi
    say "profile: TCP_NODELAY audit (strace)"
    nodelay_audit
    write_profile_summary >"$WORK/profile/summary.md"
}

write_profile_summary() {
    local name
    echo "### Profile of the Karaf JVM (\`--profile\`)"
    echo
    echo "JFR (the JDK's 'profile' settings, Java sampled every 2 ms, native every 10 ms, exceptions recorded) and perf,"
    echo "through the anytls4j chain; the CPU by thread is from /proc. Everything in \`target/vs-reference/profile/\`"
    echo "(\`*.digest.txt\`: the whole JFR digest; \`*.perf.txt\`; \`*.jfr\`)."
    echo "Native libraries loaded by Karaf: $(grep -o 'libnetty_[a-z_]*x86_64' "/proc/$KARAF_PID/maps" 2>/dev/null \
        | sed 's/_x86_64$//; s/_linux$//' | sort -u | tr '\n' ' ')"
    for name in download-1-stream download-8-streams open-latency; do
        echo
        echo "#### $name"
        echo
        echo '```'
        cat "$WORK/profile/$name.workload.log" "$WORK/profile/$name.cpu.txt"
        echo "CPU by thread (from /proc):"
        head -n 5 "$WORK/profile/$name.threads.txt"
        awk '/^JVM CPU/ || /^engines/' "$WORK/profile/$name.digest.txt"
        [[ -f "$WORK/profile/$name.perf.txt" ]] && awk '/^CPU samples/ { n = 0 } /^hottest/ { n = 0 } n++ < 6' "$WORK/profile/$name.perf.txt"
        awk '/^hot methods, self/ { on = 1; n = 0 } on && n++ < 9 { print } /^$/ { on = 0 }' "$WORK/profile/$name.digest.txt"
        awk '/^anytls4j methods, inclusive/ { on = 1; n = 0 } on && n++ < 7 { print } /^$/ { on = 0 }' "$WORK/profile/$name.digest.txt"
        awk '/^native methods/ { on = 1; n = 0 } on && n++ < 5 { print } /^$/ { on = 0 }' "$WORK/profile/$name.digest.txt"
        awk '/^allocation by site/ { on = 1; n = 0 } on && n++ < 5 { print } /^$/ { on = 0 }' "$WORK/profile/$name.digest.txt"
        awk '/^blocking/ { on = 1; n = 0 } on && n++ < 4 { print } /^$/ { on = 0 }' "$WORK/profile/$name.digest.txt"
        awk '/^exceptions thrown \(/ { on = 1; n = 0 } on && n++ < 5 { print } /^$/ { on = 0 } /^exceptions thrown in total/ { print }' \
            "$WORK/profile/$name.digest.txt"
        echo '```'
    done
    echo
    if [[ -f "$WORK/profile/syscalls.txt" ]]; then
        echo "#### System calls and context switches per MiB moved ($MIB MiB downloads, 8 and 1 streams; perf)"
        echo
        echo '```'
        cat "$WORK/profile/syscalls.txt"
        echo '```'
        echo
    fi
    echo "#### TCP_NODELAY on the sockets Karaf opened (strace during 6 opens; Go sets it on every TCP socket by default)"
    echo
    echo '```'
    cat "$WORK/profile/nodelay.txt"
    echo '```'
}
