#!/bin/sh
# make release: static binaries for the release platforms in $1 (dist),
# each checked to start. Needs qemu-aarch64-static for the linux/arm64 check.
set -eu
GO=${GO:-go}
QEMU_ARM64=${QEMU_ARM64:-qemu-aarch64-static}
dist=${1:-dist}
rm -rf "$dist"
mkdir -p "$dist"
version=$(git describe --always --dirty 2>/dev/null || echo unknown)
for p in linux/amd64 linux/arm64 darwin/arm64; do
	os=${p%/*} arch=${p#*/}
	for c in mnet mnet-analyze; do
		out="$dist/$c-$os-$arch"
		CGO_ENABLED=0 GOOS=$os GOARCH=$arch "$GO" build -trimpath -o "$out" "./cmd/$c"
		echo "built $out ($version)"
	done
done

# check PLATFORM RUNNER...: the platform's binaries start and do their job
# (RUNNER: env natively, or the emulator).
check() {
	mnet="$dist/mnet-$1" analyze="$dist/mnet-analyze-$1"
	shift
	log="$dist/.check.log"
	"$@" "$mnet" exec mobilenet_v1 --runs 3 >"$log" 2>&1 || { cat "$log" >&2; echo "release: $mnet exec failed" >&2; exit 1; }
	grep -q "Latency per inference" "$log" || { cat "$log" >&2; echo "release: $mnet exec printed no latency" >&2; exit 1; }
	head -1 "$log"
	"$@" "$analyze" >"$log" 2>&1 || { cat "$log" >&2; echo "release: $analyze failed" >&2; exit 1; }
	grep -q "568,740,352" "$log" || { cat "$log" >&2; echo "release: $analyze did not print MobileNet's mult-adds" >&2; exit 1; }
	echo "checked $mnet and $analyze"
	rm -f "$log"
}
# file and static: the binary's type as file(1) says, which must match.
filetype() {
	t=$(file -b "$1")
	echo "$1: $t"
	case $t in *$2*) ;; *) echo "release: $1 is not $2" >&2; exit 1 ;; esac
}
filetype "$dist/mnet-linux-amd64" "ELF 64-bit LSB executable, x86-64"
filetype "$dist/mnet-linux-amd64" "statically linked"
filetype "$dist/mnet-linux-arm64" "ELF 64-bit LSB executable, ARM aarch64"
filetype "$dist/mnet-linux-arm64" "statically linked"
filetype "$dist/mnet-darwin-arm64" "Mach-O 64-bit arm64 executable"
filetype "$dist/mnet-analyze-darwin-arm64" "Mach-O 64-bit arm64 executable"

check linux-amd64 env
command -v "$QEMU_ARM64" >/dev/null 2>&1 || { echo "release: $QEMU_ARM64 is needed to check the linux/arm64 binaries (apt-get install qemu-user-static)" >&2; exit 1; }
check linux-arm64 "$QEMU_ARM64"
