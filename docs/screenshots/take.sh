#!/usr/bin/env bash
# Re-take the README screenshots from the already built site (this script builds nothing):
#   .venv/bin/timeline build && bash docs/screenshots/take.sh
# Serves output/ on 127.0.0.1 at a free port, takes eight PNGs with headless Chromium into
# this folder, then stops the server. Environment:
#   CHROMIUM  path of the browser (default /usr/lib/chromium/chromium if present, else chromium)
#   SITE      the built site (default: output/ at the repository root)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
site="${SITE:-$here/../../output}"
if [[ -z "${CHROMIUM:-}" ]]; then
  if [[ -x /usr/lib/chromium/chromium ]]; then CHROMIUM=/usr/lib/chromium/chromium; else CHROMIUM=chromium; fi
fi
event="events/2023-12-10-netanyahu-putin-call/"

[[ -f "$site/index.html" ]] || { echo "no built site at $site: run 'timeline build' first" >&2; exit 1; }
[[ -f "$site/$event/index.html" ]] || { echo "no page $event in $site" >&2; exit 1; }

# A free port: let the kernel pick one, then release it for the server.
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
python3 -m http.server -d "$site" "$port" --bind 127.0.0.1 >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT

for _ in $(seq 50); do  # wait up to 5 s for the server to answer
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.1
done

shot() {  # shot OUTPUT WIDTH HEIGHT PATH
  "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --disable-sync --hide-scrollbars \
    --force-device-scale-factor=1 --window-size="$2,$3" \
    --screenshot="$here/$1" "http://127.0.0.1:$port/$4" >/dev/null 2>&1
  echo "wrote $here/$1 ($(wc -c <"$here/$1") bytes)"
}

shot landing-phone.png 390 1600 ""
shot landing-desktop.png 1280 1600 ""
shot event-phone.png 390 1800 "$event"
shot event-desktop.png 1280 1800 "$event"
shot timeline-phone.png 390 1400 "timeline/"
shot timeline-desktop.png 1280 1300 "timeline/"
shot hebrew-phone.png 390 1600 "he/"
shot hebrew-desktop.png 1280 1800 "he/$event"
