#!/usr/bin/env bash
# Script-test runner: runs every NAME.py in SCRIPTS_DIR under INTERPRETER (cwd = SCRIPTS_DIR, stdin
# from /dev/null, per-script timeout) and checks stdout byte-for-byte against NAME.out and the exit
# status against NAME.exit. Standard error is never compared. Prints one FAIL line (plus a short
# diff) per failing script and finally exactly one summary line "N passed, M failed"; exits 1 if
# anything failed or no script matched. Needs only bash and coreutils (no Python).
# NAME.exit may say `nosignal` instead of a status: where CPython itself ends by a signal
# (a C stack overflow), the script passes if it ends by itself without one (status below 128,
# no timeout), and stdout is then not compared.
#
# usage: run.sh INTERPRETER SCRIPTS_DIR [name-filter]
#   name-filter: run only scripts whose base name contains this substring (e.g. "thread_").
#   FTPY_SCRIPT_TIMEOUT overrides the per-script timeout in seconds (default 60).
#   FTPY_SCRIPT_PREFIX is a command put before the interpreter (e.g. `prlimit --as=N`).
#   FTPY_SKIP_NOSIGNAL=1 skips the `nosignal` scripts (CPython's re-check: they crash it).
# NAME.args, if present, gives the script's arguments, one per line, with printf's escapes
# (\xff makes a byte that is not UTF-8).
set -u

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 INTERPRETER SCRIPTS_DIR [name-filter]" >&2
    exit 2
fi
interp=$1
dir=$2
filter=${3:-}
limit=${FTPY_SCRIPT_TIMEOUT:-60}
read -r -a prefix <<<"${FTPY_SCRIPT_PREFIX:-}"

# The scripts run from inside SCRIPTS_DIR, so a relative interpreter path must be made absolute;
# a bare command name (python3) is looked up on PATH as usual.
if [[ $interp == */* ]]; then
    interp="$(cd "$(dirname "$interp")" && pwd)/$(basename "$interp")"
fi
if ! cd "$dir"; then
    echo "run.sh: cannot enter $dir" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ftpy-scripts.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# Keep CPython's output encoding independent of the caller's locale; harmless for ftpy.
export PYTHONIOENCODING=utf-8

passed=0
failed=0
shopt -s nullglob
for script in *.py; do
    name=${script%.py}
    if [ -n "$filter" ] && [[ $name != *"$filter"* ]]; then
        continue
    fi
    if [ ! -f "$name.out" ] || [ ! -f "$name.exit" ]; then
        echo "FAIL $name: missing $name.out or $name.exit (run regen.sh)"
        failed=$((failed + 1))
        continue
    fi
    expected_status=$(tr -d ' \r\n' <"$name.exit")
    if [ "$expected_status" = nosignal ] && [ "${FTPY_SKIP_NOSIGNAL:-}" = 1 ]; then
        continue
    fi
    args=()
    if [ -f "$name.args" ]; then
        while IFS= read -r line; do args+=("$(printf '%b' "$line")"); done <"$name.args"
    fi
    timeout "$limit" "${prefix[@]}" "$interp" "$script" "${args[@]}" >"$tmp/out" 2>"$tmp/err" </dev/null
    status=$?
    problems=""
    if [ "$status" -eq 124 ]; then
        problems="timed out after ${limit}s"
    elif [ "$expected_status" = nosignal ]; then
        [ "$status" -lt 128 ] || problems="ended by signal $((status - 128))"
        cp "$name.out" "$tmp/out"  # stdout is not compared
    elif [ "$status" != "$expected_status" ]; then
        problems="exit status $status, expected $expected_status"
    fi
    if ! cmp -s "$tmp/out" "$name.out"; then
        problems="${problems:+$problems; }stdout differs"
    fi
    if [ -z "$problems" ]; then
        passed=$((passed + 1))
        continue
    fi
    failed=$((failed + 1))
    echo "FAIL $name: $problems"
    if ! cmp -s "$tmp/out" "$name.out"; then
        # First differing lines only: expected lines start with '-', actual with '+'.
        diff -u "$name.out" "$tmp/out" 2>/dev/null | tail -n +3 | grep -v '^ ' | grep -v '^@@' \
            | head -n 6 | sed 's/^/    /'
    fi
    if [ "$status" != "$expected_status" ] && [ -s "$tmp/err" ]; then
        tail -n 3 "$tmp/err" | sed 's/^/    stderr: /'
    fi
done

echo "$passed passed, $failed failed"
if [ $((passed + failed)) -eq 0 ]; then
    echo "run.sh: no scripts matched" >&2
    exit 1
fi
[ "$failed" -eq 0 ]
