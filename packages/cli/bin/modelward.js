#!/usr/bin/env node
// The package's bin is this committed file rather than dist/cli.js, so installing a fresh
// checkout links it before anything is built (no "Failed to create bin" warnings).
await import("../dist/cli.js");
