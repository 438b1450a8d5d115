#!/usr/bin/env bash
# A bounded soak of the sample API (samples/WebApi) with its built-in join.me emulator, on loopback only.
#
#   bench/soak.sh                 # 180 s of load (the default)
#   DURATION=30 bench/soak.sh     # a short run
#
# 1. Publishes the sample in Release into a temporary folder, with its own artifacts path so that it never touches the obj/ and bin/
#    folders of other builds in the tree.
# 2. Starts it on 127.0.0.1 (a free port), in Production with Sample:UseEmulator=true and the emulator's test-host opt-in
#    (JoinMeEmulator:UnsafeAllowOutsideDevelopment): tokenInfo is answered by the emulator in memory (no network),
#    and the emulator's admin API mints tokens and sets faults (POST /_emulator/tokens, PUT /_emulator/faults, GET /_emulator/stats).
# 3. For DURATION seconds, parallel curl loops send: cached tokens (all scopes, and one scope short for a 403), new tokens minted per
#    request, random unknown tokens, malformed tokens and requests without a token; meanwhile a fault loop opens windows of error,
#    slow (hanging), ratelimited, down and garbage answers.
# 4. Measures how fast a 503 comes back with the circuit open, and with tokenInfo hanging (about 70 s more: the breaker's 30 s window
#    has to empty twice).
# 5. Prints status counts per kind of request, the unexpected answers (must be 0: only the 200/401/403/503 each kind may get), whether
#    any token shows in the server's log, and the server's RSS and managed heap at start and end (with dotnet-counters, installed into
#    a temporary tool path from NuGet when it is missing; "after last GC" reads n/a until the server's first GC).
# Everything it starts is stopped when it ends, however it ends.
set -euo pipefail

DURATION=${DURATION:-180}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/joinme-soak.XXXXXX")
TOOLS=${JOINME_SOAK_TOOLS:-${TMPDIR:-/tmp}/joinme-soak-tools}
SERVER_PID=""
LOOP_PIDS=()

cleanup() {
  local status=$?
  for pid in "${LOOP_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[soak %3ds] %s\n' "$SECONDS" "$*"; }

# ---------------------------------------------------------------------------------------------------------------------------- build
log "publishing samples/WebApi (Release) into $WORK/app"
dotnet publish "$ROOT/samples/WebApi/WebApi.csproj" -c Release --artifacts-path "$WORK/artifacts" -o "$WORK/app" -nologo -v quiet >"$WORK/publish.log" 2>&1 \
  || { cat "$WORK/publish.log"; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"

# ---------------------------------------------------------------------------------------------------------------------------- start
log "starting the sample at $BASE"
(
  cd "$WORK/app"
  exec env ASPNETCORE_URLS="$BASE" ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=0 \
    Sample__UseEmulator=true JoinMeEmulator__UnsafeAllowOutsideDevelopment=true Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
    dotnet WebApi.dll
) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 100); do
  curl -sf -o /dev/null "$BASE/api/ping" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; echo "the sample did not start"; exit 1; }
  sleep 0.2
done
curl -sf -o /dev/null "$BASE/api/ping" || { echo "the sample did not answer /api/ping"; exit 1; }

# --------------------------------------------------------------------------------------------------------------------------- helpers
ALPHABET=23456789abcdefghjkmnpqrstuvwxyz
random_token() {
  local token="" i
  for ((i = 0; i < 24; i++)); do token+=${ALPHABET:RANDOM%31:1}; done
  printf '%s' "$token"
}

mint() { # scope -> access token (recorded, to look for it in the server's log later)
  local token
  token=$(curl -sf -X POST "$BASE/_emulator/tokens" -H 'Content-Type: application/json' \
    -d "{\"client_id\":\"demo-client\",\"scope\":\"$1\"}" | jq -r .access_token)
  printf '%s\n' "$token" >>"$WORK/tokens.txt"
  printf '%s' "$token"
}

fault() { # mode [delay_ms]
  curl -sf -o /dev/null -X PUT "$BASE/_emulator/faults" -H 'Content-Type: application/json' \
    -d "{\"mode\":\"$1\",\"delay_ms\":${2:-0}}"
}

tokeninfo_calls() { curl -sf "$BASE/_emulator/stats" | jq -r .tokenInfoCalls; }

rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

counters() { # prints the server's managed heap: "<MiB after the last GC> / <MiB now, garbage included>", each n/a when unknown
  local tool
  tool=$(command -v dotnet-counters || true)
  [ -z "$tool" ] && [ -x "$HOME/.dotnet/tools/dotnet-counters" ] && tool="$HOME/.dotnet/tools/dotnet-counters"
  if [ -z "$tool" ]; then
    [ -x "$TOOLS/dotnet-counters" ] || dotnet tool install --tool-path "$TOOLS" dotnet-counters >/dev/null 2>&1 || true
    [ -x "$TOOLS/dotnet-counters" ] && tool="$TOOLS/dotnet-counters"
  fi
  if [ -z "$tool" ]; then printf 'n/a / n/a'; return; fi
  rm -f "$WORK/after-gc.csv" "$WORK/now.csv"
  "$tool" collect -p "$SERVER_PID" --counters 'System.Runtime[dotnet.gc.last_collection.heap.size]' --refresh-interval 1 \
    --format csv -o "$WORK/after-gc.csv" --duration 00:00:00:02 >/dev/null 2>&1 || true
  "$tool" collect -p "$SERVER_PID" --counters 'EventCounters\System.Runtime[gc-heap-size]' --refresh-interval 1 \
    --format csv -o "$WORK/now.csv" --duration 00:00:00:02 >/dev/null 2>&1 || true
  # The heap after the last GC is reported per generation (none before the first GC): sum the generations' last values.
  awk -F, '/last_collection.heap.size/ { last[$3] = $NF } END { for (g in last) s += last[g]; if (s > 0) printf "%.1f", s / 1048576; else printf "n/a" }' \
    "$WORK/after-gc.csv" 2>/dev/null || printf 'n/a'
  printf ' / '
  awk -F, '/GC Heap Size/ { last = $NF } END { if (last != "") printf "%.1f", last; else printf "n/a" }' "$WORK/now.csv" 2>/dev/null || printf 'n/a'
}

# Sends one batch of requests in one curl process (--next), each line written as "<kind> <status>".
batch() { # kind method path token...
  local kind=$1 method=$2 path=$3; shift 3
  local args=() token
  for token in "$@"; do
    [ ${#args[@]} -gt 0 ] && args+=(--next)
    args+=(-s -o /dev/null --max-time 20 -X "$method" -w "$kind %{http_code}\n")
    if [ "$token" != "-" ]; then args+=(-H "Authorization: Bearer $token"); fi
    args+=("$BASE$path")
  done
  curl "${args[@]}" || true
}

# ------------------------------------------------------------------------------------------------------------------------- warm-up
: >"$WORK/tokens.txt"
CACHED=()
for _ in $(seq 20); do CACHED+=("$(mint 'user_info scheduler start_meeting')"); done
NARROW=()
for _ in $(seq 5); do NARROW+=("$(mint 'scheduler')"); done
batch warmup GET /api/me "${CACHED[@]}" "${NARROW[@]}" >"$WORK/warmup.log"
if grep -qv ' 200$' "$WORK/warmup.log"; then cat "$WORK/warmup.log"; echo "warm-up failed"; exit 1; fi

# A few thousand cached requests first, so that the start figures are those of a warm server that has been through a GC.
warm() { for _ in $(seq 40); do batch warmup GET /api/me "${CACHED[@]}"; done >/dev/null; }
warm & w1=$!; warm & w2=$!; warm & w3=$!
wait "$w1" "$w2" "$w3"

RSS_START=$(rss_mib)
HEAP_START=$(counters)
log "warm: RSS ${RSS_START} MiB, managed heap (after last GC / now) ${HEAP_START} MiB; load for ${DURATION} s"

# ------------------------------------------------------------------------------------------------------------------------------ load
END=$((SECONDS + DURATION))

cached_loop() {
  while ((SECONDS < END)); do
    local picks=() i
    for ((i = 0; i < 20; i++)); do picks+=("${CACHED[RANDOM % ${#CACHED[@]}]}"); done
    batch cached GET /api/me "${picks[@]:0:5}"
    batch cached GET /api/user "${picks[@]:5:5}"
    batch cached GET /api/meetings "${picks[@]:10:5}"
    batch cached POST /api/meetings/start "${picks[@]:15:5}"
    batch narrow GET /api/user "${NARROW[RANDOM % ${#NARROW[@]}]}"
  done >>"$WORK/results.log"
}

new_loop() {
  while ((SECONDS < END)); do
    batch new GET /api/me "$(mint 'user_info')"
  done >>"$WORK/results.log"
}

invalid_loop() {
  while ((SECONDS < END)); do
    local tokens=() i
    for ((i = 0; i < 20; i++)); do tokens+=("$(random_token)"); done
    printf '%s\n' "${tokens[@]}" >>"$WORK/tokens.txt"
    batch invalid GET /api/me "${tokens[@]}"
    batch malformed GET /api/me "$(random_token)%26x" "a b" "$(random_token)#" "$(random_token)=x" "tök$(random_token)"
    batch anonymous GET /api/me - -
  done >>"$WORK/results.log"
}

fault_loop() {
  local unit=$((DURATION / 30)) mode
  ((unit < 1)) && unit=1
  while ((SECONDS < END)); do
    for mode in error slow ratelimited down garbage; do
      ((SECONDS + 3 * unit >= END)) && break 2
      fault none; sleep $((3 * unit))
      ((SECONDS + 2 * unit >= END)) && break 2
      printf 'window %s %d\n' "$mode" "$SECONDS" >>"$WORK/windows.log"
      if [ "$mode" = slow ]; then fault slow 60000; else fault "$mode"; fi
      sleep $((2 * unit))
    done
  done
  fault none
}

: >"$WORK/results.log"
: >"$WORK/windows.log"
cached_loop & LOOP_PIDS+=($!)
cached_loop & LOOP_PIDS+=($!)
new_loop & LOOP_PIDS+=($!)
invalid_loop & LOOP_PIDS+=($!)
fault_loop & LOOP_PIDS+=($!)
wait "${LOOP_PIDS[@]}"
LOOP_PIDS=()
fault none
log "load done; fault windows: $(awk '{ printf "%s@%ss ", $2, $3 }' "$WORK/windows.log")"

# -------------------------------------------------------------------------------------------------------------------- 503 latencies
# The circuit breaker counts tokenInfo attempts over 30 s: wait for the load's to leave the window (and any open circuit to close),
# then open it on purpose with new tokens while tokenInfo answers 500, until a request no longer reaches tokenInfo.
settle() { fault none; sleep 31; batch settle GET /api/me "$(mint 'user_info')" >/dev/null; }
log "measuring 503 latencies (circuit open, tokenInfo hanging)"
settle
fault error
for _ in $(seq 20); do
  before=$(tokeninfo_calls)
  batch opening GET /api/me "$(mint 'user_info')" >/dev/null
  [ "$(tokeninfo_calls)" = "$before" ] && break
done
calls_before=$(tokeninfo_calls)
: >"$WORK/open.log"
for _ in $(seq 20); do
  token=$(mint 'user_info')
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 20 -H "Authorization: Bearer $token" "$BASE/api/me" >>"$WORK/open.log"
done
calls_after=$(tokeninfo_calls)
OPEN_STATUSES=$(awk '{ print $1 }' "$WORK/open.log" | sort | uniq -c | awk '{ printf "%s×%s", $2, $1 }')
OPEN_MS=$(awk '{ print $2 * 1000 }' "$WORK/open.log" | sort -n | awk '{ v[NR] = $1 } END { printf "median %.1f ms, max %.1f ms", v[int((NR + 1) / 2)], v[NR] }')

settle
fault slow 60000
: >"$WORK/hang.log"
for _ in $(seq 3); do
  token=$(mint 'user_info')
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 -H "Authorization: Bearer $token" "$BASE/api/me" >>"$WORK/hang.log"
done
fault none
HANG=$(awk '{ printf "%s%s in %.2f s", (NR > 1 ? ", " : ""), $1, $2 }' "$WORK/hang.log")

RSS_END=$(rss_mib)
HEAP_END=$(counters)

# -------------------------------------------------------------------------------------------------------------------------- report
expected() { # kind status -> 0 when that kind may get that status
  case "$1 $2" in
    "cached 200" | "narrow 403" | "new 200" | "new 503" | "invalid 401" | "invalid 503" | "malformed 401" | "anonymous 401") return 0 ;;
    *) return 1 ;;
  esac
}

TOTAL=$(wc -l <"$WORK/results.log")
UNEXPECTED=0
echo
echo "== JoinMe soak: ${DURATION} s of load against $BASE (sample in Release, emulator in memory)"
echo "requests: $TOTAL ($(awk -v d="$DURATION" -v n="$TOTAL" 'BEGIN { printf "%.0f", n / d }')/s)"
echo "status counts (kind status count):"
sort "$WORK/results.log" | uniq -c | while read -r count kind status; do
  mark=""
  expected "$kind" "$status" || mark="   <-- unexpected"
  printf '  %-10s %s %8d%s\n' "$kind" "$status" "$count" "$mark"
done
while read -r kind status; do
  expected "$kind" "$status" || UNEXPECTED=$((UNEXPECTED + 1))
done <"$WORK/results.log"
echo "unexpected answers: $UNEXPECTED"
echo "503 with the circuit open (20 new tokens): $OPEN_STATUSES, $OPEN_MS, tokenInfo calls meanwhile: $((calls_after - calls_before))"
echo "503 with tokenInfo hanging (3 new tokens; attempt timeout 2 s, one retry): $HANG"
LEAKED=$(grep -c -F -f "$WORK/tokens.txt" "$WORK/server.log" || true)
echo "server log (Warning and above): $(grep -cE '^(warn|fail|crit):' "$WORK/server.log" || true) entries; lines holding a token: $LEAKED; unhandled exceptions: $(grep -c 'Unhandled exception' "$WORK/server.log" || true)"
grep -E '^(warn|fail|crit):' "$WORK/server.log" | sort | uniq -c | sort -rn | head -6 | sed 's/^/  /' || true
echo "server memory: RSS ${RSS_START} MiB -> ${RSS_END} MiB; managed heap (after last GC / now) ${HEAP_START} MiB -> ${HEAP_END} MiB"

[ "$UNEXPECTED" -eq 0 ] && [ "$LEAKED" -eq 0 ]
