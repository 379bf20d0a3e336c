#!/usr/bin/env bash
# Quick start, step 1: the dependencies, a build of every package, and a scan of
# the bundled examples/ folder. Uses pnpm 10.34.8: the one on PATH when it is that
# version, else a private copy run through npx. A global pnpm is never replaced.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
PNPM_VERSION=10.34.8
if command -v pnpm >/dev/null && [ "$(pnpm -v 2>/dev/null)" = "$PNPM_VERSION" ]; then
  pnpm() { command pnpm "$@"; }
  how="pnpm"
else
  echo "using pnpm $PNPM_VERSION through npx (your pnpm, if any, is left as it is)…"
  pnpm() { npx -y "pnpm@$PNPM_VERSION" "$@"; }
  how="npx pnpm@$PNPM_VERSION"
fi
pnpm install --frozen-lockfile
pnpm build --output-logs=errors-only
echo
echo "Scanning examples/ (benign and harmless-malicious samples; exit code 1 is expected: it found the malicious ones)"
echo
node packages/cli/dist/cli.js scan examples || true
echo
echo "Set up. Next: $how test   |   node packages/cli/dist/cli.js scan <path>   (or: $how modelward scan <path>)"
