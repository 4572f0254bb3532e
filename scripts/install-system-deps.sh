#!/usr/bin/env bash
# System packages the test suite needs, from Debian: chromium (browser tests, driven by
# Playwright; never Playwright's own browser download) and a Java runtime (the Nu Html Checker).
# Installs only what is missing, so it is instant on a machine that has them.
set -euo pipefail
missing=()
[ -x /usr/lib/chromium/chromium ] || command -v chromium >/dev/null || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing ${missing[*]} from Debian's packages" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
