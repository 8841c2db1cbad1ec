#!/usr/bin/env bash
# The README's main job: install Marsad into .venv, ingest the bundled demo corpus into a fresh SQLite
# database and serve the reader on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e .
exec .venv/bin/marsad demo "$@"
