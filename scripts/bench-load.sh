#!/bin/sh
# bench-load.sh: a short load run against a freshly built pokerd, with the baseline
# beside it; prints both tables and the ratios. Called by `make bench` after `make build`.
# Extra arguments go to pokerload (e.g. --mode ramp, --duration 30s).
set -eu

cd "$(dirname "$0")/.."
go build -o bin/pokerload ./cmd/pokerload

log=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT INT TERM

# Port 0 lets the kernel pick a free port; pokerd logs the address it got. The load's
# players vote far more often than people do, so the per-socket message limit is off:
# it is the fan-out that is measured, not the limiter. All its players come from one
# address (hundreds of joins and sockets in seconds), so the per-address limits are off
# too; the per-player ones stay, since each load player has one socket.
bin/pokerd --addr 127.0.0.1:0 --ws-message-rate 0 --log-level info \
	--rooms-per-minute 0 --unused-rooms-per-address 0 --joins-per-minute 0 --connections-per-address 0 --tcp-connections-per-address 0 \
	2>"$log" &
pid=$!
addr=""
for _ in $(seq 100); do
	addr=$(sed -n 's/.*pokerd listening.* addr=\([^ ]*\).*/\1/p' "$log" | head -n 1)
	[ -n "$addr" ] && break
	sleep 0.1
done
if [ -z "$addr" ]; then
	echo "pokerd did not start:" >&2
	cat "$log" >&2
	exit 1
fi

echo "pokerload against pokerd $(bin/pokerd --version | cut -d' ' -f2) on $addr (pid $pid), $(nproc) cores"
bin/pokerload --target "http://$addr" --pid "$pid" --baseline \
	--rooms 10 --players 50 --rate 500 --duration 10s "$@"
