#!/bin/sh
# End-to-end test of `mnet tui` in a real terminal: tmux at 80x24.
#
# It builds mnet, starts `mnet tui` in a private tmux server, presses
# ← ← ↓ ↓ to go from MobileNet 1.0-224 to 0.5-160, captures the pane and
# checks the mult-adds and parameters shown against
# `mnet analyze mobilenet_v1 --alpha 0.5 --res 160 --format json` and the
# top-1 against `mnet sweep`; then it quits with q and checks that mnet
# exited with status 0 and left the alternate screen.
#
# Without tmux it skips, saying so, and succeeds. Run: make test-e2e.
set -eu

if ! command -v tmux >/dev/null 2>&1; then
	echo "test-e2e: SKIP: tmux is not installed (needed to drive mnet tui in a terminal)"
	exit 0
fi

GO=${GO:-go}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
SOCK="mnet-e2e-$$" # a private tmux server: the user's sessions are untouched
cleanup() {
	tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

fail() {
	echo "test-e2e: FAIL: $*"
	echo "--- pane ---"
	cat "$WORK/pane" 2>/dev/null || true
	exit 1
}

(cd "$ROOT" && "$GO" build -o "$WORK/mnet" ./cmd/mnet)
MNET="$WORK/mnet"

t() { tmux -L "$SOCK" -f /dev/null "$@"; }
capture() { t capture-pane -p -t e2e >"$WORK/pane"; }

# wait_for TEXT: poll the pane until it shows TEXT (10 s at most).
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		capture
		if grep -qF -- "$1" "$WORK/pane"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "the pane never showed \"$1\""
}

# The shell around mnet reports its exit status once it quits.
t new-session -d -s e2e -x 80 -y 24 \
	"cd '$WORK' && TERM=xterm-256color '$MNET' tui; echo \"mnet exited with status \$?\"; sleep 30"
wait_for "Mult-adds"
wait_for "α 1.0"

for k in Left Left Down Down; do
	t send-keys -t e2e "$k"
done
wait_for "α 0.5"
wait_for "resolution 160"
capture
cp "$WORK/pane" "$WORK/screen"

# The numbers on the screen, without thousands separators.
shown() { grep -E "^ *$1 " "$WORK/screen" | head -n 1 | awk -v f="$2" '{print $f}' | tr -d ,; }
ma=$(shown "Mult-adds" 2)
params=$(shown "Parameters" 2)
keras=$(shown "Keras" 2)
top1=$(grep -oE "Top-1 [0-9.]+%" "$WORK/screen" | head -n 1 | sed -E 's/Top-1 ([0-9.]+)%/\1/')

# The same from the command line.
"$MNET" analyze mobilenet_v1 --alpha 0.5 --res 160 --format json >"$WORK/analyze.json"
field() { awk -v k="\"$1\":" '/"totals"/ {t = 1} t && $1 == k {gsub(/[^0-9]/, "", $2); print $2; exit}' "$WORK/analyze.json"; }
want_ma=$(field mult_adds)
want_params=$(field params)
want_keras=$(field params_keras)
want_top1=$("$MNET" sweep --alpha 0.5 --res 160 --format json | awk -F': ' '/"top1"/ {gsub(/[^0-9.]/, "", $2); print $2}')

[ -n "$want_ma" ] && [ -n "$want_params" ] && [ -n "$want_keras" ] && [ -n "$want_top1" ] ||
	fail "could not read mnet analyze's JSON"
[ "$ma" = "$want_ma" ] || fail "mult-adds shown $ma, mnet analyze says $want_ma"
[ "$params" = "$want_params" ] || fail "parameters shown $params, mnet analyze says $want_params"
[ "$keras" = "$want_keras" ] || fail "Keras parameters shown $keras, mnet analyze says $want_keras"
[ "$top1" = "$want_top1" ] || fail "top-1 shown $top1, mnet sweep says $want_top1"

# Quit: mnet exits 0 and the alternate screen is gone.
t send-keys -t e2e q
wait_for "mnet exited with status 0"
if grep -qF "Mult-adds" "$WORK/pane"; then
	fail "the explorer's screen is still there after quitting"
fi

echo "test-e2e: ok: mnet tui at 80x24 shows MobileNet 0.5-160 with $ma mult-adds, $params parameters (Keras $keras), top-1 $top1%, as mnet analyze and mnet sweep do"
