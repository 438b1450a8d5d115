#!/usr/bin/env bash
# Flake check: clones main into a temporary folder, runs the README's test command there RUNS times (default 20), and prints every
# test that failed at least once, with how often and its first error line, then "N runs, M with failures".
# A tool for people (it takes a while: about a minute a run on two cores), not part of .ci/run.
#
#   bench/flake-check.sh [runs]          KEEP=1 keeps the clone and every run's log
set -uo pipefail

runs=${1:-20}
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: bench/flake-check.sh [runs]   (runs: a whole number above 0, default 20)" >&2
    exit 2
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && git rev-parse --show-toplevel) || { echo "not inside the project's git checkout" >&2; exit 2; }
work=$(mktemp -d /tmp/joinme-flake-check.XXXXXX)
if [[ ${KEEP:-0} != 1 ]]; then
    trap 'rm -rf "$work"' EXIT
fi

git clone --quiet --branch main "$repo" "$work/clone" || { echo "could not clone main from $repo" >&2; exit 2; }
cd "$work/clone" || exit 2
echo "flake check of main at $(git rev-parse --short HEAD): $runs runs of 'dotnet test' in $work/clone"

# The README's test command, exactly as a new user types it.
test_command=$(grep -m1 -E '^dotnet test' README.md)
test_command=${test_command:-dotnet test}

failed_runs=0
: >"$work/failures.tsv"
for ((run = 1; run <= runs; run++)); do
    log="$work/run-$run.log"
    started=$SECONDS
    $test_command >"$log" 2>&1
    status=$?
    # Microsoft.Testing.Platform prints "failed <test> (<time>)", a "from <assembly>" line, then the error.
    awk -v run="$run" '
        /^failed / { name = $2; want = 1; next }
        want && /^  from / { next }
        want && NF > 0 { sub(/^ +/, ""); printf "%s\t%s\t%s\n", run, name, $0; want = 0 }
    ' "$log" >>"$work/failures.tsv"
    summary=$(grep -E '^ +(total|failed|succeeded|skipped):' "$log" | tr -s ' ' | tr '\n' ' ')
    if [[ $status -ne 0 ]]; then
        failed_runs=$((failed_runs + 1))
        if ! grep -q "^$run	" "$work/failures.tsv"; then
            printf '%s\t%s\t%s\n' "$run" "(no test reported)" "dotnet test exited $status: $(grep -m1 -iE 'error|exception' "$log")" >>"$work/failures.tsv"
        fi
        echo "run $run: FAILED in $((SECONDS - started)) s:$summary"
    else
        echo "run $run: passed in $((SECONDS - started)) s:$summary"
    fi
done

if [[ -s $work/failures.tsv ]]; then
    echo
    echo "tests that failed at least once (count, test, first error line):"
    awk -F '\t' '{ count[$2]++; if (!($2 in first)) first[$2] = $3 } END { for (t in count) printf "%4d  %s  --  %s\n", count[t], t, first[t] }' \
        "$work/failures.tsv" | sort -rn
fi
echo
echo "$runs runs, $failed_runs with failures"
[[ ${KEEP:-0} == 1 ]] && echo "logs kept in $work"
[[ $failed_runs -eq 0 ]]
