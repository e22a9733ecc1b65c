#!/usr/bin/env bash
# Runs the Dockerfile's build steps outside Docker, in a temporary copy of the build context, so a
# step that would break `docker build` breaks CI:
#   1. the runtime stage's `npm ci --omit=dev` (lock file in sync; installs only with LETHE_CI_INSTALL=1,
#      which needs the registry or a warm npm cache)
#   2. the build stage's `npm run build` on exactly what .dockerignore lets into the context
#   3. the entrypoints the task definitions run exist in dist/
#   4. compiled code needs no devDependency (the image has none)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/lethe-docker-steps.XXXXXX")"
trap 'rm -rf "$work"' EXIT
failed=()
step() { printf '== %s\n' "$*"; }
# Runs a step; on failure shows the first lines of its output and goes on, so one run lists every problem.
run() {
  local name="$1"; shift
  step "$name"
  if ! "$@" >"$work/out" 2>&1; then
    grep -v '^npm warn' "$work/out" | sed '/^npm error Clean install a project/q' | head -40 >&2
    failed+=("$name")
  fi
}

step "context: copy what .dockerignore admits"
mkdir -p "$work/context" "$work/runtime"
excludes=()
while IFS= read -r line; do
  line="${line%%#*}"; line="${line%"${line##*[![:space:]]}"}"
  [[ -n "$line" ]] && excludes+=("--exclude=./$line")
done < "$root/.dockerignore"
(cd "$root" && tar "${excludes[@]}" -cf - .) | tar -C "$work/context" -xf -

cp "$root/package.json" "$root/package-lock.json" "$work/runtime/"
if [[ "${LETHE_CI_INSTALL:-0}" == "1" ]]; then
  run "runtime stage: npm ci --omit=dev" bash -c 'cd "$1" && npm ci --omit=dev --no-audit --no-fund' _ "$work/runtime"
else
  run "runtime stage: npm ci --omit=dev (lock file check, --dry-run)" bash -c 'cd "$1" && npm ci --omit=dev --dry-run --ignore-scripts --no-audit --no-fund' _ "$work/runtime"
fi

# Dev dependencies of the checkout stand in for the build stage's `npm ci`.
ln -s "$root/node_modules" "$work/context/node_modules"
run "build stage: npm run build" bash -c 'cd "$1" && npm run build --silent' _ "$work/context"

check_entrypoints() {
  local missing=0
  for entry in dist/tasks/cli.js dist/tasks/find.js; do
    [[ -f "$work/context/$entry" ]] || { echo "missing $entry after npm run build (the task definitions run it)"; missing=1; }
  done
  return "$missing"
}
run "entrypoints the task definitions run" check_entrypoints

check_production_requires() {
  [[ -d "$work/context/dist" ]] || { echo "no dist/ to check"; return 1; }
  (cd "$work/context" && node - <<'NODE'
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const allowed = new Set([...Object.keys(pkg.dependencies ?? {}), ...builtinModules]);
const problems = [];
const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
  const file = path.join(dir, e.name);
  if (e.isDirectory()) return walk(file);
  if (!file.endsWith('.js')) return;
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)|import\("([^"]+)"\)/g)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.') || spec.startsWith('node:')) continue;
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    if (!allowed.has(name)) problems.push(`${file}: requires "${name}", not a production dependency`);
  }
});
walk('dist');
if (problems.length > 0) { console.error(problems.join('\n')); process.exit(1); }
NODE
  )
}
run "compiled code needs production dependencies only" check_production_requires

if (( ${#failed[@]} > 0 )); then
  printf 'docker steps failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
step "ok"
