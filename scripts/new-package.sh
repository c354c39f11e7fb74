#!/usr/bin/env bash
# Scaffolds a workspace package: scripts/new-package.sh packages/foo @weir/foo "description"
set -euo pipefail
dir=$1; name=$2; desc=${3:-}
mkdir -p "$dir/src"
rel=$(realpath --relative-to="$dir" .)
cat > "$dir/package.json" <<JSON
{
  "name": "$name",
  "version": "0.1.0",
  "private": true,
  "description": "$desc",
  "type": "module",
  "exports": {
    ".": {
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    }
  },
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "typecheck": "tsc --noEmit",
    "test": "vitest run --testTimeout=30000 --passWithNoTests --reporter=default --reporter=json --outputFile=.vitest-report.json"
  },
  "dependencies": {},
  "devDependencies": {
    "@types/node": "catalog:",
    "typescript": "catalog:",
    "vitest": "catalog:"
  }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "$rel/tsconfig.base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist" },
  "include": ["src"]
}
JSON
cat > "$dir/tsconfig.build.json" <<JSON
{
  "extends": "./tsconfig.json",
  "exclude": ["src/**/*.test.ts", "src/test-support/**"]
}
JSON
[ -f "$dir/src/index.ts" ] || echo "export {};" > "$dir/src/index.ts"
