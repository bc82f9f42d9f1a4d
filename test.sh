#!/usr/bin/env bash
# Runs every test: publishes the binary the end-to-end tests drive, then the TUnit suite.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"
./publish.sh
dotnet test --solution Orchestrator.sln -c Release "$@"
