#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Debian package (issue 16): `cpack -G DEB` from the build directory, its contents and
# dpkg-shlibdeps' Depends, then an install into a throwaway root (dpkg --root with a copy of
# this machine's package database, so Depends are checked against what is installed here;
# the machine's own database and files are never touched) and `mobileconfigc --version` from it.
#   tests/packaging/deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "deb.sh: $*" >&2; exit 1; }
for tool in cpack dpkg dpkg-deb dpkg-shlibdeps file; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup installs dpkg-dev and file)"
done

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
arch=$(dpkg --print-architecture)
(cd "$work" && SOURCE_DATE_EPOCH=1700000000 cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) \
  || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$work/out/mobileconfigc_${version}_${arch}.deb
dev=$work/out/libmobileconfigc-dev_${version}_${arch}.deb
[ -f "$deb" ] || { ls "$work/out"; fail "no $(basename "$deb")"; }
[ -f "$dev" ] || { ls "$work/out"; fail "no $(basename "$dev")"; }

contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/mobileconfigc ./usr/share/man/man1/mobileconfigc.1.gz ./usr/share/man/man1/mobileconfigc-compile.1.gz \
         ./usr/share/bash-completion/completions/mobileconfigc ./usr/share/zsh/vendor-completions/_mobileconfigc \
         ./usr/share/fish/vendor_completions.d/mobileconfigc.fish ./usr/share/doc/mobileconfigc/copyright \
         ./usr/share/doc/mobileconfigc/mobileconfigc.schema.json; do
  grep -qx -- "$f" <<<"$contents" || fail "$(basename "$deb") lacks $f"
done
if grep -E 'include/|\.a$|cmake/' <<<"$contents"; then fail "development files in the tool package (above)"; fi
dev_contents=$(dpkg-deb -c "$dev" | awk '{print $6}')
# (lib/<multiarch>/ when configured with CMAKE_INSTALL_PREFIX=/usr, as a Debian build is; lib/ otherwise)
for f in '\./usr/include/mobileconfigc/mobileconfigc\.hpp' '\./usr/lib/([a-z0-9_-]+/)?pkgconfig/mobileconfigc\.pc' \
         '\./usr/lib/([a-z0-9_-]+/)?libmobileconfigc\.(a|so)' '\./usr/lib/([a-z0-9_-]+/)?cmake/mobileconfigc/mobileconfigcConfig\.cmake'; do
  grep -qxE -- "$f" <<<"$dev_contents" || fail "$(basename "$dev") lacks $f"
done

depends=$(dpkg-deb -f "$deb" Depends)
for want in libc6 libplist3; do
  grep -q "$want" <<<"$depends" || fail "Depends ($depends) lacks $want: was dpkg-shlibdeps run?"
done

root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
cp /var/lib/dpkg/status "$root/var/lib/dpkg/status"
touch "$root/var/lib/dpkg/available"
force=()
[ "$(id -u)" = 0 ] || force=(--force-not-root --force-script-chrootless)
dpkg --root="$root" "${force[@]}" -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i failed"; }
dpkg --root="$root" -L mobileconfigc | grep -qx /usr/bin/mobileconfigc || fail "dpkg does not list /usr/bin/mobileconfigc"
out=$("$root/usr/bin/mobileconfigc" --version)
[ "$out" = "mobileconfigc $version" ] || fail "--version printed '$out'"
echo "deb.sh: $(basename "$deb") (Depends: $depends) and $(basename "$dev") built; installed into a throwaway root"
