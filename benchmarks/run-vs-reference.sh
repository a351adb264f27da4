#!/usr/bin/env bash
# benchmarks/run-vs-reference.sh PEERS_DIR [options]
#
# Side-by-side harness: this project's chain as a user runs it (the Karaf of ./run: SOCKS5 host -> AnyTLS client
# transport -> AnyTLS server) against the reference pair (anytls-go client -> anytls-go server), plus the two cross
# pairs (anytls-go client -> our server, our client -> anytls-go server), all on 127.0.0.1 with free ports, all
# driven by the same load tool through their SOCKS5 ports, rounds alternating between the chains.
#
# PEERS_DIR must hold bin/anytls-server, bin/anytls-client (anytls-go) and bin/loadgen (load tool and sink).
# Needs JDK 17+ (java, javac), Maven (for the build ./run does), bash and coreutils. Not part of `mvn -B verify`.
# Options:
#   --rounds N        rounds per measurement, medians are reported (default 5, at least 5 for quotable numbers)
#   --mib N           MiB moved per throughput case, split evenly over the streams (default 512)
#   --opens N         opens per round in the warm open-latency test and in the TTFB-on-a-reused-connection test
#                     (default 100); the cold open and TTFB-on-a-new-connection tests use N/3
#   --profile         after the rounds, record the Karaf JVM with JFR during a 1-stream download, an 8-stream
#                     download and an open-latency run, and audit TCP_NODELAY with strace (if installed)
#   --update[=FILE]   replace the section '## anytls4j against anytls-go' of FILE (default BENCHMARKS.md)
#   --skip-build      do not build: ./run uses the artifacts of the last build (ANYTLS_SKIP_BUILD=1)
#   --fingerprint P   also run our chain with the client's fingerprint = P (chrome) next to fingerprint = none: a fifth
#                     chain, same host and server, reported as a ratio to anytls4j (installs Bouncy Castle)
# Output: a Markdown report on stdout and in target/vs-reference/report.md; raw numbers, logs, recordings there too.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
readonly WORK="$ROOT/target/vs-reference"
readonly SECTION_TITLE="## anytls4j against anytls-go (side by side, through the host)"
COMMAND_LINE="benchmarks/run-vs-reference.sh $*"

say() { printf '[vs-ref] %s\n' "$*" >&2; }
die() {
    printf '[vs-ref] ERROR: %s\n' "$*" >&2
    exit 1
}

usage() {
    sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# --- arguments ---------------------------------------------------------------------------------------------------

PEERS=""
ROUNDS=5
MIB=512
OPENS=100
PROFILE=false
UPDATE=""
SKIP_BUILD=false
FINGERPRINT=""
while (($#)); do
    case "$1" in
        --rounds) ROUNDS=${2:?--rounds needs a number}; shift ;;
        --mib) MIB=${2:?--mib needs a number}; shift ;;
        --opens) OPENS=${2:?--opens needs a number}; shift ;;
        --profile) PROFILE=true ;;
        --update) UPDATE="$ROOT/BENCHMARKS.md" ;;
        --update=*) UPDATE=${1#--update=} ;;
        --skip-build) SKIP_BUILD=true ;;
        --fingerprint) FINGERPRINT=${2:?--fingerprint needs a profile name (chrome)}; shift ;;
        -h | --help) usage ;;
        -*) say "unknown option $1"; usage ;;
        *) [[ -z "$PEERS" ]] || die "only one PEERS_DIR, got '$PEERS' and '$1'"; PEERS=$1 ;;
    esac
    shift
done
for n in ROUNDS MIB OPENS; do
    [[ "${!n}" =~ ^[1-9][0-9]*$ ]] || die "--${n,,} must be a positive whole number, got '${!n}'"
done
[[ -z "$FINGERPRINT" || "$FINGERPRINT" =~ ^[a-z0-9]+$ ]] || die "--fingerprint takes a profile name such as chrome"
((MIB % 8 == 0)) || die "--mib must be a multiple of 8 (it is split over 8 streams), got $MIB"

missing=()
for tool in anytls-server anytls-client loadgen; do
    [[ -n "$PEERS" && -x "$PEERS/bin/$tool" ]] || missing+=("bin/$tool")
done
if ((${#missing[@]})); then
    cat >&2 <<EOF
usage: benchmarks/run-vs-reference.sh PEERS_DIR [--rounds N] [--mib N] [--opens N] [--profile] [--update[=FILE]] [--skip-build] [--fingerprint chrome]

PEERS_DIR must contain the reference implementation and the load tool, as Linux executables:
  bin/anytls-server   anytls-go's sample server (github.com/anytls/anytls-go, cmd/server)
  bin/anytls-client   anytls-go's sample client: a SOCKS5 listener over pooled AnyTLS sessions (cmd/client)
  bin/loadgen         the load tool: 'loadgen sink', 'loadgen run', 'loadgen open'
EOF
    if [[ -n "$PEERS" ]]; then
        echo "In '$PEERS' these are missing or not executable: ${missing[*]}" >&2
    else
        echo "No PEERS_DIR given." >&2
    fi
    exit 2
fi
# The report names the folder PEERS_DIR, not this machine's path: BENCHMARKS.md must not point outside the repository.
COMMAND_LINE=${COMMAND_LINE/" $PEERS"/" PEERS_DIR"}
readonly COMMAND_LINE
PEERS=$(cd "$PEERS" && pwd)
readonly GO_SERVER="$PEERS/bin/anytls-server" GO_CLIENT="$PEERS/bin/anytls-client" LOADGEN="$PEERS/bin/loadgen"
for tool in java javac mvn; do
    command -v "$tool" >/dev/null || die "'$tool' not found on PATH (JDK 17+ and Maven are needed)"
done
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# --- processes ---------------------------------------------------------------------------------------------------

PIDS=()
RUN_PID=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$RUN_PID" ]] && kill -0 "$RUN_PID" 2>/dev/null; then
        say "stopping Karaf (./run pid $RUN_PID)"
        kill -TERM "$RUN_PID" 2>/dev/null || true
        wait "$RUN_PID" 2>/dev/null || true
    fi
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

TAKEN=" "
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000))
        [[ "$TAKEN" != *" $port "* ]] && ! port_in_use "$port" && break
    done
    TAKEN+="$port "
    echo "$port"
}

# start NAME COMMAND...: a background process whose pid lands in PID_<NAME>
start() {
    local name=$1
    shift
    "$@" >"$WORK/logs/$name.log" 2>&1 &
    PIDS+=("$!")
    printf -v "PID_${name//-/_}" '%s' "$!"
}

wait_for_port() {
    local port=$1 what=$2 deadline=$((SECONDS + 60))
    until port_in_use "$port"; do
        ((SECONDS < deadline)) || die "$what did not listen on 127.0.0.1:$port within 60 s (logs in $WORK/logs)"
        sleep 0.2
    done
}

# An HTTP CONNECT to the sink through a host (the anytls4j host and the anytls-go client both speak it): a 200
# means every hop of that chain is up.
chain_answers() {
    local status=""
    if { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
        printf 'CONNECT 127.0.0.1:%s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\n\r\n' "$SINK" "$SINK" >&3 || true
        IFS= read -r -t 10 status <&3 || true
        exec 3<&- 3>&-
    fi
    [[ "$status" == HTTP/1.?" 200"* ]]
}

wait_for_chain() {
    local port=$1 what=$2 deadline=$((SECONDS + 120))
    until chain_answers "$port"; do
        ((SECONDS < deadline)) || die "$what on 127.0.0.1:$port does not pass a CONNECT within 120 s (logs in $WORK/logs)"
        sleep 1
    done
}

PROBE() { java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$WORK/classes" VsRefProbe "$@"; }

# --- setup -------------------------------------------------------------------------------------------------------

rm -rf "$WORK"
mkdir -p "$WORK/logs"
say "compiling the probe (benchmarks/vsref/*.java)"
javac -d "$WORK/classes" "$ROOT"/benchmarks/vsref/*.java

PASSWORD=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 20 || true)
export ANYTLS_PASSWORD=$PASSWORD
SINK=$(free_port)
RESPONDER=$(free_port)
NAGLE_RESPONDER=$(free_port)
OUR_SERVER=$(free_port)
GO_SERVER_PORT=$(free_port)
RELAY_OURS=$(free_port)
RELAY_GO=$(free_port)
start sink "$LOADGEN" sink -l "127.0.0.1:$SINK"
start responder java -XX:+UseSerialGC -cp "$WORK/classes" VsRefProbe responder --listen "127.0.0.1:$RESPONDER"
start nagle-responder java -XX:+UseSerialGC -cp "$WORK/classes" VsRefProbe responder \
    --listen "127.0.0.1:$NAGLE_RESPONDER" --nodelay false
start go-server "$GO_SERVER" -l "127.0.0.1:$GO_SERVER_PORT" -p "$PASSWORD"
start relay-ours java -XX:+UseSerialGC -cp "$WORK/classes" VsRefProbe relay --listen "127.0.0.1:$RELAY_OURS" \
    --target "127.0.0.1:$OUR_SERVER" --count-file "$WORK/sessions-ours-server"
start relay-go java -XX:+UseSerialGC -cp "$WORK/classes" VsRefProbe relay --listen "127.0.0.1:$RELAY_GO" \
    --target "127.0.0.1:$GO_SERVER_PORT" --count-file "$WORK/sessions-go-server"

# The four chains. Each has a main SOCKS5 port, a port whose client dials through a counting relay (session count of
# the short-connection test) and a port whose client never reuses a session (cold opens).
CHAINS=(ours ref goc-ours ourc-gos)
declare -A LABEL=([ours]="anytls4j (host → our client → our server)" [ref]="anytls-go (client → server)"
    [goc-ours]="anytls-go client → our server" [ourc-gos]="our host + client → anytls-go server")
declare -A SOCKS COUNT_SOCKS COLD_SOCKS RELAY_FILE
for chain in "${CHAINS[@]}"; do
    SOCKS[$chain]=$(free_port)
    COUNT_SOCKS[$chain]=$(free_port)
    COLD_SOCKS[$chain]=$(free_port)
done
RELAY_FILE=([ours]=sessions-ours-server [ref]=sessions-go-server [goc-ours]=sessions-ours-server
    [ourc-gos]=sessions-go-server)
if [[ -n "$FINGERPRINT" ]]; then
    # Our chain once more, its client with fingerprint = FINGERPRINT: the Bouncy Castle engine next to BoringSSL's.
    CHAINS+=(fp)
    LABEL[fp]="anytls4j, fingerprint = $FINGERPRINT (host → our client → our server)"
    SOCKS[fp]=$(free_port)
    COUNT_SOCKS[fp]=$(free_port)
    COLD_SOCKS[fp]=$(free_port)
    RELAY_FILE[fp]=sessions-ours-server
fi

# anytls-go clients: -m 5 (their default), the same as a user gets
go_client() { # NAME LISTEN SERVER [-dr]
    start "$1" "$GO_CLIENT" -l "127.0.0.1:$2" -s "127.0.0.1:$3" -p "$PASSWORD" "${@:4}"
}
go_client go-client-ref "${SOCKS[ref]}" "$GO_SERVER_PORT"
go_client go-client-ref-count "${COUNT_SOCKS[ref]}" "$RELAY_GO"
go_client go-client-ref-cold "${COLD_SOCKS[ref]}" "$GO_SERVER_PORT" -dr
go_client go-client-x "${SOCKS[goc-ours]}" "$OUR_SERVER"
go_client go-client-x-count "${COUNT_SOCKS[goc-ours]}" "$RELAY_OURS"
go_client go-client-x-cold "${COLD_SOCKS[goc-ours]}" "$OUR_SERVER" -dr

say "starting Karaf with ./run (server 127.0.0.1:$OUR_SERVER, host 127.0.0.1:${SOCKS[ours]}$($SKIP_BUILD && echo ', ANYTLS_SKIP_BUILD=1'))"
(
    export ANYTLS_SERVER_PORT=$OUR_SERVER ANYTLS_SOCKS_PORT=${SOCKS[ours]}
    $SKIP_BUILD && export ANYTLS_SKIP_BUILD=1
    exec "$ROOT/run" </dev/null
) >"$WORK/logs/run.log" 2>&1 &
RUN_PID=$!
deadline=$((SECONDS + 900))
until grep -q 'self-test passed' "$WORK/logs/run.log"; do
    kill -0 "$RUN_PID" 2>/dev/null || { tail -n 30 "$WORK/logs/run.log" >&2; die "./run failed (log: $WORK/logs/run.log)"; }
    ((SECONDS < deadline)) || die "./run not ready after 900 s (log: $WORK/logs/run.log)"
    sleep 1
done
KARAF_PID=$(sed -n 's/.*Karaf runs as pid \([0-9]*\).*/\1/p' "$WORK/logs/run.log" | head -n 1)
[[ -n "$KARAF_PID" ]] || die "cannot find Karaf's pid in $WORK/logs/run.log"
KARAF_HOME=$(ls -d "$ROOT"/target/run/apache-karaf-*/ | head -n 1)
say "Karaf is up (pid $KARAF_PID); adding the extra client transports and hosts of the other paths"

# extra_path NAME SERVER_PORT HOST_PORT [PROPERTY=VALUE...]: a client transport and a host routed through it
extra_path() {
    local name=$1 server=$2 port=$3 property
    {
        echo "transport.name = $name"
        echo "server = 127.0.0.1:$server"
        echo '.password = $[env:ANYTLS_PASSWORD]'
        echo "insecure = true"
        for property in "${@:4}"; do echo "${property%%=*} = ${property#*=}"; done
    } >"$KARAF_HOME/etc/org.anytls4j.anytls.client-$name.cfg"
    printf 'name = %s\nlistenAddress = 127.0.0.1\nport = %s\noutbound.target = (transport.name=%s)\n' \
        "$name" "$port" "$name" >"$KARAF_HOME/etc/org.anytls4j.host-$name.cfg"
}
extra_path ourscount "$RELAY_OURS" "${COUNT_SOCKS[ours]}"
extra_path ourscold "$OUR_SERVER" "${COLD_SOCKS[ours]}" disableReuse=true
extra_path togo "$GO_SERVER_PORT" "${SOCKS[ourc-gos]}"
extra_path togocount "$RELAY_GO" "${COUNT_SOCKS[ourc-gos]}"
extra_path togocold "$GO_SERVER_PORT" "${COLD_SOCKS[ourc-gos]}" disableReuse=true
if [[ -n "$FINGERPRINT" ]]; then
    # Bouncy Castle first, through the console ./run opened (its log prints the command): the feature
    # anytls4j-fingerprint without a refresh (-r: a refresh of Karaf's own bundles would cut the console session),
    # then a refresh of the anytls4j bundle alone to wire its optional imports. The refresh restarts the components;
    # the transports follow once the client "default" has started again, so that their configuration is not refused
    # for want of Bouncy Castle.
    KARAF_LOG="$KARAF_HOME/data/log/karaf.log"
    read -r CONSOLE_PORT CONSOLE_PASSWORD < <(sed -n 's/.*Karaf console:.* -a \([0-9]*\) -u karaf -p \([^ ]*\).*/\1 \2/p' \
        "$WORK/logs/run.log" | head -n 1) || true
    [[ -n "$CONSOLE_PASSWORD" ]] || die "cannot find the Karaf console's port and password in $WORK/logs/run.log"
    started_before=$(grep -c 'AnyTLS transport default started' "$KARAF_LOG" || true)
    printf '%s\n' 'feature:install -r anytls4j-fingerprint' 'bundle:refresh org.anytls4j.anytls' \
        | "$KARAF_HOME/bin/client" -b -a "$CONSOLE_PORT" -h 127.0.0.1 -u karaf -p "$CONSOLE_PASSWORD" -r 3 -d 1 \
            >"$WORK/logs/fingerprint-install.log" 2>&1 || die "installing Bouncy Castle failed ($WORK/logs/fingerprint-install.log)"
    ! grep -q 'Error executing' "$WORK/logs/fingerprint-install.log" \
        || die "installing Bouncy Castle failed: $(cat "$WORK/logs/fingerprint-install.log")"
    deadline=$((SECONDS + 180))
    until (($(grep -c 'AnyTLS transport default started' "$KARAF_LOG" || true) > started_before)); do
        ((SECONDS < deadline)) || die "the anytls4j bundle did not restart with Bouncy Castle within 180 s (log: $KARAF_LOG)"
        sleep 1
    done
    say "Bouncy Castle (feature anytls4j-fingerprint) wired; adding the fingerprint = $FINGERPRINT transports"
    extra_path fp "$OUR_SERVER" "${SOCKS[fp]}" "fingerprint=$FINGERPRINT"
    extra_path fpcount "$RELAY_OURS" "${COUNT_SOCKS[fp]}" "fingerprint=$FINGERPRINT"
    extra_path fpcold "$OUR_SERVER" "${COLD_SOCKS[fp]}" disableReuse=true "fingerprint=$FINGERPRINT"
fi

for chain in "${CHAINS[@]}"; do
    wait_for_chain "${SOCKS[$chain]}" "chain $chain"
    wait_for_chain "${COLD_SOCKS[$chain]}" "chain $chain (no reuse)"
    wait_for_port "${COUNT_SOCKS[$chain]}" "chain $chain (counted)"
done
wait_for_port "$RESPONDER" "the responder"
wait_for_port "$NAGLE_RESPONDER" "the responder without TCP_NODELAY"
say "all ${#CHAINS[@]} chains answer"

# --- measuring ---------------------------------------------------------------------------------------------------

# CPU seconds (user sys) of a process so far, from /proc/PID/stat
cpu_of() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo "0 0"; return; }
    stat=${stat##*) }
    awk -v hz="$CLK_TCK" '{ printf "%.3f %.3f", $12 / hz, $13 / hz }' <<<"$stat"
}

declare -A PROC_PID
PROC_PID=([karaf]=$KARAF_PID [go-client-ref]=$PID_go_client_ref [go-client-x]=$PID_go_client_x
    [go-server]=$PID_go_server [sink]=$PID_sink)
declare -A CHAIN_PROCS=([ours]="karaf" [ref]="go-client-ref go-server" [goc-ours]="go-client-x karaf"
    [ourc-gos]="karaf go-server" [fp]="karaf")

RESULTS="$WORK/results.tsv" # round chain metric value
CPU="$WORK/cpu.tsv"         # round chain case process user_s system_s gib
: >"$RESULTS"
: >"$CPU"
record() { printf '%s\t%s\t%s\t%s\n' "$ROUND" "$1" "$2" "$3" >>"$RESULTS"; }

# throughput CHAIN CASE MODE STREAMS
throughput() {
    local chain=$1 case=$2 mode=$3 streams=$4 per_stream=$((MIB / $4)) proc out
    declare -A before
    for proc in "${!PROC_PID[@]}"; do before[$proc]=$(cpu_of "${PROC_PID[$proc]}"); done
    out=$( (
        "$LOADGEN" run -socks "127.0.0.1:${SOCKS[$chain]}" -target "127.0.0.1:$SINK" -mode "$mode" \
            -mib "$per_stream" -streams "$streams"
        times
    ) 2>&1) || die "loadgen failed on $chain $case: $out"
    local mbps gib
    mbps=$(awk 'NR == 1 { print $1 }' <<<"$out")
    [[ "$mbps" =~ ^[0-9.]+$ ]] || die "unexpected loadgen output on $chain $case: $out"
    record "$chain" "$case" "$mbps"
    gib=$(awk -v m="$MIB" 'BEGIN { printf "%.6f", m / 1024 }')
    for proc in "${!PROC_PID[@]}"; do
        read -r u1 s1 <<<"${before[$proc]}"
        read -r u2 s2 <<<"$(cpu_of "${PROC_PID[$proc]}")"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ROUND" "$chain" "$case" "$proc" \
            "$(awk -v a="$u1" -v b="$u2" 'BEGIN { printf "%.3f", b - a }')" \
            "$(awk -v a="$s1" -v b="$s2" 'BEGIN { printf "%.3f", b - a }')" "$gib" >>"$CPU"
    done
    # loadgen's own CPU: the subshell's children times (second line of 'times')
    read -r lu ls <<<"$(awk 'NR == 3 { gsub(/s/, "", $1); gsub(/s/, "", $2); split($1, u, "m"); split($2, s, "m");
        printf "%.3f %.3f", u[1] * 60 + u[2], s[1] * 60 + s[2] }' <<<"$out")"
    printf '%s\t%s\t%s\tloadgen\t%s\t%s\t%s\n' "$ROUND" "$chain" "$case" "$lu" "$ls" "$gib" >>"$CPU"
}

# field LINE KEY: the value of KEY=VALUE in a probe line
field() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" <<<"$1"; }

latency() {
    local chain=$1 out line
    out=$("$LOADGEN" open -socks "127.0.0.1:${SOCKS[$chain]}" -target "127.0.0.1:$SINK" -n "$OPENS" -pause 20ms) \
        || die "loadgen open failed on $chain: $out"
    record "$chain" open-warm-p50 "$(sed -n 's/.*p50 \([0-9.]*\) ms.*/\1/p' <<<"$out")"
    record "$chain" open-warm-p99 "$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' <<<"$out")"
    out=$("$LOADGEN" open -socks "127.0.0.1:${COLD_SOCKS[$chain]}" -target "127.0.0.1:$SINK" \
        -n $((OPENS / 3)) -pause 20ms) || die "loadgen open (cold) failed on $chain: $out"
    record "$chain" open-cold-p50 "$(sed -n 's/.*p50 \([0-9.]*\) ms.*/\1/p' <<<"$out")"
    record "$chain" open-cold-p99 "$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' <<<"$out")"
    out=$(PROBE ttfb --socks "127.0.0.1:${SOCKS[$chain]}" --target "127.0.0.1:$RESPONDER" --reuse true \
        -n "$OPENS" --pause 20) || die "ttfb (reused) failed on $chain: $out"
    line=$(grep '^ttfb' <<<"$out")
    record "$chain" ttfb-reused-p50 "$(field "$line" p50)"
    record "$chain" ttfb-reused-p99 "$(field "$line" p99)"
    record "$chain" ttfb-reused-max "$(field "$line" max)"
    record "$chain" ttfb-reused-over30 "$(field "$line" over30ms)"
    line=$(grep '^full' <<<"$out")
    record "$chain" full-reused-p50 "$(field "$line" p50)"
    record "$chain" full-reused-over30 "$(field "$line" over30ms)"
    out=$(PROBE ttfb --socks "127.0.0.1:${SOCKS[$chain]}" --target "127.0.0.1:$RESPONDER" --reuse true --split true \
        -n "$OPENS" --pause 20) || die "ttfb (reused, split request) failed on $chain: $out"
    line=$(grep '^ttfb' <<<"$out")
    record "$chain" ttfb-split-p50 "$(field "$line" p50)"
    record "$chain" ttfb-split-p99 "$(field "$line" p99)"
    record "$chain" ttfb-split-over30 "$(field "$line" over30ms)"
    out=$(PROBE ttfb --socks "127.0.0.1:${SOCKS[$chain]}" --target "127.0.0.1:$NAGLE_RESPONDER" --reuse true \
        -n "$OPENS" --pause 20) || die "ttfb (reused, Nagle-on destination) failed on $chain: $out"
    line=$(grep '^full' <<<"$out")
    record "$chain" full-nagle-p50 "$(field "$line" p50)"
    record "$chain" full-nagle-p99 "$(field "$line" p99)"
    record "$chain" full-nagle-over30 "$(field "$line" over30ms)"
    out=$(PROBE ttfb --socks "127.0.0.1:${SOCKS[$chain]}" --target "127.0.0.1:$RESPONDER" --reuse false \
        -n $((OPENS / 3)) --pause 20) || die "ttfb (new) failed on $chain: $out"
    line=$(grep '^ttfb' <<<"$out")
    record "$chain" ttfb-new-p50 "$(field "$line" p50)"
    record "$chain" ttfb-new-p99 "$(field "$line" p99)"
}

# The short-connection test on clients that have no session yet: 100 opens 20 ms apart, the application closing
# first; the relay in front of the server counts the TLS sessions (TCP connections) it accepted meanwhile.
session_count() {
    local chain=$1 file="$WORK/${RELAY_FILE[$1]}" before after
    before=$(cat "$file")
    "$LOADGEN" open -socks "127.0.0.1:${COUNT_SOCKS[$chain]}" -target "127.0.0.1:$SINK" -n 100 -pause 20ms \
        >"$WORK/logs/session-count-$chain.log" 2>&1 || die "session-count test failed on $chain"
    sleep 1
    after=$(cat "$file")
    record "$chain" sessions-100-opens $((after - before))
}

THROUGHPUT_CASES=("down1 down 1" "up1 up 1" "down8 down 8" "up8 up 8")
readonly WARM_UP_OPENS=1000
ROUND=0
say "session count of the short-connection test (fresh clients)"
for chain in "${CHAINS[@]}"; do session_count "$chain"; done

# The opens of the warm-up are many so that the JIT has compiled the JVM's open path before anything is measured, as
# in a proxy that has run for a while (a few seconds per chain; Go's binaries need no warm-up, and get the same).
say "warm-up: one small round of every case through every chain, and $WARM_UP_OPENS opens (not recorded)"
for chain in "${CHAINS[@]}"; do
    "$LOADGEN" run -socks "127.0.0.1:${SOCKS[$chain]}" -target "127.0.0.1:$SINK" -mode down -mib 64 -streams 8 >/dev/null
    "$LOADGEN" run -socks "127.0.0.1:${SOCKS[$chain]}" -target "127.0.0.1:$SINK" -mode up -mib 64 -streams 8 >/dev/null
    "$LOADGEN" open -socks "127.0.0.1:${SOCKS[$chain]}" -target "127.0.0.1:$SINK" -n "$WARM_UP_OPENS" -pause 1ms >/dev/null
done

started=$SECONDS
for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    # the chains take turns, and the one going first changes every round
    order=()
    for ((i = 0; i < ${#CHAINS[@]}; i++)); do order+=("${CHAINS[$(((i + ROUND - 1) % ${#CHAINS[@]}))]}"); done
    for spec in "${THROUGHPUT_CASES[@]}"; do
        read -r case mode streams <<<"$spec"
        for chain in "${order[@]}"; do throughput "$chain" "$case" "$mode" "$streams"; done
    done
    for chain in "${order[@]}"; do latency "$chain"; done
    say "round $ROUND of $ROUNDS done ($((SECONDS - started)) s): $(awk -v r="$ROUND" -F'\t' \
        '$1 == r && $3 == "down1" { printf "%s %s MB/s  ", $2, $4 }' "$RESULTS")"
done

# --- profile -----------------------------------------------------------------------------------------------------

source "$ROOT/benchmarks/vsref/profile.sh"
if $PROFILE; then profile_karaf; fi

# --- report ------------------------------------------------------------------------------------------------------

source "$ROOT/benchmarks/vsref/report.sh"

# The fp chain against ours: the same host, server and JVM, only the client's TLS engine differs.
write_fingerprint_report() {
    local metric none fp
    local -A label=([down1]="download, 1 stream (MB/s)" [up1]="upload, 1 stream (MB/s)"
        [down8]="download, 8 streams (MB/s)" [up8]="upload, 8 streams (MB/s)"
        [open-warm-p50]="open, reused session, p50 (ms)" [open-cold-p50]="open, new session, p50 (ms)"
        [open-cold-p99]="open, new session, p99 (ms)" [ttfb-new-p50]="first byte, new connection, p50 (ms)")
    cat <<EOF

### fingerprint = $FINGERPRINT next to fingerprint = none (our chain)

Both through the same Karaf host and AnyTLS server; \`none\` is the default client (tlsProvider = auto: BoringSSL when
tcnative is installed), \`$FINGERPRINT\` the Bouncy Castle engine. Ratio = $FINGERPRINT / none (throughput: below 1 is
slower; latency: above 1 is slower).

| metric | none | $FINGERPRINT | ratio |
|---|---|---|---|
EOF
    for metric in down1 up1 down8 up8 open-warm-p50 open-cold-p50 open-cold-p99 ttfb-new-p50; do
        none=$(median ours "$metric")
        fp=$(median fp "$metric")
        echo "| ${label[$metric]} | $(fmt "$none" 1) | $(fmt "$fp" 1) | **$(ratio "$fp" "$none")** |"
    done
}
write_report >"$WORK/report.md"
if [[ -n "$FINGERPRINT" ]]; then write_fingerprint_report >>"$WORK/report.md"; fi
cat "$WORK/report.md"
if [[ -n "$UPDATE" ]]; then
    replace_section "$UPDATE" "$WORK/report.md"
    say "replaced the section '$SECTION_TITLE' of $UPDATE"
fi
