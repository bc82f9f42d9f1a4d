#!/usr/bin/env bash
# Runs every test: publishes the binary the end-to-end tests drive, then the TUnit suite.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"
./publish.sh --static
# Real MCP clients (the official TypeScript SDK) for the end-to-end tests; versions pinned by package-lock.json.
npm ci --prefix tests/clients --no-audit --no-fund --loglevel=error
# A real browser for the task board's test (BoardBrowserTests): Debian's Chromium, driven by puppeteer-core.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
# The benchmarks are not tests, but they must keep building with the code they measure (dotnet test builds test projects only).
dotnet build bench/Orchestrator.Bench -c Release --nologo -v quiet
dotnet test --solution Orchestrator.sln -c Release "$@"
