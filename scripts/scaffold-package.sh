#!/usr/bin/env bash
# Creates the build boilerplate of a workspace package: scaffold-package.sh <dir> <name> "<description>"
set -euo pipefail
dir=$1; name=$2; desc=$3
depth=$(echo "$dir" | awk -F/ '{print NF}')
up=$(printf '../%.0s' $(seq 1 "$depth"))
mkdir -p "$dir/src"
[ -f "$dir/package.json" ] || cat > "$dir/package.json" <<JSON
{
  "name": "$name",
  "version": "0.1.0",
  "description": "$desc",
  "license": "Apache-2.0",
  "type": "module",
  "main": "./dist/index.cjs",
  "module": "./dist/index.js",
  "types": "./dist/index.d.ts",
  "exports": {
    ".": {
      "import": { "types": "./dist/index.d.ts", "default": "./dist/index.js" },
      "require": { "types": "./dist/index.d.cts", "default": "./dist/index.cjs" }
    },
    "./package.json": "./package.json"
  },
  "files": ["dist"],
  "scripts": {
    "build": "tsup",
    "typecheck": "tsc -p tsconfig.json"
  },
  "devDependencies": {
    "tsup": "8.5.1",
    "typescript": "5.9.3"
  }
}
JSON
[ -f "$dir/tsconfig.json" ] || echo "{ \"extends\": \"${up}tsconfig.base.json\", \"include\": [\"src\"] }" > "$dir/tsconfig.json"
[ -f "$dir/tsup.config.ts" ] || printf 'export { default } from "%stsup.config.base";\n' "$up" > "$dir/tsup.config.ts"
