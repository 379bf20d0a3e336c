#!/usr/bin/env bash
# Quick start, step 1: installs pnpm (if missing), the dependencies, builds
# every package, and scans the bundled examples/ folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
if ! command -v pnpm >/dev/null || [ "$(pnpm -v)" != "10.34.8" ]; then
  echo "installing pnpm 10.34.8 (npm i -g)…"
  npm i -g pnpm@10.34.8
fi
pnpm install --frozen-lockfile
pnpm build --output-logs=errors-only
echo
echo "Scanning examples/ (benign and harmless-malicious samples; exit code 1 is expected: it found the malicious ones)"
echo
node packages/cli/dist/cli.js scan examples || true
echo
echo "Set up. Next: pnpm test   |   node packages/cli/dist/cli.js scan <path>   (or: pnpm modelward scan <path>)"
