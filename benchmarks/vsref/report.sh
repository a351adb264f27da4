# Markdown report of benchmarks/run-vs-reference.sh; sourced by it (uses its RESULTS, CPU, WORK, ROUNDS, ...).

# middle: the median of the numbers on standard input, one a line ("–" when there are none)
middle() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "–"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# median CHAIN METRIC [FIRST_ROUND]: median over the recorded rounds (round 0 is the once-only session count)
median() {
    awk -F'\t' -v c="$1" -v m="$2" -v first="${3:-1}" '$1 >= first && $2 == c && $3 == m { print $4 }' "$RESULTS" \
        | middle
}

# fmt VALUE DIGITS: a number rounded, or the dash as it is
fmt() { [[ "$1" == "–" ]] && echo "–" || printf '%.*f' "$2" "$1"; }

# ratio A B: A / B to two decimals
ratio() {
    [[ "$1" == "–" || "$2" == "–" ]] && { echo "–"; return; }
    awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "–"; else printf "%.2f", a / b }'
}

# cpu_cell CHAIN CASE PROC: median CPU seconds per GiB (user+system) and the median system share
cpu_cell() {
    local rows total system
    rows=$(awk -F'\t' -v c="$1" -v k="$2" -v p="$3" '$2 == c && $3 == k && $4 == p {
        t = $5 + $6; print t / $7, (t > 0 ? 100 * $6 / t : 0) }' "$CPU")
    [[ -n "$rows" ]] || { echo "–"; return; }
    total=$(cut -d' ' -f1 <<<"$rows" | middle)
    system=$(cut -d' ' -f2 <<<"$rows" | middle)
    awk -v t="$total" -v s="$system" 'BEGIN { printf "%.2f (sys %.0f %%)", t, s }'
}

machine() {
    local cpu
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    echo "$(uname -sr), ${cpu:-unknown CPU}, $(nproc) cores, $(java -version 2>&1 | head -n 1)"
}

write_report() {
    local chain case metric ours ref
    cat <<EOF
$SECTION_TITLE

Written by \`benchmarks/run-vs-reference.sh\` (replaced on every run with \`--update\`). Machine: $(machine).
Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)').
Command: \`$COMMAND_LINE\` (took $(((SECONDS + 59) / 60)) min, build and Karaf start included) — $ROUNDS rounds, the chains taking turns (the first one changes every round), medians
shown; $MIB MiB per throughput case (8 streams: $((MIB / 8)) MiB each); $OPENS warm opens and reused-connection
requests per round, $((OPENS / 3)) cold opens and new-connection requests, after a warm-up of one small round of every
case and $WARM_UP_OPENS opens per chain (not recorded; the JVM's JIT compiles the open path). All on 127.0.0.1, driven by \`loadgen\`
through each chain's SOCKS5 port; the destination is \`loadgen sink\` (the TTFB tests: a small HTTP-shaped responder
that answers a header and a 1 KiB body in two writes, TCP_NODELAY set).

Chains: **anytls4j** = the Karaf of \`./run\` (SOCKS5 host → AnyTLS client transport → AnyTLS server, one JVM);
**anytls-go** = anytls-go v0.0.13 \`anytls-client\` → \`anytls-server\`; and the cross pairs. Ratios are anytls4j / anytls-go
(for latency, above 1 means anytls4j is slower). This machine is shared: only side-by-side ratios mean anything.

### Throughput (MB/s, 10^6 bytes per second)

| case | anytls4j | anytls-go | ratio | Go client → our server (÷ Go) | our client → Go server (÷ Go) |
|---|---|---|---|---|---|
EOF
    local -A case_label=([down1]="download, 1 stream" [up1]="upload, 1 stream" [down8]="download, 8 streams"
        [up8]="upload, 8 streams")
    for case in down1 up1 down8 up8; do
        ours=$(median ours "$case")
        ref=$(median ref "$case")
        local x1 x2
        x1=$(median goc-ours "$case")
        x2=$(median ourc-gos "$case")
        echo "| ${case_label[$case]} | $(fmt "$ours" 0) | $(fmt "$ref" 0) | **$(ratio "$ours" "$ref")** | $(fmt "$x1" 0) ($(ratio "$x1" "$ref")) | $(fmt "$x2" 0) ($(ratio "$x2" "$ref")) |"
    done
    cat <<EOF

### CPU seconds per GiB moved (user + system, median; system share in brackets)

From \`/proc/PID/stat\` before and after each transfer. The Karaf JVM holds the host, our client and our server; in a
cross pair only its half is busy. loadgen (the application) and the sink are the same program for every chain.

| case | chain | proxy processes | loadgen | sink |
|---|---|---|---|---|
EOF
    local -A proc_label=([karaf]="Karaf" [go-client-ref]="Go client" [go-client-x]="Go client" [go-server]="Go server")
    for case in down1 up1 down8 up8; do
        for chain in "${CHAINS[@]}"; do
            local cells="" proc
            for proc in ${CHAIN_PROCS[$chain]}; do
                cells+="${cells:+; }${proc_label[$proc]} $(cpu_cell "$chain" "$case" "$proc")"
            done
            echo "| ${case_label[$case]} | ${chain} | $cells | $(cpu_cell "$chain" "$case" loadgen) | $(cpu_cell "$chain" "$case" sink) |"
        done
    done
    cat <<EOF

### Latency (ms)

Open = TCP connect to the SOCKS5 port, greeting, CONNECT, reply, then a 1-byte echo (\`loadgen open\`, 20 ms apart,
the application closing first). Warm: the chain's pooled client. Cold: a client of the same chain with session
reuse off (anytls-go \`-dr\`, anytls4j \`disableReuse = true\`), so every open pays TCP + TLS + authentication.
TTFB = time from the request's write to the first response byte; reused: every request on one tunnel, 20 ms apart;
new: each request on a new tunnel, counted from the TCP connect; "request in two writes": the request head's last
two bytes sent in a second write (write-write-read, what Nagle plus a delayed ACK stalls); "destination with Nagle
on": the responder leaves TCP_NODELAY off (as Python's http.server does), so its body waits for the ACK of its
header. "> 30 ms" counts requests per round above 30 ms (the signature of a 40 ms delayed-ACK/Nagle stall); "full"
is to the response's last byte.

| metric | anytls4j | anytls-go | ratio | Go client → our server | our client → Go server |
|---|---|---|---|---|---|
EOF
    local -A metric_label=([open-warm-p50]="open + 1-byte echo, warm, p50" [open-warm-p99]="open + 1-byte echo, warm, p99"
        [open-cold-p50]="open + 1-byte echo, cold, p50" [open-cold-p99]="open + 1-byte echo, cold, p99"
        [ttfb-reused-p50]="TTFB, reused connection, p50" [ttfb-reused-p99]="TTFB, reused connection, p99"
        [ttfb-reused-max]="TTFB, reused connection, max" [ttfb-reused-over30]="TTFB, reused connection, requests > 30 ms"
        [ttfb-split-p50]="TTFB, reused connection, request in two writes, p50"
        [ttfb-split-p99]="TTFB, reused connection, request in two writes, p99"
        [ttfb-split-over30]="TTFB, reused connection, request in two writes, requests > 30 ms"
        [full-nagle-p50]="full response, reused connection, destination with Nagle on, p50"
        [full-nagle-p99]="full response, reused connection, destination with Nagle on, p99"
        [full-nagle-over30]="full response, reused connection, destination with Nagle on, requests > 30 ms"
        [full-reused-p50]="full response, reused connection, p50" [full-reused-over30]="full response, reused connection, requests > 30 ms"
        [ttfb-new-p50]="TTFB, new connection, p50" [ttfb-new-p99]="TTFB, new connection, p99")
    for metric in open-warm-p50 open-warm-p99 open-cold-p50 open-cold-p99 ttfb-reused-p50 ttfb-reused-p99 \
        ttfb-reused-max ttfb-reused-over30 full-reused-p50 full-reused-over30 ttfb-split-p50 ttfb-split-p99 \
        ttfb-split-over30 full-nagle-p50 full-nagle-p99 full-nagle-over30 ttfb-new-p50 ttfb-new-p99; do
        local digits=2
        [[ "$metric" == *over30 ]] && digits=0
        ours=$(median ours "$metric")
        ref=$(median ref "$metric")
        echo "| ${metric_label[$metric]} | $(fmt "$ours" $digits) | $(fmt "$ref" $digits) | $(ratio "$ours" "$ref") | $(fmt "$(median goc-ours "$metric")" $digits) | $(fmt "$(median ourc-gos "$metric")" $digits) |"
    done
    cat <<EOF

### Sessions of the short-connection test

100 sequential opens 20 ms apart through a client that has no session yet, the application closing first; a relay in
front of the server counts the TCP connections (TLS sessions) it accepted. Measured once per run (a client's later
rounds would reuse what the first left in its pool).

| chain | TLS sessions |
|---|---|
EOF
    for chain in "${CHAINS[@]}"; do
        echo "| ${LABEL[$chain]} | $(median "$chain" sessions-100-opens 0) |"
    done
    if [[ -f "$WORK/profile/summary.md" ]]; then
        echo
        cat "$WORK/profile/summary.md"
    fi
    echo
    echo "Raw numbers: \`target/vs-reference/results.tsv\` (round, chain, metric, value) and \`cpu.tsv\` (round, chain, case, process, user s, system s, GiB)."
}

# replace_section FILE REPORT: puts REPORT in place of FILE's section titled SECTION_TITLE (up to the next '## '
# heading), or appends it when FILE has no such section yet.
replace_section() {
    local file=$1 report=$2
    [[ -f "$file" ]] || : >"$file"
    awk -v title="$SECTION_TITLE" -v report="$report" '
        function emit(   line) { while ((getline line < report) > 0) print line; close(report); done = 1 }
        $0 == title { skipping = 1; emit(); next }
        skipping && /^## / { skipping = 0; print ""; }
        !skipping { print }
        END { if (!done) { print ""; emit() } }
    ' "$file" >"$file.new"
    mv "$file.new" "$file"
}
