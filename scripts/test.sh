#!/usr/bin/env bash
# The README's test command: install Marsad with its test tools into .venv (and Debian's chromium for the
# browser tests, and its postgresql for the PostgreSQL pass), check lint and format, types (mypy) and the
# import contract (lint-imports), and run the whole test suite, with a throwaway PostgreSQL server on
# loopback (scripts/pg-test-server.sh) whose URL is MARSAD_TEST_PG, stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Naskh Arabic\|Noto Sans Arabic"; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq chromium fonts-noto-core >/dev/null
    else
        echo "chromium or an Arabic font is missing: apt-get install chromium fonts-noto-core" >&2
    fi
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq postgresql >/dev/null
    else
        echo "postgresql is missing: apt-get install postgresql" >&2
    fi
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e ".[test,bench]"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports

if [ -z "${MARSAD_TEST_PG:-}" ]; then
    pg_dir=$(mktemp -d /tmp/marsad-pg.XXXXXX)
    chmod 755 "$pg_dir"
    trap 'bash scripts/pg-test-server.sh stop "$pg_dir/server"; rmdir "$pg_dir"' EXIT
    MARSAD_TEST_PG=$(bash scripts/pg-test-server.sh start "$pg_dir/server")
    export MARSAD_TEST_PG
fi

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
    exit 1
fi
exit "$status"
