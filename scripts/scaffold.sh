#!/usr/bin/env bash
# Scaffolds one Nx project (a lib or an app) the way every project here is laid out.
# usage: scripts/scaffold.sh lib|app NAME "type:infra,scope:shared" [referenced-lib ...]
set -euo pipefail
kind=$1 name=$2 tags=$3; shift 3
dir="${kind}s/$name"
mkdir -p "$dir/src"
tag_json=$(printf '%s' "$tags" | awk -F, '{for(i=1;i<=NF;i++) printf "%s\"%s\"", (i>1?", ":""), $i}')
refs=""
for dep in "$@"; do refs="$refs${refs:+, }{ \"path\": \"../../libs/$dep/tsconfig.lib.json\" }"; done
cfg=tsconfig.lib.json; [ "$kind" = app ] && cfg=tsconfig.app.json
cat > "$dir/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "../../node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "$([ "$kind" = app ] && echo application || echo library)",
  "tags": [$tag_json]
}
JSON
cat > "$dir/$cfg" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "composite": true,
    "rootDir": "src",
    "outDir": "dist",
    "tsBuildInfoFile": "dist/.tsbuildinfo"
  },
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.spec.ts", "src/**/*.int-spec.ts"],
  "references": [$refs]
}
JSON
if [ "$kind" = lib ]; then
cat > "$dir/package.json" <<JSON
{
  "name": "@mailkeep/$name",
  "version": "0.0.0",
  "private": true,
  "type": "module",
  "exports": { ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" } }
}
JSON
[ -f "$dir/src/index.ts" ] || echo "export {};" > "$dir/src/index.ts"
fi
