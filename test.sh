#!/usr/bin/env bash
# Runs every test: publishes the binary the end-to-end tests drive, then the TUnit suite.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"
./publish.sh --static
# Real MCP clients (the official TypeScript SDK) for the end-to-end tests; versions pinned by package-lock.json.
npm ci --prefix tests/clients --no-audit --no-fund --loglevel=error
dotnet test --solution Orchestrator.sln -c Release "$@"
