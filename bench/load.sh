#!/usr/bin/env bash
# Load test of the sample API on loopback: anonymous, JoinMe with a cached token, and JwtBearer HS256/RS256 doing the same job.
#
# Builds the benchmarks project in Release (which builds the sample, samples/WebApi, in Release), starts the sample through its
# `serve` mode (the sample's own Program on Kestrel at 127.0.0.1 with its built-in emulator answering tokenInfo in memory, logging
# at Warning, two JwtBearer schemes added from outside; see bench/JoinMe.AspNetCore.Benchmarks/LoadHost.cs), mints a JoinMe token
# through the emulator's admin API, warms up, then
# drives it with wrk in alternating rounds (each round starting one variant later) and prints one table and the line
# `ratio joinme/anonymous: X.XX` (JoinMe GET /api/me with a cached token over anonymous GET /api/ping, in requests/s).
#
# Bounded: ROUNDS x variants x DURATION seconds of load, against 127.0.0.1 only; the server it starts is stopped on exit.
# By default the server is pinned to CPU 0 and wrk to CPU 1 (taskset), which keeps them from stealing each other's core and
# gives steadier numbers on a 2-core machine; PIN=0 turns that off.
#
# On a machine shared with other work, NICE=-5 (as root) lowers how often the server and wrk are preempted; off by default.
#
# Settings (environment): ROUNDS=3 DURATION=10 WARMUP=5 CONNECTIONS=32 PORT=5181 PIN=1 SERVER_CPU=0 WRK_CPU=1 NICE=0
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-5181}
PIN=${PIN:-1}
SERVER_CPU=${SERVER_CPU:-0}
WRK_CPU=${WRK_CPU:-1}
NICE=${NICE:-0}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
project="$root/bench/JoinMe.AspNetCore.Benchmarks"
base="http://127.0.0.1:$PORT"
work=$(mktemp -d)
server_pid=""

stop_server() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
cleanup() {
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk is missing; installing the Debian package." >&2
    if [[ $(id -u) -eq 0 ]]; then
        apt-get update -qq && apt-get install -y -qq wrk >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null
    fi
fi

if [[ "$PIN" == "1" && $(nproc) -lt 2 ]]; then
    echo "Only one CPU: not pinning." >&2
    PIN=0
fi
server_pin=()
wrk_pin=()
if [[ "$NICE" != "0" ]]; then
    server_pin=(nice -n "$NICE")
    wrk_pin=(nice -n "$NICE")
fi
if [[ "$PIN" == "1" ]]; then
    server_pin+=(taskset -c "$SERVER_CPU")
    wrk_pin+=(taskset -c "$WRK_CPU")
fi

echo "Building the sample and the load host in Release..." >&2
dotnet build "$project" -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dll="$project/bin/Release/net10.0/JoinMe.AspNetCore.Benchmarks.dll"

if curl -s -o /dev/null "$base/api/ping"; then
    echo "Something already listens on $base; set PORT to a free port." >&2
    exit 1
fi

echo "Starting the sample at $base..." >&2
"${server_pin[@]}" dotnet "$dll" serve --port "$PORT" --tokens "$work/tokens.json" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
    [[ -s "$work/tokens.json" ]] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.25
done
[[ -s "$work/tokens.json" ]] || { echo "The server did not start." >&2; cat "$work/server.log" >&2; exit 1; }

token() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/" "$work/tokens.json"; }
joinme=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"client_id":"demo-client","scope":"scheduler user_info"}' \
    "$base/_emulator/tokens" | sed -nE 's/.*"access_token":"([^"]+)".*/\1/p')
[[ -n "$joinme" ]] || { echo "The emulator did not mint a token." >&2; exit 1; }
hs256=$(token hs256)
rs256=$(token rs256)

# name|path|token. "token -> /api/ping" sends a token to the anonymous endpoint: UseAuthentication still validates it (the
# default scheme runs on every request) but authorization and the endpoint do exactly what they do for anonymous /api/ping,
# so its added CPU is the authentication handler's alone.
variants=(
    "anonymous /api/ping|/api/ping|"
    "JoinMe /api/me|/api/me|$joinme"
    "JoinMe /api/meetings|/api/meetings|$joinme"
    "JoinMe token -> /api/ping|/api/ping|$joinme"
    "HS256 /api/me|/api/me|$hs256"
    "HS256 /api/meetings|/api/meetings|$hs256"
    "HS256 token -> /api/ping|/api/ping|$hs256"
    "RS256 /api/me|/api/me|$rs256"
    "RS256 /api/meetings|/api/meetings|$rs256"
    "RS256 token -> /api/ping|/api/ping|$rs256"
)

run_wrk() { # seconds path token
    local header=()
    [[ -n "$3" ]] && header=(-H "Authorization: Bearer $3")
    "${wrk_pin[@]}" wrk -t1 -c"$CONNECTIONS" -d"$1s" --latency "${header[@]}" "$base$2"
}

cpu_ticks() { # utime + stime of the server, in clock ticks
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$server_pid/stat"
}

echo "Checking every variant answers 200..." >&2
for v in "${variants[@]}"; do
    IFS='|' read -r name path tok <<<"$v"
    header=()
    [[ -n "$tok" ]] && header=(-H "Authorization: Bearer $tok")
    status=$(curl -s -o /dev/null -w '%{http_code}' "${header[@]}" "$base$path")
    [[ "$status" == "200" ]] || { echo "$name answered $status, not 200." >&2; exit 1; }
done

echo "Warming up ($WARMUP s per variant)..." >&2
for v in "${variants[@]}"; do
    IFS='|' read -r name path tok <<<"$v"
    run_wrk "$WARMUP" "$path" "$tok" >/dev/null
done

clk=$(getconf CLK_TCK)
results="$work/results.tsv"
: >"$results"
for round in $(seq 1 "$ROUNDS"); do
    echo "Round $round of $ROUNDS..." >&2
    # Each round starts one variant later, so that no variant always runs first, or always after the same one.
    for k in "${!variants[@]}"; do
        i=$(( (k + round - 1) % ${#variants[@]} ))
        IFS='|' read -r name path tok <<<"${variants[$i]}"
        before=$(cpu_ticks)
        out=$(run_wrk "$DURATION" "$path" "$tok")
        after=$(cpu_ticks)
        if grep -q "Non-2xx" <<<"$out"; then
            echo "$name: wrk saw non-2xx answers:" >&2
            echo "$out" >&2
            exit 1
        fi
        # index, requests, seconds, p50 µs, p99 µs, cpu ticks
        awk -v i="$i" -v ticks=$((after - before)) '
            function us(v) {
                if (v ~ /us$/) { sub(/us$/, "", v); return v + 0 }
                if (v ~ /ms$/) { sub(/ms$/, "", v); return v * 1000 }
                if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000000 }
                return v + 0
            }
            $1 == "50%" { p50 = us($2) }
            $1 == "99%" { p99 = us($2) }
            / requests in / { requests = $1; seconds = $4; sub(/s,$/, "", seconds) }
            END { printf "%d\t%d\t%s\t%.1f\t%.1f\t%d\n", i, requests, seconds, p50, p99, ticks }
        ' <<<"$out" >>"$results"
    done
done

stop_server
calls=$(sed -nE 's/.*tokenInfo was called ([0-9]+) time.*/\1/p' "$work/server.log")

names=$(printf '%s\n' "${variants[@]}" | cut -d'|' -f1)
echo
echo "wrk: ${ROUNDS} alternating rounds x ${DURATION} s per variant, 1 thread, ${CONNECTIONS} connections; pinned: $([[ $PIN == 1 ]] && echo "server CPU $SERVER_CPU, wrk CPU $WRK_CPU" || echo no); nice: $NICE"
echo "req/s = all requests / all seconds; p50/p99 = median over rounds; CPU = server utime+stime per request (/proc/<pid>/stat);"
echo "added = CPU minus anonymous CPU; ratio = req/s over anonymous req/s; CPU ratio = anonymous CPU over CPU (the throughput ratio of a saturated server)"
echo "ratio/round = the median over rounds of each round's req/s over the same round's anonymous req/s (steadier when the machine has slow spells)"
echo
awk -F'\t' -v clk="$clk" -v names="$names" '
    BEGIN { n = split(names, name, "\n") }
    {
        i = $1 + 1
        req[i] += $2; sec[i] += $3; ticks[i] += $6
        k = ++rounds[i]; p50[i, k] = $4; p99[i, k] = $5; rate[i, k] = $2 / $3
    }
    function median(a, i, m,    j, l, t, v) {
        for (j = 1; j <= m; j++) v[j] = a[i, j]
        for (j = 2; j <= m; j++) for (l = j; l > 1 && v[l - 1] > v[l]; l--) { t = v[l]; v[l] = v[l - 1]; v[l - 1] = t }
        return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
    }
    END {
        printf "%-26s %10s %9s %9s %11s %9s %7s %10s %10s\n", "variant", "req/s", "p50 µs", "p99 µs", "CPU µs/req", "added µs", "ratio", "CPU ratio", "ratio/round"
        for (i = 1; i <= n; i++) {
            rps[i] = req[i] / sec[i]
            cpu[i] = ticks[i] / clk * 1000000 / req[i]
        }
        # The ratio of every round to the anonymous run of that same round: a slow spell of the machine then weighs on one round, not on the totals.
        for (i = 1; i <= n; i++) {
            lo[i] = 1e9; hi[i] = 0
            for (k = 1; k <= rounds[i]; k++) {
                r = rate[i, k] / rate[1, k]; perround[i, k] = r
                if (r < lo[i]) lo[i] = r
                if (r > hi[i]) hi[i] = r
            }
        }
        for (i = 1; i <= n; i++) {
            printf "%-26s %10.0f %9.0f %9.0f %11.2f %9.2f %7.2f %10.2f %10.2f\n", name[i], rps[i], median(p50, i, rounds[i]), median(p99, i, rounds[i]), cpu[i], cpu[i] - cpu[1], rps[i] / rps[1], cpu[1] / cpu[i], median(perround, i, rounds[i])
        }
        printf "\nJoinMe handler alone (token -> /api/ping): %+.2f µs CPU per request, ratio %.2f (per round: median %.2f, %.2f to %.2f)\n", cpu[4] - cpu[1], rps[4] / rps[1], median(perround, 4, rounds[4]), lo[4], hi[4]
        printf "JwtBearer alone: HS256 %+.2f µs, ratio %.2f; RS256 %+.2f µs, ratio %.2f\n", cpu[7] - cpu[1], rps[7] / rps[1], cpu[10] - cpu[1], rps[10] / rps[1]
        printf "ratio joinme-meetings/anonymous: %.2f (JoinMe /api/meetings, scope policy)\n", rps[3] / rps[1]
        printf "ratio hs256/anonymous: %.2f, ratio rs256/anonymous: %.2f (/api/me)\n", rps[5] / rps[1], rps[8] / rps[1]
        printf "ratio joinme/anonymous: %.2f\n", rps[2] / rps[1]
    }
' "$results" >"$work/table.txt"
sed '$d' "$work/table.txt"
echo "tokenInfo calls during the run: ${calls:-unknown} (1 = the JoinMe token was validated once, then always served from the cache)"
tail -n 1 "$work/table.txt"
