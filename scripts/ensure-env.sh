#!/usr/bin/env bash
# Readies a fresh machine for the tests, the demo and the benchmark: node modules, Debian's Chromium, a build.
# Run by `npm test`, `npm start` and `npm run bench` before they start, so each works alone on a new clone.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/vitest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-env: installing node modules (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "ensure-env: installing Debian's chromium for the browser tests"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "ensure-env: Chromium is missing: run 'sudo apt-get install -y chromium', then this command again" >&2
    exit 1
  fi
fi

npm run build --silent >/dev/null
