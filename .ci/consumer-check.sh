#!/usr/bin/env bash
# The packages as users get them. Packs every package into a local folder feed, creates a fresh app with `dotnet new web`, makes
# its Program.cs exactly the README's "Add it to your API" code, and runs it against the standalone emulator installed from that
# feed as the joinme-emulator tool: no token -> 401, a token with scheduler -> 200, without it -> 403. Then the same app published
# with native AOT: no trim or AOT warning from this project's packages, and the native binary passes the same three requests.
# Loopback only; every wait is bounded. The last line says "consumer check: N passed, M failed".
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d /tmp/joinme-consumer.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    [[ ${KEEP:-0} == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
check() { # check <what> <expected> <actual>
    if [[ $2 == "$3" ]]; then
        passed=$((passed + 1)); echo "  ok: $1 ($3)"
    else
        failed=$((failed + 1)); echo "  FAILED: $1: expected $2, got $3"
    fi
}
finish() { echo "consumer check: ${passed} passed, ${failed} failed"; exit $(( failed > 0 )); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # wait_for <url> <seconds>: until the server answers anything at all
    for _ in $(seq $(( $2 * 10 ))); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    return 1
}
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -1)
echo "Packing every package ($version) into $work/feed..."
if ! dotnet pack "$root/JoinMe.AspNetCore.sln" -c Release -o "$work/feed" -p:ContinuousIntegrationBuild=true >"$work/pack.log" 2>&1; then
    tail -30 "$work/pack.log"; failed=$((failed + 1)); finish
fi
for package in JoinMe.AspNetCore.Authentication JoinMe.AspNetCore.Authentication.Redis JoinMe.AspNetCore.Authentication.OpenApi \
    JoinMe.AspNetCore.Emulator JoinMe.AspNetCore.Testing JoinMe.Emulator; do
    nupkg="$work/feed/$package.$version.nupkg"
    listing=$( [[ -f $nupkg ]] && unzip -l "$nupkg" )
    if [[ $listing == *README.md* ]] && { [[ $package == JoinMe.Emulator ]] || [[ $listing == *"lib/net10.0/$package.xml"* ]]; }; then
        check "package $package with its README and XML docs (and symbols)" yes "$([[ -f $work/feed/$package.$version.snupkg || $package == JoinMe.Emulator ]] && echo yes || echo no)"
    else
        check "package $package with its README and XML docs" yes no
    fi
done

cat >"$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
EOF

echo "Installing the standalone emulator from the feed..."
emulator_port=$(free_port)
if ! dotnet tool install --tool-path "$work/tools" JoinMe.Emulator --version "$version" --configfile "$work/nuget.config" >"$work/tool.log" 2>&1; then
    tail -20 "$work/tool.log"; failed=$((failed + 1)); finish
fi
"$work/tools/joinme-emulator" --urls "http://127.0.0.1:$emulator_port" >"$work/emulator.log" 2>&1 &
pids+=($!)
emulator="http://127.0.0.1:$emulator_port"
wait_for "$emulator/_emulator/stats" 30 || { cat "$work/emulator.log"; failed=$((failed + 1)); finish; }
admin() { curl -s -H 'Content-Type: application/json' -X POST "$emulator/_emulator/$1" -d "$2"; }
admin clients '{"client_id":"your-join.me-api-key","redirect_uri":"http://localhost/callback"}' >/dev/null
token_of() { admin tokens "{\"client_id\":\"your-join.me-api-key\",\"scope\":\"$1\",\"expires_in\":3600}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'; }
scheduler=$(token_of scheduler)
user_info=$(token_of user_info)

echo "Creating a fresh app with the README's code..."
cd "$work" || exit 1
dotnet new web -o app --no-restore >/dev/null 2>&1 || { failed=$((failed + 1)); finish; }
cp "$work/nuget.config" app/
python3 - "$root/README.md" app/Program.cs <<'EOF'
import re, sys
readme = open(sys.argv[1], encoding="utf-8").read()
section = readme.split("## Add it to your API", 1)[1]
code = re.search(r"```csharp\n(.*?)```", section, re.S).group(1)
open(sys.argv[2], "w", encoding="utf-8").write(code)
EOF
(cd app && dotnet add package JoinMe.AspNetCore.Authentication --version "$version" >/dev/null 2>&1) || { failed=$((failed + 1)); finish; }

run_app() { # run_app <command...>: starts the app against the emulator, checks the three answers, stops it
    local port; port=$(free_port)
    Authentication__Schemes__JoinMe__Authority="$emulator" Authentication__Schemes__JoinMe__RequireHttpsAuthority=false \
        ASPNETCORE_URLS="http://127.0.0.1:$port" "$@" >"$work/app.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    if ! wait_for "http://127.0.0.1:$port/meetings" 60; then
        tail -20 "$work/app.log"; failed=$((failed + 3)); kill "$pid"; return
    fi
    check "$label: no token" 401 "$(status "http://127.0.0.1:$port/meetings")"
    check "$label: a token with scheduler" 200 "$(status -H "Authorization: Bearer $scheduler" "http://127.0.0.1:$port/meetings")"
    check "$label: a token without scheduler" 403 "$(status -H "Authorization: Bearer $user_info" "http://127.0.0.1:$port/meetings")"
    kill "$pid"; wait "$pid" 2>/dev/null
}

if (cd app && dotnet build -c Release >"$work/build.log" 2>&1); then
    check "the README's code builds in a fresh app" yes yes
    label="app (JIT)"; run_app dotnet "$work/app/bin/Release/net10.0/app.dll"
else
    tail -30 "$work/build.log"; check "the README's code builds in a fresh app" yes no
fi

echo "Publishing it with native AOT..."
if (cd app && dotnet publish -c Release -r linux-x64 -p:PublishAot=true -o "$work/native" >"$work/publish.log" 2>&1); then
    ours=$(grep -E 'warning (IL[0-9]+|SYSLIB[0-9]+)' "$work/publish.log" | grep -cE 'JoinMe\.' || true)
    check "trim/AOT warnings from this project's packages" 0 "$ours"
    others=$(grep -E 'warning IL[0-9]+' "$work/publish.log" | sed -E 's/.*warning (IL[0-9]+): ([^:(]*).*/\1 \2/' | sort -u)
    [[ -n $others ]] && echo "  (warnings from other packages: $others)"
    label="app (native AOT)"; run_app "$work/native/app"
else
    tail -30 "$work/publish.log"; check "native AOT publish" yes no
fi

finish
