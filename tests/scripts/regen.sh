#!/usr/bin/env bash
# Regenerates the expected results of the script tests from CPython: for every NAME.py in this folder,
# in threads/ and in ../hostile/ writes NAME.out (exact standard output) and NAME.exit (exit status,
# decimal, newline); a script whose NAME.exit says `nosignal` (CPython crashes on it) is left alone
# (interpreters/ is written by hand: CPython 3.11 has no such module). Each script
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
for script in *.py threads/*.py ../hostile/*.py ../hostile/capped/*.py; do
    name=${script%.py}
    base=${name##*/}
    if [ -f "$name.exit" ] && [ "$(tr -d ' \r\n' <"$name.exit")" = nosignal ]; then
        continue
    fi
    if [ -n "$filter" ] && [[ $base != *"$filter"* ]]; then
        continue
    fi
    # Each script runs from its own folder, as run.sh runs it; hostile/capped/ under the cap
    # its meson test applies.
    prefix=()
    [[ $script == *capped/* ]] && prefix=(prlimit --as=4294967296)
    args=()
    if [ -f "$name.args" ]; then  # one argument per line, printf escapes (as run.sh)
        while IFS= read -r line; do args+=("$(printf '%b' "$line")"); done <"$name.args"
    fi
    (cd "$(dirname "$script")" && timeout 60 "${prefix[@]}" "$py" "${script##*/}" "${args[@]}" >"${base}.out" 2>/dev/null </dev/null)
    status=$?
    echo "$status" >"$name.exit"
    if [ "$status" -eq 124 ]; then
        echo "warning: $name timed out" >&2
    fi
    count=$((count + 1))
done
echo "regenerated $count scripts with $py"
