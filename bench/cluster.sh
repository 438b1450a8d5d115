#!/usr/bin/env bash
# Scale-out bench: three instances of the sample API (samples/WebApi) sharing one redis-server and one standalone join.me emulator
# (src/JoinMe.Emulator), on loopback only, with the shared (Redis) tier on and off.
#
#   bench/cluster.sh              # about 8 minutes on a quiet 2-CPU machine, plus the build (about 4 minutes the first time)
#   QUICK=1 bench/cluster.sh      # about 3 minutes: fewer bursts, trials and rounds, shorter wrk runs and outage
#
# 1. Publishes the sample and the emulator in Release, once, into a temporary folder (with an artifacts path of its own, kept between
#    runs in ${TMPDIR:-/tmp}/joinme-cluster-build.<hash of this checkout>, so that it never touches the tree's obj/ and bin/ folders).
# 2. Starts redis-server (no persistence), the emulator and three clusters of three instances each, in Production, pointed at the
#    emulator with Authentication:Schemes:JoinMe:* on the command line and the per-caller budget off (the load client is one address):
#      on      ConnectionStrings:Redis set: the shared tier with its backplane and distributed lock (the defaults)
#      nolock  the same with JoinMe:Redis:UseDistributedLock=false and a key prefix of its own (parts a and d)
#      off     no connection string: each instance has its memory tier only
#    The instances of a cluster run from one folder, so they share the default Data Protection key folder (~/.aspnet/DataProtection-Keys)
#    and application discriminator (the content root): entries written by one are readable by the others. The script checks it.
# 3. Measures
#    (a) bursts of new tokens: BURSTS bursts of BURST_SIZE simultaneous requests (curl --parallel) spread over the three instances of a
#        cluster, one new token per burst, the three clusters taking turns: tokenInfo calls per token (the emulator's stats) and request
#        latency; with the lock, the instance whose requests finished first is the one that called tokenInfo, the two others waited.
#    (b) wrk (THREADS threads, CONNECTIONS connections, DURATION s) with a cached token against each instance, on and off in alternating
#        order, ROUNDS rounds, the instance under test pinned to CPU SERVER_CPU and wrk to WRK_CPU: requests/second, on/off ratio, and
#        the Redis commands and tokenInfo calls the runs caused.
#    (c) sign-out propagation: TRIALS times, a token used on all three instances is signed out (POST /api/signout) on one, and the two
#        others are polled over kept-alive connections until they answer 401: milliseconds from sending the sign-out.
#    (d) a Redis restart under load, for on and then nolock (cached tokens from two loops; new tokens, each sent to one instance and then
#        to the next): statuses and latency before, during and after the outage, tokenInfo calls per new token, how long until a token
#        validated on one instance is again accepted by another without a tokenInfo call, what becomes of sign-outs made before and
#        during the outage, and the distributed locks left held in Redis.
# 4. Prints a summary. Everything it starts is stopped when it ends, however it ends; the work folder is removed (KEEP_WORK=1 keeps it).
#
# Settings (environment): QUICK=0 BURSTS=50 BURST_SIZE=150 WARMUP_BURSTS=2 DURATION=10 ROUNDS=2 WARMUP=3 THREADS=1 CONNECTIONS=32
#   TRIALS=50 BEFORE=8 DOWN=5 AFTER=8 PIN=1 SERVER_CPU=0 WRK_CPU=1 NICE=0 KEEP_WORK=0
set -euo pipefail

QUICK=${QUICK:-0}
if [[ "$QUICK" == "1" ]]; then
    : "${BURSTS:=10}" "${DURATION:=5}" "${ROUNDS:=1}" "${WARMUP:=2}" "${TRIALS:=10}" "${BEFORE:=4}" "${DOWN:=3}" "${AFTER:=4}"
fi
BURSTS=${BURSTS:-50}
BURST_SIZE=${BURST_SIZE:-150}
WARMUP_BURSTS=${WARMUP_BURSTS:-2}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-3}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
TRIALS=${TRIALS:-50}
BEFORE=${BEFORE:-8}
DOWN=${DOWN:-5}
AFTER=${AFTER:-8}
PIN=${PIN:-1}
SERVER_CPU=${SERVER_CPU:-0}
WRK_CPU=${WRK_CPU:-1}
NICE=${NICE:-0}
KEEP_WORK=${KEEP_WORK:-0}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/joinme-cluster.XXXXXX")
BUILD=${TMPDIR:-/tmp}/joinme-cluster-build.$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)
CLIENT_ID=demo-client
PIDS=()       # every process this script started, stopped on exit
LOOP_PIDS=()  # the load loops of part (d)
REDIS_PID=""

cleanup() {
    local status=$? pid
    for pid in "${LOOP_PIDS[@]}" "${PIDS[@]}" $REDIS_PID; do kill "$pid" 2>/dev/null || true; done
    for pid in "${LOOP_PIDS[@]}" "${PIDS[@]}" $REDIS_PID; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    if [[ "$KEEP_WORK" == "1" ]]; then echo "work folder kept: $WORK" >&2; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[cluster %3ds] %s\n' "$SECONDS" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

for tool in redis-server redis-cli wrk curl jq python3 taskset; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (apt-get install -y redis-server wrk curl jq python3 util-linux)"
done
CPUS=$(nproc)
if [[ "$PIN" == "1" && "$CPUS" -lt 2 ]]; then log "only one CPU: not pinning"; PIN=0; fi
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# ---------------------------------------------------------------------------------------------------------------------------- build
log "publishing samples/WebApi and src/JoinMe.Emulator (Release; build folder $BUILD)"
for project in samples/WebApi/WebApi.csproj src/JoinMe.Emulator/JoinMe.Emulator.csproj; do
    name=$(basename "$project" .csproj)
    dotnet publish "$ROOT/$project" -c Release --artifacts-path "$BUILD" -o "$WORK/$name" -nologo -v quiet >"$WORK/publish-$name.log" 2>&1 \
        || { cat "$WORK/publish-$name.log" >&2; fail "publishing $project"; }
done

# ---------------------------------------------------------------------------------------------------------------------------- start
REDIS_PORT=$(free_port)
start_redis() {
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --protected-mode yes >>"$WORK/redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 100); do
        redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
        kill -0 "$REDIS_PID" 2>/dev/null || { cat "$WORK/redis.log" >&2; fail "redis-server did not start"; }
        sleep 0.05
    done
    fail "redis-server did not answer PING"
}
stop_redis() {
    kill -TERM "$REDIS_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
}
log "starting redis-server at 127.0.0.1:$REDIS_PORT ($(redis-server --version | grep -o 'v=[0-9.]*'))"
start_redis

EMU_PORT=$(free_port)
EMU="http://127.0.0.1:$EMU_PORT"
log "starting the emulator at $EMU"
(cd "$WORK/JoinMe.Emulator" && exec dotnet JoinMe.Emulator.dll --urls "$EMU" --Logging:LogLevel:Default Warning) >"$WORK/emulator.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do curl -sf -o /dev/null "$EMU/_emulator/stats" && break; sleep 0.2; done
curl -sf -o /dev/null "$EMU/_emulator/stats" || { cat "$WORK/emulator.log" >&2; fail "the emulator did not start"; }

mint() { # -> a new access token for the demo client
    curl -sf --max-time 10 -X POST "$EMU/_emulator/tokens" -H 'Content-Type: application/json' \
        -d "{\"client_id\":\"$CLIENT_ID\",\"scope\":\"user_info scheduler start_meeting\"}" | jq -r .access_token
}
calls() { curl -sf --max-time 10 "$EMU/_emulator/stats" | jq -r .tokenInfoCalls; }
redis_commands() { redis-cli -p "$REDIS_PORT" info stats | tr -d '\r' | sed -n 's/^total_commands_processed://p'; }

declare -A PORT PID
start_instance() { # cluster index extra-arguments...
    local cluster=$1 i=$2 port
    shift 2
    port=$(free_port)
    PORT[$cluster$i]=$port
    (
        cd "$WORK/WebApi"
        exec env ASPNETCORE_ENVIRONMENT=Production dotnet WebApi.dll --urls "http://127.0.0.1:$port" \
            --Sample:UseEmulator=false \
            --Authentication:Schemes:JoinMe:Authority="$EMU" \
            --Authentication:Schemes:JoinMe:RequireHttpsAuthority=false \
            --Authentication:Schemes:JoinMe:AllowedClientIds:0="$CLIENT_ID" \
            --Authentication:Schemes:JoinMe:MaxCacheMissesPerCallerPerMinute=0 \
            --Logging:LogLevel:Default=Warning \
            --Logging:LogLevel:JoinMe.AspNetCore.Authentication.Redis=Information \
            "$@"
    ) >"$WORK/$cluster$i.log" 2>&1 &
    PID[$cluster$i]=$!
    PIDS+=($!)
}
wait_instance() { # cluster index
    local name=$1$2
    for _ in $(seq 300); do
        curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:${PORT[$name]}/health" && return 0
        kill -0 "${PID[$name]}" 2>/dev/null || { cat "$WORK/$name.log" >&2; fail "instance $name did not start"; }
        sleep 0.1
    done
    fail "instance $name did not answer /health"
}
stop_cluster() { # cluster
    local i pid
    for i in 0 1 2; do kill -TERM "${PID[$1$i]}" 2>/dev/null || true; done
    for i in 0 1 2; do
        pid=${PID[$1$i]}
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
url() { echo "http://127.0.0.1:${PORT[$1$2]}$3"; } # cluster index path
get() { # cluster index token -> status
    curl -s -o /dev/null --max-time 10 -w '%{http_code}' -H "Authorization: Bearer $3" "$(url "$1" "$2" /api/me)"
}

log "starting three clusters of three instances (Production)"
ON_ARGS=(--ConnectionStrings:Redis="127.0.0.1:$REDIS_PORT")
NOLOCK_ARGS=(--ConnectionStrings:Redis="127.0.0.1:$REDIS_PORT" --JoinMe:Redis:UseDistributedLock=false --JoinMe:Redis:KeyPrefix=joinme-nolock:)
# One instance alone first, so that only one creates the Data Protection key when the key folder has none yet; then the eight others.
start_instance on 0 "${ON_ARGS[@]}"
wait_instance on 0
for i in 1 2; do start_instance on "$i" "${ON_ARGS[@]}"; done
for i in 0 1 2; do start_instance nolock "$i" "${NOLOCK_ARGS[@]}"; start_instance off "$i"; done
for c in on nolock off; do
    for i in 0 1 2; do wait_instance "$c" "$i"; done
    log "cluster $c: 127.0.0.1:${PORT[${c}0]}, :${PORT[${c}1]}, :${PORT[${c}2]} (pids ${PID[${c}0]} ${PID[${c}1]} ${PID[${c}2]})"
done

# Every instance answers a first new token, one after the other (the first request of an instance is slow: JIT, connections). With the
# shared tier, entries written by one instance must be accepted by the others (same Data Protection keys and application name): one call
# for the three. Without it, three.
for cluster in on nolock off; do
    token=$(mint)
    before=$(calls)
    for i in 0 1 2; do [[ $(get "$cluster" "$i" "$token") == 200 ]] || fail "instance $cluster$i did not accept a new token"; done
    check_calls=$(($(calls) - before))
    expected=1
    [[ "$cluster" == off ]] && expected=3
    if [[ "$check_calls" != "$expected" ]]; then
        grep -h 'authenticity check' "$WORK/$cluster"?.log | head -3 >&2 || true
        hint=""
        [[ "$expected" == 1 ]] && hint=": the instances do not read each other's entries (do they share Data Protection keys and application name?)"
        fail "a new token sent to the three instances of $cluster, one after the other, cost $check_calls tokenInfo calls, not $expected$hint"
    fi
done
log "check: a token validated on one instance is accepted by the two others with no further tokenInfo call (on, nolock); off: 3 calls"

# The clients that need kept-alive connections and precise times: sign-out trials (c) and the new-token loop (d).
cat >"$WORK/client.py" <<'PY'
import http.client, json, os, sys, time

def connect(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.connect()
    return c

def send(c, method, path, token=None, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = "Bearer " + token
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    return r.status, r.read()

def mint(emulator, client_id):
    status, body = send(emulator, "POST", "/_emulator/tokens", body=json.dumps({"client_id": client_id, "scope": "user_info"}))
    return json.loads(body)["access_token"]

def calls(emulator):
    return json.loads(send(emulator, "GET", "/_emulator/stats")[1])["tokenInfoCalls"]

def signout(emulator, instances, client_id, trials, bound):
    """Signs a token out on one instance and polls the two others until each answers 401.
    Prints per other instance: trial signer other ms-from-sending-the-sign-out ms-from-its-204 polls ("timeout" past the bound)."""
    for trial in range(trials):
        token = mint(emulator, client_id)
        for c in instances:
            status, _ = send(c, "GET", "/api/me", token)
            if status != 200:
                sys.exit(f"trial {trial}: a new token got {status}, not 200")
        signer = trial % len(instances)
        others = [i for i in range(len(instances)) if i != signer]
        started = time.perf_counter()
        status, _ = send(instances[signer], "POST", "/api/signout", token)
        answered = time.perf_counter()
        if status != 204:
            sys.exit(f"trial {trial}: sign-out answered {status}, not 204")
        seen, polls = {}, {i: 0 for i in others}
        while len(seen) < len(others) and time.perf_counter() - started < bound:
            for i in others:
                if i in seen:
                    continue
                status, _ = send(instances[i], "GET", "/api/me", token)
                polls[i] += 1
                if status == 401:
                    seen[i] = time.perf_counter()
                elif status != 200:
                    sys.exit(f"trial {trial}: instance {i} answered {status} while polling")
        for i in others:
            if i in seen:
                print(trial, signer, i, f"{(seen[i] - started) * 1000:.3f}", f"{(seen[i] - answered) * 1000:.3f}", polls[i])
            else:
                print(trial, signer, i, "timeout", "timeout", polls[i])
        sys.stdout.flush()

def newtokens(emulator, instances, client_id, stop_file):
    """Until stop_file exists: a new token to one instance, then to the next; the only tokenInfo caller meanwhile, so the calls per
    token are exact. Prints: new epoch status seconds status seconds calls (status 000: no answer)."""
    k, before = 0, calls(emulator)
    while not os.path.exists(stop_file):
        token = mint(emulator, client_id)
        started = time.time()
        answers = []
        for i in (k % 3, (k + 1) % 3):
            t = time.perf_counter()
            try:
                status, _ = send(instances[i], "GET", "/api/me", token)
            except (OSError, http.client.HTTPException):
                status = "000"
                instances[i] = connect(ports[i])
            answers += [str(status), f"{time.perf_counter() - t:.6f}"]
        now = calls(emulator)
        print("new", f"{started:.6f}", *answers, now - before, flush=True)
        before, k = now, k + 1

mode, emu_port, ports, client_id = sys.argv[1], int(sys.argv[2]), [int(p) for p in sys.argv[3].split(",")], sys.argv[4]
emulator, instances = connect(emu_port), [connect(p) for p in ports]
if mode == "signout":
    signout(emulator, instances, client_id, int(sys.argv[5]), float(sys.argv[6]))
else:
    newtokens(emulator, instances, client_id, sys.argv[5])
PY

# ------------------------------------------------------------------------------------------------------------------------ (a) bursts
burst() { # cluster label -> appends "label cluster instance status seconds" per request to $WORK/bursts.txt, "label cluster calls" to calls.txt
    local cluster=$1 label=$2 token before i args=()
    token=$(mint)
    before=$(calls)
    for ((i = 0; i < BURST_SIZE; i++)); do args+=(-o /dev/null "http://127.0.0.1:${PORT[$cluster$((i % 3))]}/api/me"); done
    curl -Z --parallel-max "$BURST_SIZE" --parallel-immediate --no-progress-meter -s --max-time 30 -H "Authorization: Bearer $token" \
        -w '%{url} %{http_code} %{time_total}\n' "${args[@]}" 2>/dev/null \
        | awk -v label="$label" -v cluster="$cluster" -v p0="${PORT[${cluster}0]}" -v p1="${PORT[${cluster}1]}" -v p2="${PORT[${cluster}2]}" '
            { split($1, u, ":"); sub(/\/.*/, "", u[3]); i = (u[3] == p0) ? 0 : (u[3] == p1) ? 1 : 2; print label, cluster, i, $2, $3 }' \
        >>"$WORK/bursts.txt" || true
    echo "$label $cluster $(($(calls) - before))" >>"$WORK/calls.txt"
}
log "(a) $WARMUP_BURSTS warm-up and $BURSTS measured bursts of $BURST_SIZE simultaneous requests with a new token, per cluster, in turns"
: >"$WORK/bursts.txt"
: >"$WORK/calls.txt"
clusters=(on nolock off)
for ((b = 1; b <= WARMUP_BURSTS + BURSTS; b++)); do
    label=$b
    ((b <= WARMUP_BURSTS)) && label=w$b
    for k in 0 1 2; do burst "${clusters[(k + b) % 3]}" "$label"; done
done
# Distributed locks still held once every burst has been answered (none should be).
burst_locks=$(redis-cli -p "$REDIS_PORT" --scan --pattern '*lock' | wc -l)

# ----------------------------------------------------------------------------------------------------------------------- (b) wrk
log "(b) wrk, cached token: $ROUNDS round(s) x 3 instances x (on, off), ${DURATION} s each, $THREADS thread(s), $CONNECTIONS connections"
token=$(mint)
for c in on off; do for i in 0 1 2; do [[ $(get "$c" "$i" "$token") == 200 ]] || fail "$c$i did not accept the wrk token"; done; done
all_cpus="0-$((CPUS - 1))"
wrk_prefix=()
[[ "$NICE" != "0" ]] && wrk_prefix=(nice -n "$NICE")
[[ "$PIN" == "1" ]] && wrk_prefix+=(taskset -c "$WRK_CPU")
run_wrk() { # cluster index seconds -> wrk's output
    local pid=${PID[$1$2]} out
    if [[ "$PIN" == "1" ]]; then taskset -a -p -c "$SERVER_CPU" "$pid" >/dev/null; fi
    [[ "$NICE" != "0" ]] && renice -n "$NICE" -p "$pid" >/dev/null
    out=$("${wrk_prefix[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3s" --latency -H "Authorization: Bearer $token" "$(url "$1" "$2" /api/me)")
    [[ "$NICE" != "0" ]] && renice -n 0 -p "$pid" >/dev/null
    if [[ "$PIN" == "1" ]]; then taskset -a -p -c "$all_cpus" "$pid" >/dev/null; fi
    if grep -q 'Non-2xx' <<<"$out"; then echo "$out" >&2; fail "wrk against $1$2 saw non-2xx answers"; fi
    echo "$out"
}
for i in 0 1 2; do for c in on off; do run_wrk "$c" "$i" "$WARMUP" >/dev/null; done; done
: >"$WORK/wrk.txt"
wrk_calls_before=$(calls)
redis_on=0
for ((round = 1; round <= ROUNDS; round++)); do
    for i in 0 1 2; do
        order=(on off)
        (((round + i) % 2 == 0)) && order=(off on)
        for c in "${order[@]}"; do
            commands_before=$(redis_commands)
            out=$(run_wrk "$c" "$i" "$DURATION")
            [[ "$c" == on ]] && redis_on=$((redis_on + $(redis_commands) - commands_before))
            awk -v c="$c" -v i="$i" '
                function ms(v) {
                    if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
                    if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
                    if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000 }
                    return v + 0
                }
                $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
                / requests in / { requests = $1; seconds = $4; sub(/s,$/, "", seconds) }
                END { printf "%s %d %d %s %.3f %.3f\n", c, i, requests, seconds, p50, p99 }' <<<"$out" >>"$WORK/wrk.txt"
            log "    round $round: $c$i $(tail -n 1 "$WORK/wrk.txt" | awk '{ printf "%.0f req/s", $3 / $4 }')"
        done
    done
done
wrk_calls=$(($(calls) - wrk_calls_before))

# ------------------------------------------------------------------------------------------------------------------- (c) sign-out
log "(c) sign-out on one instance, the two others polled until 401: $TRIALS trials (shared tier on), 2 (off, bounded at 3 s)"
python3 "$WORK/client.py" signout "$EMU_PORT" "${PORT[on0]},${PORT[on1]},${PORT[on2]}" "$CLIENT_ID" "$TRIALS" 5 >"$WORK/signout-on.txt" \
    || fail "the sign-out trials (on) failed"
python3 "$WORK/client.py" signout "$EMU_PORT" "${PORT[off0]},${PORT[off1]},${PORT[off2]}" "$CLIENT_ID" 2 3 >"$WORK/signout-off.txt" \
    || fail "the sign-out trials (off) failed"
stop_cluster off

# -------------------------------------------------------------------------------------------------------------- (d) Redis restart
STOP_FILE=$WORK/stop-load
signout() { curl -s -o /dev/null --max-time 10 -w '%{http_code}' -X POST -H "Authorization: Bearer $3" "$(url "$1" "$2" /api/signout)"; }
cached_loop() { # cluster -> "cached <epoch> <instance> <status> <seconds>" per request, 30 requests per curl (kept-alive per instance)
    local args i start
    while [[ ! -e "$STOP_FILE" ]]; do
        args=()
        for i in $(seq 0 29); do
            ((i > 0)) && args+=(--next)
            args+=(-s -o /dev/null --max-time 10 -w "cached $((i % 3)) %{http_code} %{time_total}\n"
                -H "Authorization: Bearer ${CACHED[RANDOM % ${#CACHED[@]}]}" "http://127.0.0.1:${PORT[$1$((i % 3))]}/api/me")
        done
        start=$EPOCHREALTIME
        curl "${args[@]}" | awk -v t="$start" '{ print $1, t, $2, $3, $4 }' || true
    done
}
restart_under_load() { # cluster -> $WORK/restart-<cluster>.txt (requests) and .env (events)
    local c=$1 out=$WORK/restart-$1.txt env=$WORK/restart-$1.env t i pid t_down t_up shared_back="" signout_back="" deadline
    log "(d) $c: Redis restart under load: ${BEFORE} s, Redis down ${DOWN} s, then until the shared tier is back, and ${AFTER} s more"
    CACHED=()
    for _ in $(seq 10); do CACHED+=("$(mint)"); done
    for t in "${CACHED[@]}"; do for i in 0 1 2; do [[ $(get "$c" "$i" "$t") == 200 ]] || fail "$c$i did not accept a cached token"; done; done
    # Sign-outs on instance 0: before the outage, of a token the three know (instance 1 polled until 401, instance 2 never asked again)
    # and of a token instance 2 never saw; during the outage, of a token the three know.
    local known unseen during
    known=$(mint) unseen=$(mint) during=$(mint)
    for i in 0 1 2; do get "$c" "$i" "$known" >/dev/null; get "$c" "$i" "$during" >/dev/null; done
    for i in 0 1; do get "$c" "$i" "$unseen" >/dev/null; done
    [[ $(signout "$c" 0 "$known") == 204 && $(signout "$c" 0 "$unseen") == 204 ]] || fail "$c: sign-out before the outage"
    for _ in $(seq 100); do [[ $(get "$c" 1 "$known") == 401 ]] && break; sleep 0.02; done

    : >"$out"
    rm -f "$STOP_FILE"
    cached_loop "$c" >>"$out" &
    LOOP_PIDS+=($!)
    cached_loop "$c" >>"$out" &
    LOOP_PIDS+=($!)
    python3 "$WORK/client.py" newtokens "$EMU_PORT" "${PORT[${c}0]},${PORT[${c}1]},${PORT[${c}2]}" "$CLIENT_ID" "$STOP_FILE" >>"$out" &
    LOOP_PIDS+=($!)
    for _ in $(seq 300); do grep -q '^new' "$out" && grep -q '^cached' "$out" && break; sleep 0.1; done
    sleep "$BEFORE"

    t_down=$EPOCHREALTIME
    for i in 0 1 2; do wc -l <"$WORK/$c$i.log" >"$WORK/$c$i.lines"; done
    stop_redis
    sleep 0.5
    local during_signout during_here during_others
    during_signout=$(signout "$c" 0 "$during")
    during_here=$(get "$c" 0 "$during")
    during_others="$(get "$c" 1 "$during") $(get "$c" 2 "$during")"
    sleep "$(awk -v d="$DOWN" 'BEGIN { print (d > 0.5) ? d - 0.5 : 0 }')"
    start_redis
    t_up=$EPOCHREALTIME

    # Back: the first new token (sent after Redis answered PING) that its second instance accepted with no tokenInfo call of its own; and
    # the sign-out made during the outage reaching the two other instances (FusionCache's auto-recovery replays what could not be sent).
    deadline=$((SECONDS + 60))
    while [[ (-z "$shared_back" || -z "$signout_back") && $SECONDS -lt $deadline ]]; do
        if [[ -z "$shared_back" ]]; then
            shared_back=$(awk -v up="$t_up" '$1 == "new" && $2 > up && $3 == 200 && $5 == 200 && $7 == 1 { print $2; exit }' "$out")
        fi
        if [[ -z "$signout_back" && $(get "$c" 1 "$during") == 401 && $(get "$c" 2 "$during") == 401 ]]; then
            signout_back=$EPOCHREALTIME
        fi
        sleep 0.1
    done
    sleep "$AFTER"
    touch "$STOP_FILE"
    for pid in "${LOOP_PIDS[@]}"; do
        for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    LOOP_PIDS=()
    local back_logs=0
    for i in 0 1 2; do tail -n +$(($(cat "$WORK/$c$i.lines") + 1)) "$WORK/$c$i.log" | grep -q 'tier is back in use' && back_logs=$((back_logs + 1)); done
    {
        echo "t_down=$t_down"
        echo "t_up=$t_up"
        echo "shared_back=$shared_back"
        echo "signout_back=$signout_back"
        echo "during_signout=$during_signout"
        echo "during_here=$during_here"
        echo "during_others='$during_others'"
        echo "known_after='$(get "$c" 1 "$known") $(get "$c" 2 "$known")'"
        echo "unseen_after=$(get "$c" 2 "$unseen")"
        echo "back_logs=$back_logs"
        echo "locks=$(redis-cli -p "$REDIS_PORT" --scan --pattern '*lock' | wc -l)"
    } >"$env"
}
restart_under_load on
restart_under_load nolock
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# --------------------------------------------------------------------------------------------------------------------------- report
pct() { # file-of-numbers percentile -> value (nearest rank), or n/a
    sort -g "$1" | awk -v p="$2" '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1; printf "%.1f", v[r] }'
}

echo
echo "== JoinMe cluster bench: 3 instances of samples/WebApi (Release, Production) per cluster, one standalone emulator, redis-server"
echo "   $(redis-server --version | grep -o 'v=[0-9.]*'), loopback only; $CPUS CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
echo "   load average at start $LOAD_START, at end $LOAD_END (the instances, Redis, the emulator and the load clients share these CPUs)"
echo

# (a)
echo "(a) bursts: $BURSTS bursts of $BURST_SIZE simultaneous requests, one new token each, spread over the 3 instances ($WARMUP_BURSTS warm-up bursts left out)"
printf '    %-38s %12s %12s %12s\n' "" "on (lock)" "on, no lock" "off"
row_calls=$(for c in on nolock off; do awk -v c="$c" '$1 !~ /^w/ && $2 == c { n++; s += $3; if (min == "" || $3 < min) min = $3; if ($3 > max) max = $3 }
    END { printf "%.2f (%d-%d)", s / n, min, max }' "$WORK/calls.txt"; echo; done)
mapfile -t calls_row <<<"$row_calls"
printf '    %-38s %12s %12s %12s\n' "tokenInfo calls per token (min-max)" "${calls_row[0]}" "${calls_row[1]}" "${calls_row[2]}"
non200=$(awk '$1 !~ /^w/ && $4 != 200' "$WORK/bursts.txt" | wc -l)
# Per burst and instance, the median latency; with the lock, the instance with the lowest is the one that called tokenInfo.
awk '$1 !~ /^w/ && $2 == "on" { print $1, $3, $5 }' "$WORK/bursts.txt" | sort -k1,1n -k2,2n -k3,3g | awk '
    { key = $1 " " $2; v[key, ++n[key]] = $3; lines[key] = lines[key] " " $3 }
    END { for (key in n) { split(key, k, " "); m = v[key, int((n[key] + 1) / 2)]; if (!(k[1] in best) || m < best[k[1]]) { best[k[1]] = m; caller[k[1]] = k[2] } }
          for (key in n) { split(key, k, " "); role = (caller[k[1]] == k[2]) ? "caller" : "waiter"; c = split(substr(lines[key], 2), t, " "); for (j = 1; j <= c; j++) print role, t[j] } }' \
    >"$WORK/roles.txt"
lat() { # awk-filter -> "p50 / p99" in ms
    awk "$1" "$WORK/bursts.txt" | awk '{ print $5 * 1000 }' >"$WORK/list.txt"
    echo "$(pct "$WORK/list.txt" 50) / $(pct "$WORK/list.txt" 99)"
}
role_lat() {
    awk -v r="$1" '$1 == r { print $2 * 1000 }' "$WORK/roles.txt" >"$WORK/list.txt"
    echo "$(pct "$WORK/list.txt" 50) / $(pct "$WORK/list.txt" 99)"
}
printf '    %-38s %12s %12s %12s\n' "latency p50 / p99 ms, all requests" "$(lat '$1 !~ /^w/ && $2 == "on"')" "$(lat '$1 !~ /^w/ && $2 == "nolock"')" "$(lat '$1 !~ /^w/ && $2 == "off"')"
waiters=$(role_lat waiter)
callers=$(role_lat caller)
nolock_all=$(lat '$1 !~ /^w/ && $2 == "nolock"')
printf '    %-38s %12s\n' "  on the instance that called tokenInfo" "$callers"
printf '    %-38s %12s\n' "  on the 2 instances that waited" "$waiters"
extra=$(awk -v w="$waiters" -v n="$nolock_all" 'BEGIN { split(w, a, " / "); split(n, b, " / "); printf "%+.0f / %+.0f", a[1] - b[1], a[2] - b[2] }')
slowest() { awk "$1"' { if ($5 > m) m = $5 } END { printf "%.0f", m * 1000 }' "$WORK/bursts.txt"; }
printf '    %-38s %12s %12s %12s\n' "slowest request, ms" "$(slowest '$1 !~ /^w/ && $2 == "on"')" "$(slowest '$1 !~ /^w/ && $2 == "nolock"')" "$(slowest '$1 !~ /^w/ && $2 == "off"')"
echo "    the lock's polling adds to requests on the instances that wait: $extra ms (p50 / p99, against 'on, no lock')"
echo "    answers other than 200: $non200; distributed locks still held in Redis after the bursts: $burst_locks"
echo

# (b)
echo "(b) wrk with a cached token (GET /api/me), $ROUNDS alternating round(s) x ${DURATION} s, $THREADS thread(s), $CONNECTIONS connections;"
echo "    pinned: $([[ $PIN == 1 ]] && echo "the instance under test to CPU $SERVER_CPU, wrk to CPU $WRK_CPU" || echo no); req/s = all requests / all seconds; p50/p99 = median over rounds"
awk '
    function median(list,    n, v, j, l, t) { n = split(list, v, " "); for (j = 2; j <= n; j++) for (l = j; l > 1 && v[l - 1] > v[l]; l--) { t = v[l]; v[l] = v[l - 1]; v[l - 1] = t }
        return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
    { k = $1 $2; req[k] += $3; sec[k] += $4; p50[k] = p50[k] " " $5; p99[k] = p99[k] " " $6; treq[$1] += $3; tsec[$1] += $4 }
    END {
        printf "    %-10s %12s %16s %12s %16s %7s\n", "instance", "on req/s", "on p50/p99 ms", "off req/s", "off p50/p99 ms", "on/off"
        for (i = 0; i < 3; i++) {
            on = req["on" i] / sec["on" i]; off = req["off" i] / sec["off" i]
            printf "    %-10s %12.0f %16s %12.0f %16s %7.2f\n", i + 1, on, sprintf("%.2f / %.2f", median(p50["on" i]), median(p99["on" i])), off, sprintf("%.2f / %.2f", median(p50["off" i]), median(p99["off" i])), on / off
        }
        printf "    %-10s %12.0f %16s %12.0f %16s %7.2f\n", "mean", treq["on"] / tsec["on"], "", treq["off"] / tsec["off"], "", (treq["on"] / tsec["on"]) / (treq["off"] / tsec["off"])
        printf "    Redis commands during the on runs: %d for %d requests; ", '"$redis_on"', treq["on"]
    }' "$WORK/wrk.txt"
echo "tokenInfo calls during all runs: $wrk_calls"
echo

# (c)
awk '$4 != "timeout" { print $4 }' "$WORK/signout-on.txt" >"$WORK/list.txt"
sent_p50=$(pct "$WORK/list.txt" 50) sent_p99=$(pct "$WORK/list.txt" 99) sent_max=$(pct "$WORK/list.txt" 100)
awk '$5 != "timeout" { print $5 }' "$WORK/signout-on.txt" >"$WORK/list.txt"
answered_p50=$(pct "$WORK/list.txt" 50) answered_p99=$(pct "$WORK/list.txt" 99)
timeouts=$(grep -c timeout "$WORK/signout-on.txt" || true)
first_poll=$(awk '$6 == 1' "$WORK/signout-on.txt" | wc -l)
echo "(c) sign-out (POST /api/signout) on one instance, then 401 on the two others ($TRIALS trials, $((TRIALS * 2)) measurements; polled over kept-alive connections)"
echo "    shared tier on:  from sending the sign-out p50 ${sent_p50} ms, p99 ${sent_p99} ms, max ${sent_max} ms; from its 204: p50 ${answered_p50} ms, p99 ${answered_p99} ms"
echo "                     401 at the first poll after the 204: $first_poll of $((TRIALS * 2)); not within 5 s: $timeouts"
off_still=$(grep -c timeout "$WORK/signout-off.txt" || true)
echo "    shared tier off: $off_still of $(wc -l <"$WORK/signout-off.txt") other instances still answered 200 three seconds after the sign-out (each instance revokes in its own memory only)"
echo

# (d)
dval() { # cluster metric -> one cell
    local c=$1 f=$WORK/restart-$1.txt t_down t_up shared_back signout_back during_signout during_here during_others known_after unseen_after back_logs locks
    # shellcheck disable=SC1090
    source "$WORK/restart-$c.env"
    local phases='function ph(t) { return (t < d) ? "before" : (t < u) ? "down" : "after" }'
    case $2 in
        down) awk -v a="$t_down" -v b="$t_up" 'BEGIN { printf "%.1f", b - a }' ;;
        cached | first | second)
            awk -v d="$t_down" -v u="$t_up" -v kind="$2" "$phases"'
                kind == "cached" && $1 == "cached" { n[ph($2)]++; if ($4 != 200) bad[$4]++ }
                kind == "first" && $1 == "new" { n[ph($2)]++; if ($3 != 200) bad[$3]++ }
                kind == "second" && $1 == "new" { n[ph($2)]++; if ($5 != 200) bad[$5]++ }
                END { printf "%d / %d / %d", n["before"], n["down"], n["after"]; s = ""; for (k in bad) s = s sprintf(" %s x %d", k, bad[k]); printf "%s", (s == "") ? ", all 200" : ";" s }' "$f" ;;
        calls)
            awk -v d="$t_down" -v u="$t_up" "$phases"'$1 == "new" { p = ph($2); n[p]++; c[p] += $7 }
                END { for (i = split("before down after", q, " "); i > 0; i--) v[i] = (n[q[i]] > 0) ? sprintf("%.2f", c[q[i]] / n[q[i]]) : "n/a"; printf "%s / %s / %s", v[1], v[2], v[3] }' "$f" ;;
        new-before | new-down | new-after | cached-before | cached-down | cached-after)
            awk -v d="$t_down" -v u="$t_up" -v want="${2#*-}" -v kind="${2%-*}" "$phases"'
                kind == "new" && $1 == "new" && ph($2) == want { print $4 * 1000 }
                kind == "cached" && $1 == "cached" && ph($2) == want { print $5 * 1000 }' "$f" >"$WORK/list.txt"
            echo "$(pct "$WORK/list.txt" 50) / $(pct "$WORK/list.txt" 99)" ;;
        slowest) awk '$1 == "new" { if ($4 > m) m = $4; if ($6 > m) m = $6 } END { printf "%.2f s", m }' "$f" ;;
        slow) awk '$1 == "new" { if ($4 > 1) n++; if ($6 > 1) n++ } END { printf "%d", n }' "$f" ;;
        back) if [[ -n "$shared_back" ]]; then awk -v a="$t_up" -v b="$shared_back" 'BEGIN { printf "%.2f s", b - a }'; else echo "not within 60 s"; fi ;;
        logs) echo "$back_logs of 3" ;;
        during) echo "$during_signout, then $during_here / $during_others" ;;
        during-back) if [[ -n "$signout_back" ]]; then awk -v a="$t_up" -v b="$signout_back" 'BEGIN { printf "401 401 after %.1f s", b - a }'; else echo "not within 60 s"; fi ;;
        known) echo "$known_after" ;;
        unseen) echo "$unseen_after" ;;
        locks) echo "$locks" ;;
        errors) awk '($1 == "cached" && $4 != 200) || ($1 == "new" && ($3 != 200 || $5 != 200))' "$f" | wc -l ;;
    esac
}
drow() { printf '    %-58s %-24s %s\n' "$1" "$(dval on "$2")" "$(dval nolock "$2")"; }
echo "(d) Redis restart under load: two loops of cached tokens, one loop of new tokens (each sent to one instance, then to the next),"
echo "    redis-server stopped (SIGTERM; no persistence, so it comes back empty) and started again on the same port"
printf '    %-58s %-24s %s\n' "" "on (lock)" "on, no lock"
drow "Redis down, s" down
drow "cached token: answers before / down / after" cached
drow "new token, first instance: answers before / down / after" first
drow "new token, second instance: answers before / down / after" second
drow "tokenInfo calls per new token, before / down / after" calls
drow "new token (first instance), p50 / p99 ms, before" new-before
drow "  during the outage" new-down
drow "  after" new-after
drow "cached token, p50 / p99 ms, before" cached-before
drow "  during the outage" cached-down
drow "  after" cached-after
drow "slowest new-token request" slowest
drow "new-token requests slower than 1 s" slow
drow "shared tier used again, after Redis answered PING" back
drow "instances that logged 'Redis tier is back in use'" logs
drow "sign-out during the outage: 204?, its instance / the others" during
drow "  the others, once Redis is back" during-back
drow "sign-out before: the others after the restart" known
drow "sign-out before, token instance 3 never saw: it says" unseen
drow "distributed locks still held in Redis at the end" locks
errors=$(($(dval on errors) + $(dval nolock errors)))
echo
echo "Summary"
printf '  %-58s %s\n' "(a) tokenInfo calls per new token, on (lock) / no lock / off" "${calls_row[0]%% *} / ${calls_row[1]%% *} / ${calls_row[2]%% *}"
printf '  %-58s %s\n' "(a) latency the lock adds on waiting instances, p50 / p99" "$extra ms"
printf '  %-58s %s\n' "(b) req/s per instance, cached token, on/off ratio" "$(awk '{ r[$1] += $3; s[$1] += $4 } END { printf "%.0f / %.0f = %.2f", r["on"] / s["on"], r["off"] / s["off"], (r["on"] / s["on"]) / (r["off"] / s["off"]) }' "$WORK/wrk.txt")"
printf '  %-58s %s\n' "(c) sign-out to 401 on the others, p50 / p99" "$sent_p50 / $sent_p99 ms (off: never)"
printf '  %-58s %s\n' "(d) Redis restart: non-200 answers; shared tier back after" "$errors; $(dval on back) (lock), $(dval nolock back) (no lock)"
printf '  %-58s %s\n' "(d) slowest new-token request around the restart" "$(dval on slowest) (lock), $(dval nolock slowest) (no lock)"
echo "  $CPUS CPUs shared by 3-9 instances, Redis, the emulator and the load clients: the figures are this machine's, not a capacity plan."

[[ "$non200" -eq 0 && "$errors" -eq 0 && "$timeouts" -eq 0 ]]
