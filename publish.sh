#!/usr/bin/env bash
# Builds artifacts/orchestrator: one NativeAOT file with SQLite linked in. Installs its build prerequisites
# (Debian packages) when they are missing. Usage: ./publish.sh [--static] [--stdio-only]
# --static also builds artifacts/orchestrator-static, linked fully statically (glibc and OpenSSL included).
# --stdio-only also builds artifacts/orchestrator-stdio, without the HTTP mode (ASP.NET Core trimmed away: a smaller
# binary whose every start is faster; docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[ -f /usr/lib/x86_64-linux-gnu/libsqlite3.a ] || missing+=(libsqlite3-dev)
command -v gcc >/dev/null 2>&1 || command -v clang >/dev/null 2>&1 || missing+=(gcc)
install_missing() {
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "publish.sh: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

static=false
stdio_only=false
while [ $# -gt 0 ]; do
  case "$1" in
    --static) static=true; shift ;;
    --stdio-only) stdio_only=true; shift ;;
    *) break ;;
  esac
done
# The static variant links OpenSSL in too (the SDK's HTTP session ids come from .NET's RNG, which is OpenSSL on
# Linux); .NET builds its crypto shim for that with cmake against Debian's static libssl/libcrypto.
if $static; then
  [ -f /usr/lib/x86_64-linux-gnu/libssl.a ] || missing+=(libssl-dev)
  command -v cmake >/dev/null 2>&1 || missing+=(cmake)
fi
install_missing

dotnet publish src/Orchestrator/Orchestrator.csproj -c Release -r linux-x64 -o artifacts/publish -nologo -v quiet "$@"
install -m 0755 artifacts/publish/orchestrator artifacts/orchestrator
echo "artifacts/orchestrator: $(du -h artifacts/orchestrator | cut -f1)" >&2

if $stdio_only; then
  dotnet publish src/Orchestrator/Orchestrator.csproj -c Release -r linux-x64 -o artifacts/publish-stdio -nologo -v quiet \
    -p:OrchestratorHttp=false -p:IntermediateOutputPath=obj/stdio/ "$@"
  install -m 0755 artifacts/publish-stdio/orchestrator artifacts/orchestrator-stdio
  echo "artifacts/orchestrator-stdio: $(du -h artifacts/orchestrator-stdio | cut -f1)" >&2
fi

if $static; then
  # Also a fully static variant (glibc and OpenSSL linked in): runs in an empty root or a scratch image.
  # glibc warns that NSS and dlopen need the shared libraries at run time: this server resolves no host names and
  # binds its native calls at link time, so neither is used.
  dotnet publish src/Orchestrator/Orchestrator.csproj -c Release -r linux-x64 -o artifacts/publish-static -nologo -v quiet \
    -p:StaticExecutable=true -p:StaticOpenSslLinking=true -p:IntermediateOutputPath=obj/static/ "$@" 2>&1 \
    | { grep -v -e "requires at runtime the shared libraries" -e "CMake warning" || true; }
  install -m 0755 artifacts/publish-static/orchestrator artifacts/orchestrator-static
  echo "artifacts/orchestrator-static: $(du -h artifacts/orchestrator-static | cut -f1)" >&2
fi
