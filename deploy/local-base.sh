#!/usr/bin/env bash
# A local stand-in for python:3.10-slim, for building deploy/Dockerfile on a machine that reaches Debian's
# mirror and PyPI but no container registry (docs/deploy.md#building-the-image-without-a-registry).
#
#   sudo deploy/local-base.sh             # once; again after requirements.lock changes (wheels only)
#   sudo deploy/local-base.sh --rebuild   # a fresh Debian root filesystem as well
#
# It makes two things, neither of them committed:
# 1. The image localhost/send-assistant-base:3.10-bookworm: a Debian 12 root filesystem from debootstrap
#    (minbase, plus the libraries Python needs), with the Python 3.10 that .venv is made from copied into
#    /usr/local (Debian 12 has no Python 3.10, and Rasa 3.6 needs 3.8-3.10), pip from ensurepip, and an
#    /etc/pip.conf that installs from /wheels only. Imported with `podman import`.
# 2. var/image/wheels/: every package of requirements.lock as a wheel, fetched here with .venv's pip. The
#    build mounts it at /wheels, so the image's `pip install -r requirements.lock` needs no network.
# Then build with `podman build --from localhost/send-assistant-base:3.10-bookworm` (tests/test_image.py
# does). The Dockerfile itself is unchanged: with a registry, it starts from python:3.10-slim.
set -euo pipefail
cd "$(dirname "$0")/.."

TAG="${BASE_IMAGE_TAG:-localhost/send-assistant-base:3.10-bookworm}"
PYTHON="${PYTHON:-.venv/bin/python}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
WHEELS="var/image/wheels"
LABEL="org.send-assistant.base-script"
# Python's shared libraries (ssl, sqlite3, ctypes, lzma, bz2, readline, uuid, ...), certificates, time zones.
PACKAGES="ca-certificates,libbz2-1.0,libexpat1,libffi8,liblzma5,libncursesw6,libnsl2,libreadline8,libsqlite3-0,libssl3,libuuid1,netbase,tzdata,zlib1g"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

rebuild=0
[ "${1:-}" = "--rebuild" ] && rebuild=1

# -- the wheels ------------------------------------------------------------------------------------------
lock_sum="$(sha256sum requirements.lock | cut -d' ' -f1)"
if [ "$(cat "$WHEELS/.requirements.sha256" 2>/dev/null)" != "$lock_sum" ]; then
  say "Fetching the wheels of requirements.lock into $WHEELS (about 1 GB the first time)"
  [ -x "$PYTHON" ] || fail "$PYTHON is missing: run scripts/setup.sh first"
  mkdir -p "$WHEELS"
  # The pip the Dockerfile installs first, then the lock.
  "$PYTHON" -m pip wheel --quiet --wheel-dir "$WHEELS" "pip==24.2" -r requirements.lock \
    || fail "pip could not fetch every wheel of requirements.lock"
  echo "$lock_sum" > "$WHEELS/.requirements.sha256"
fi

# -- the base image --------------------------------------------------------------------------------------
script_sum="$(sha256sum "$0" | cut -d' ' -f1)"
if [ "$rebuild" = 0 ] && podman image exists "$TAG" \
  && [ "$(podman image inspect --format "{{index .Config.Labels \"$LABEL\"}}" "$TAG")" = "$script_sum" ]; then
  say "$TAG is up to date"
  exit 0
fi

[ "$(id -u)" = 0 ] || fail "run as root: debootstrap and chroot need it"
command -v podman >/dev/null || fail "podman is missing: apt-get install -y podman"
command -v debootstrap >/dev/null || fail "debootstrap is missing: apt-get install -y debootstrap"
prefix="$("$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 10), sys.version; print(sys.base_prefix)')" \
  || fail "$PYTHON is not Python 3.10"
[ -x "$prefix/bin/python3.10" ] && [ -f "$prefix/lib/python3.10/os.py" ] \
  || fail "$prefix does not look like a Python 3.10 installation (bin/python3.10, lib/python3.10)"

rootfs="$(mktemp -d /var/tmp/send-assistant-base.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
say "Debian 12 root filesystem (debootstrap, about a minute)"
debootstrap --variant=minbase --include="$PACKAGES" bookworm "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 \
  || { tail -20 "$rootfs.log" >&2; fail "debootstrap failed (whole log: $rootfs.log)"; }
rm -f "$rootfs.log"

say "Python $("$prefix/bin/python3.10" -c 'import platform; print(platform.python_version())') from $prefix into /usr/local"
# The interpreter and its standard library, not its site-packages (pip comes from ensurepip below) nor
# its tests and build files.
tar -C "$prefix" -cf - --exclude=__pycache__ --exclude=lib/python3.10/site-packages \
  --exclude=lib/python3.10/test --exclude='lib/python3.10/config-3.10-*' \
  bin/python3.10 lib/python3.10 $(cd "$prefix" && ls lib/libpython3*.so* 2>/dev/null) \
  | tar -C "$rootfs/usr/local" -xf -
mkdir -p "$rootfs/usr/local/lib/python3.10/site-packages"
ln -sf python3.10 "$rootfs/usr/local/bin/python3"
ln -sf python3 "$rootfs/usr/local/bin/python"
chroot "$rootfs" /sbin/ldconfig
in_root() { chroot "$rootfs" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root "$@"; }
in_root python3 -c 'import ctypes, bz2, lzma, readline, sqlite3, ssl, uuid, zlib' \
  || fail "the copied Python misses a library: add its Debian package to PACKAGES"
in_root python3 -m ensurepip --default-pip >/dev/null 2>&1 || fail "ensurepip failed"
printf '# Local builds only (deploy/local-base.sh): packages come from the wheels mounted at /wheels.\n[global]\nno-index = true\nfind-links = /wheels\n' \
  > "$rootfs/etc/pip.conf"

# Nothing of this machine's: no package lists or downloads, no resolver or host name.
find "$rootfs/usr/local" -name __pycache__ -prune -exec rm -rf {} +
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/*
: > "$rootfs/etc/resolv.conf"
echo localhost > "$rootfs/etc/hostname"

say "Importing $TAG"
tar -C "$rootfs" --numeric-owner -cf - . | podman import \
  --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change "LABEL $LABEL=$script_sum" \
  --change 'CMD ["python3"]' \
  --quiet - "$TAG" >/dev/null
say "Done: podman build --from $TAG -v \$PWD/$WHEELS:/wheels:ro -f deploy/Dockerfile ."
