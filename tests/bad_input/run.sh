#!/usr/bin/env bash
# Runs INTERPRETER on every .py file in DIR (the malformed programs of tests/bad_input) and
# requires each to fail cleanly: exit status 1 and a SyntaxError-class report (SyntaxError,
# IndentationError, TabError) as the last line of standard error. Never a crash or a hang.
# usage: run.sh INTERPRETER DIR
set -u
interp=$1
dir=$2
failed=0
total=0
shopt -s nullglob
for f in "$dir"/*.py; do
    total=$((total + 1))
    err=$(timeout 20 "$interp" "$f" 2>&1 >/dev/null </dev/null)
    status=$?
    last=$(printf '%s\n' "$err" | tail -n 1)
    if [ "$status" -ne 1 ] || ! [[ $last =~ ^(SyntaxError|IndentationError|TabError) ]]; then
        echo "FAIL $(basename "$f"): exit status $status, last stderr line: $last"
        failed=$((failed + 1))
    fi
done
echo "$((total - failed)) passed, $failed failed"
[ "$total" -gt 0 ] && [ "$failed" -eq 0 ]
