#!/usr/bin/env bash
# bootstrap.sh: the README's two quick-start commands, on a fresh Debian 12 machine as root.
#   ./bootstrap.sh demo   install what is missing, build, run an example across threads
#   ./bootstrap.sh test   install what is missing, build, run the test suite
# Set-up is idempotent: packages already installed are not fetched again, an existing build
# folder is reused. Under CI (CI=true) warnings are errors.
set -euo pipefail
cd "$(dirname "$0")"

packages=(g++ meson ninja-build cmake pkg-config libmimalloc-dev libfmt-dev catch2)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "bootstrap: installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

build() {
  local werror=false
  [ "${CI:-}" = "true" ] && werror=true
  if [ ! -f build/build.ninja ]; then
    meson setup build -Dwerror="$werror"
  else
    meson configure build -Dwerror="$werror" >/dev/null
  fi
  ninja -C build
}

case "${1:-}" in
  demo)
    install_missing
    build
    # A Python program whose threads run at the same time (no global lock).
    ./build/ftpy examples/parallel_primes.py
    ;;
  test)
    install_missing
    build
    meson test -C build --print-errorlogs
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
