#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `cmake --install` delivers a usable package (issue 16): installs the build into a temporary
# prefix, checks what is there and that nothing internal leaks into the CMake package, then
# builds a small consumer twice, with find_package(mobileconfigc) and with pkg-config, and
# compares what it compiles with the installed tool's output.
#   tests/packaging/install.sh BUILD_DIR
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "install.sh: $*" >&2; exit 1; }

P=$work/prefix
cmake --install "$build" --prefix "$P" >"$work/install.log"

shared=$(sed -n 's/^BUILD_SHARED_LIBS:BOOL=//p' "$build/CMakeCache.txt")
case "$shared" in ON|TRUE|1) lib=lib/libmobileconfigc.so ;; *) lib=lib/libmobileconfigc.a ;; esac
for f in bin/mobileconfigc "$lib" include/mobileconfigc/mobileconfigc.hpp include/mobileconfigc/compile.hpp \
         lib/cmake/mobileconfigc/mobileconfigcConfig.cmake lib/cmake/mobileconfigc/mobileconfigcConfigVersion.cmake \
         lib/cmake/mobileconfigc/mobileconfigcTargets.cmake lib/pkgconfig/mobileconfigc.pc \
         share/man/man1/mobileconfigc.1.gz share/man/man1/mobileconfigc-compile.1.gz \
         share/man/man1/mobileconfigc-validate.1.gz share/bash-completion/completions/mobileconfigc \
         share/zsh/vendor-completions/_mobileconfigc share/fish/vendor_completions.d/mobileconfigc.fish \
         share/doc/mobileconfigc/copyright share/doc/mobileconfigc/NOTICE; do
  [ -e "$P/$f" ] || fail "not installed: $f"
done
# Only the public headers: no layer's header, nothing from src/.
[ "$(find "$P/include" -type f | grep -vc '^'"$P"'/include/mobileconfigc/[a-z_]*\.hpp$')" = 0 ] || fail "stray headers"

# The exported interface names what the headers need and nothing else.
targets=$(cat "$P"/lib/cmake/mobileconfigc/mobileconfigcTargets*.cmake)
if grep -nE 'nlohmann|CLI11|mimalloc|Threads|MCC_VERSION|mcc_|layers/|INTERFACE_COMPILE_DEFINITIONS|'"$src" \
     <<<"$targets"; then
  fail "the exported targets leak something internal (above)"
fi
grep -q 'INTERFACE_COMPILE_FEATURES "cxx_std_20"' <<<"$targets" || fail "cxx_std_20 is not declared"
grep -q 'add_library(mobileconfigc::mobileconfigc ' <<<"$targets" || fail "no mobileconfigc::mobileconfigc"

sample=$src/samples/ios-ikev2-certificate-ondemand.json
export LD_LIBRARY_PATH=$P/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
"$P/bin/mobileconfigc" compile "$sample" -o - >"$work/expected.xml" 2>"$work/expected.err"
[ -s "$work/expected.xml" ] || fail "the installed tool wrote nothing"

# 1. CMake: find_package(mobileconfigc) and the exported target.
cmake -S "$src/tests/consumer" -B "$work/cmake-consumer" -G Ninja -DCMAKE_PREFIX_PATH="$P" \
  -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" || { cat "$work/configure.log"; fail "consumer: configure"; }
cmake --build "$work/cmake-consumer" >"$work/build.log" || { cat "$work/build.log"; fail "consumer: build"; }
"$work/cmake-consumer/consumer" "$sample" >"$work/cmake.xml" 2>"$work/cmake.err"
cmp "$work/expected.xml" "$work/cmake.xml" || fail "the CMake consumer's profile differs from the tool's"
cmp "$work/expected.err" "$work/cmake.err" || fail "the CMake consumer's diagnostics differ from the tool's"

# 2. pkg-config (static: the archive's own dependencies come from Requires.private).
export PKG_CONFIG_PATH=$P/lib/pkgconfig
pc_libs=$(pkg-config --static --libs mobileconfigc)
# shellcheck disable=SC2046
${CXX:-c++} $(pkg-config --cflags mobileconfigc) "$src/tests/consumer/main.cpp" -o "$work/pc-consumer" $pc_libs
"$work/pc-consumer" "$sample" >"$work/pc.xml" 2>"$work/pc.err"
cmp "$work/expected.xml" "$work/pc.xml" || fail "the pkg-config consumer's profile differs from the tool's"

# The man page renders without warnings; the installed bash completion loads lazily.
page=$(MANWIDTH=80 man --warnings -P cat -l "$P/share/man/man1/mobileconfigc-compile.1.gz" 2>"$work/man.err")
[ ! -s "$work/man.err" ] || { cat "$work/man.err"; fail "man warnings"; }
grep -q -- '--out-dir' <<<"$page" || fail "mobileconfigc-compile(1) lacks --out-dir"
grep -q 'EXIT STATUS' <<<"$page" || fail "mobileconfigc-compile(1) lacks EXIT STATUS"
if [ -f /usr/share/bash-completion/bash_completion ]; then
  XDG_DATA_DIRS=$P/share bash -c 'source /usr/share/bash-completion/bash_completion
    __load_completion mobileconfigc; complete -p mobileconfigc' | grep -q -- '-F _mobileconfigc' \
    || fail "bash-completion does not load the installed completion"
fi
echo "install.sh: installed, consumers built with find_package and pkg-config, outputs equal"
