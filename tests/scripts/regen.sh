#!/usr/bin/env bash
# Regenerates the expected results of the script tests from CPython: for every NAME.py in this folder
# writes NAME.out (exact standard output) and NAME.exit (exit status, decimal, newline). Each script
# runs from inside this folder with stdin from /dev/null and a 60 s timeout; standard error is dropped.
# Review the diff (git diff tests/scripts) before committing: the interpreter's output is the truth
# only when the script stays inside the ftpy subset and is deterministic.
#
# usage: tests/scripts/regen.sh [python3] [name-filter]
set -u
py=${1:-python3}
filter=${2:-}
if [[ $py == */* ]]; then
    py="$(cd "$(dirname "$py")" && pwd)/$(basename "$py")"
fi
cd "$(dirname "$0")" || exit 2
export PYTHONIOENCODING=utf-8
count=0
shopt -s nullglob
for script in *.py; do
    name=${script%.py}
    if [ -n "$filter" ] && [[ $name != *"$filter"* ]]; then
        continue
    fi
    timeout 60 "$py" "$script" >"$name.out" 2>/dev/null </dev/null
    status=$?
    echo "$status" >"$name.exit"
    if [ "$status" -eq 124 ]; then
        echo "warning: $name timed out" >&2
    fi
    count=$((count + 1))
done
echo "regenerated $count scripts with $py"
