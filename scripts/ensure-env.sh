#!/usr/bin/env bash
# Readies a fresh machine for the tests, the demo and the benchmark: node modules, Debian's Chromium and
# redis-server (the server tests start their own), a build.
# Run by `npm test`, `npm start` and `npm run bench` before they start, so each works alone on a new clone.
#   --no-browser     everything but Chromium: `npm start` serves the demo to your own browser and needs none
#   --browser-only   Chromium only: `npm start -- --once` asks for it, as do the tests and the benchmark
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
# Where the browser tests look for Chromium (support/browser.js); test/build/start.test.js points it elsewhere.
chromium=${ENSURE_ENV_CHROMIUM:-/usr/bin/chromium}

if [ "$mode" != --browser-only ]; then
  if [ ! -x node_modules/.bin/vitest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "ensure-env: installing node modules (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi

if [ "$mode" != --no-browser ] && [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "ensure-env: installing Debian's chromium for the browser tests"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "ensure-env: Chromium is missing: run 'sudo apt-get install -y chromium', then this command again" >&2
    echo "ensure-env: (plain \`npm start\` needs no Chromium: open the demo in your own browser)" >&2
    exit 1
  fi
fi

# The server tests (test/server) start their own redis-server on a random port; they fail without it.
if [ "$mode" = all ] && [ ! -x "${REDIS_SERVER:-/usr/bin/redis-server}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "ensure-env: installing Debian's redis-server for the server tests"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "ensure-env: redis-server is missing: run 'sudo apt-get install -y redis-server', then this command again" >&2
    exit 1
  fi
fi

# dist/ only: the full `npm run build` also rewrites the committed GTM container, which a test run must not do.
[ "$mode" = --browser-only ] || npm run build:dist --silent >/dev/null
