#!/usr/bin/env bash
# Builds artifacts/orchestrator: one NativeAOT file with SQLite linked in. Installs its build prerequisites
# (Debian packages) when they are missing. Usage: ./publish.sh [--static]
# --static also builds artifacts/orchestrator-static, linked fully statically (glibc included).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[ -f /usr/lib/x86_64-linux-gnu/libsqlite3.a ] || missing+=(libsqlite3-dev)
command -v gcc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1 || missing+=(gcc)
if [ ${#missing[@]} -gt 0 ]; then
  echo "publish.sh: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

static=false
if [ "${1:-}" = "--static" ]; then static=true; shift; fi

dotnet publish src/Orchestrator/Orchestrator.csproj -c Release -r linux-x64 -o artifacts/publish -nologo -v quiet "$@"
install -m 0755 artifacts/publish/orchestrator artifacts/orchestrator
echo "artifacts/orchestrator: $(du -h artifacts/orchestrator | cut -f1)" >&2

if $static; then
  # Also a fully static variant (glibc linked in, StaticExecutable): runs in an empty root or a scratch image.
  # glibc warns that NSS and dlopen need the shared libraries at run time: this server resolves no host names and
  # binds its native calls at link time, so neither is used.
  dotnet publish src/Orchestrator/Orchestrator.csproj -c Release -r linux-x64 -o artifacts/publish-static -nologo -v quiet \
    -p:StaticExecutable=true -p:IntermediateOutputPath=obj/static/ "$@" 2>&1 | grep -v "requires at runtime the shared libraries" || true
  install -m 0755 artifacts/publish-static/orchestrator artifacts/orchestrator-static
  echo "artifacts/orchestrator-static: $(du -h artifacts/orchestrator-static | cut -f1)" >&2
fi
