#!/bin/sh
# The web page (make web) in headless Chromium: serves build/web/ on a
# free port of this machine's loopback, and runs tests/web/page_check.mjs
# against it (TAP). The test kernel runs the suites of WEB_TEST_SELECTION
# (default: all of them, `test`; they take seconds under v86).
#
# usage: tests/web/page_test.sh        (after make web)
set -u
cd "$(dirname "$0")/../.."
selection=${WEB_TEST_SELECTION:-}
log=$(mktemp)
trap 'kill "$server" 2>/dev/null; rm -f "$log"' EXIT

# Port 0: the server takes a free port and says which.
python3 -u -m http.server 0 --bind 127.0.0.1 -d build/web > "$log" 2>&1 &
server=$!
port=
for _ in $(seq 50); do
	port=$(sed -n 's/^Serving HTTP on .* port \([0-9]*\) .*/\1/p' "$log")
	[ -n "$port" ] && break
	sleep 0.1
done
if [ -z "$port" ]; then
	echo "not ok 1 - the page's server did not start"
	cat "$log"
	exit 1
fi
node tests/web/page_check.mjs "http://127.0.0.1:$port/" "$selection"
