#!/usr/bin/env bash
# Cold bursts: BURSTS (default 1000) bursts of 200 simultaneous requests, each burst carrying one never-seen token, through the
# sample in process (WebApplicationFactory/TestServer) with a counting tokenInfo fake at the edge. Every burst must make exactly
# one tokenInfo call. This runs the automated test test/JoinMe.AspNetCore.Authentication.Tests/ConcurrencyBurstTests.cs (which runs
# a short 20 bursts in the suite) and prints its result line.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JOINME_COLD_BURSTS=${BURSTS:-1000}
out=$(dotnet test --project "$root/test/JoinMe.AspNetCore.Authentication.Tests" --output detailed -- \
    --filter-method '*Every_burst_of_simultaneous_requests_with_a_new_token_makes_exactly_one_tokenInfo_call' 2>&1) && status=0 || status=$?
grep -E "cold bursts:" <<<"$out" | sed -E 's/^ +//' || true
if [[ $status -ne 0 ]]; then
    echo "$out" >&2
    exit "$status"
fi
