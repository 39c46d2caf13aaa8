#!/bin/sh
# Builds the static capstan-shim: musl-gcc if present (about 100 KB), else glibc's gcc -static.
# Usage: build.sh SRC_DIR OUTPUT
set -eu
src="$1"
out="$2"
mkdir -p "$(dirname "$out")"
flags="-std=c11 -static -O2 -Wall -Wextra -Wno-unused-parameter -Werror -s"
if command -v musl-gcc >/dev/null 2>&1; then
  cc=musl-gcc
elif command -v gcc >/dev/null 2>&1 && [ -n "$(gcc -print-file-name=libc.a | grep /)" ]; then
  cc=gcc
else
  echo "capstan-shim: no static C compiler found: apt-get install musl-tools (or gcc and libc6-dev)" >&2
  exit 1
fi
# shellcheck disable=SC2086
if ! $cc $flags -o "$out.tmp" "$src"/*.c; then
  echo "capstan-shim: building with $cc failed (apt-get install musl-tools gcc)" >&2
  exit 1
fi
mv "$out.tmp" "$out"
