#!/bin/sh
# Writes Sources/mime-bench/link-order.txt: the functions that mime-bench runs
# at start-up and while parsing the developers' corpus (callgrind, mangled
# names), start-up first. The measured build links them first
# (lld --symbol-ordering-file), so the code a run touches is packed into few
# 64 KiB fault-around blocks instead of spread over the 6 MB of statically
# linked runtime, standard library and libc (see docs/performance.md).
# Rerun after changing the MIME module or the driver (a renamed function
# drops out of the order; nothing breaks, the binary only maps more code).
#
# usage: Sources/mime-bench/make-link-order.sh [CORPUS]   (needs valgrind; from the repo root)
set -eu
corpus=$(cd "${1:-../shared/corpus}" && pwd)
scratch=${SCRATCH:-.build}
out=Sources/mime-bench/link-order.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
swift build -c release --product mime-bench -Xswiftc -static-executable -Xswiftc -use-ld=lld -Xswiftc -Xfrontend -Xswiftc -function-sections \
    --scratch-path "$scratch" >/dev/null
bin=$scratch/release/mime-bench
find "$corpus" -type f ! -name README.md ! -name MANIFEST.tsv ! -name FETCH.md ! -path '*/LICENSES/*' | sort >"$tmp/list"
: >"$tmp/empty"
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$tmp/start.out" "$bin" "$tmp/empty" 1 >/dev/null 2>&1
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$tmp/run.out" "$bin" "$tmp/list" 1 >/dev/null 2>&1
# Function names only (callgrind writes bare addresses for code without a symbol).
names() { sed -n 's/^c\{0,1\}fn=([0-9]*) //p' "$1" | grep -v '^0x' | sort -u; }
names "$tmp/start.out" >"$tmp/start"
names "$tmp/run.out" >"$tmp/run"
{
    echo "# mime-bench link order (lld --symbol-ordering-file), written by make-link-order.sh: start-up first, then the functions run on the developers' corpus"
    cat "$tmp/start"
    comm -13 "$tmp/start" "$tmp/run"
} >"$out"
echo "$(wc -l <"$out") lines in $out"
