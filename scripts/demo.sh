#!/usr/bin/env bash
# The README's main job: install Marsad into .venv, ingest the bundled demo corpus into the database every
# marsad command reads (marsad.db in the user's data folder; a database holding more than the demo is kept
# unless --force) and serve the reader on http://127.0.0.1:8000. Options go to `marsad demo` (--port, --db).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e .
exec .venv/bin/marsad demo "$@"
