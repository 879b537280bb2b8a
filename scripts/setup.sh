#!/usr/bin/env bash
# Create .venv with Python 3.10 and install the pinned dependencies, only when something changed.
source "$(dirname "$0")/common.sh"

is_python310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }

find_python310() {
  # 1. an explicit choice; 2. python3.10 on PATH that really is 3.10; 3. any 3.10 installed with pyenv.
  if [ -n "${PYTHON310:-}" ] && is_python310 "$PYTHON310"; then echo "$PYTHON310"; return 0; fi
  if command -v python3.10 >/dev/null 2>&1 && is_python310 python3.10; then command -v python3.10; return 0; fi
  if command -v pyenv >/dev/null 2>&1; then
    local version candidate
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -t. -k3 -n -r); do
      candidate="$(pyenv prefix "$version" 2>/dev/null)/bin/python3.10"
      if is_python310 "$candidate"; then echo "$candidate"; return 0; fi
    done
  fi
  return 1
}

if [ -x "$PY" ] && is_python310 "$PY"; then
  :
else
  say "Looking for Python 3.10 (Rasa 3.6 does not run on 3.11 or newer)"
  PYTHON=$(find_python310) || fail "Python 3.10 was not found.
Install it, then run this again. For example:
  - with pyenv:   pyenv install 3.10.13
  - on Debian/Ubuntu: apt-get install python3.10 python3.10-venv
Or point PYTHON310 at a Python 3.10 interpreter: PYTHON310=/path/to/python3.10 make run"
  say "Creating .venv with $PYTHON"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" || fail "could not create a virtual environment with $PYTHON (on Debian, install python3.10-venv)"
fi

lock_hash=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat "$VENV/.lock-hash" 2>/dev/null)" != "$lock_hash" ]; then
  say "Installing pinned dependencies (first time: a few minutes)"
  "$PY" -m pip install --quiet --disable-pip-version-check "pip==24.2" \
    || fail "could not install pip; check your network connection to the package index"
  "$PY" -m pip install --quiet --disable-pip-version-check -r requirements.lock \
    || fail "installing requirements.lock failed (see the messages above). Check your connection, then run again."
  echo "$lock_hash" > "$VENV/.lock-hash"
fi
"$PY" -c 'import rasa, rasa_sdk, sqlalchemy, dotenv' || fail "the environment is incomplete: delete .venv and run again"
say "Environment ready: $("$PY" --version), Rasa $("$PY" -c 'import rasa; print(rasa.__version__)')"
