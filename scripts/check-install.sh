#!/usr/bin/env bash
# A fresh install resolves and imports with the pip that Python 3.11 ships (23.2.1) and with the current
# pip: each in a throwaway venv under a temporary folder, Marsad alone (no extras), then `import` of the
# command line and of trafilatura (whose justext needs lxml's html-clean part) and the [bench] extra by
# dry run. Fails on the first pip that cannot resolve or install.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/marsad-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
for pip in "pip==23.2.1" "pip"; do
    venv="$work/venv-${pip//[=.]/}"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade "$pip"
    echo "install with $("$venv/bin/python" -m pip --version | cut -d' ' -f1-2)"
    "$venv/bin/python" -m pip install -q --no-cache-dir .
    (cd "$work" && "$venv/bin/python" -c "import marsad.cli, trafilatura, lxml_html_clean")
    "$venv/bin/python" -m pip install -q --dry-run ".[bench]"
done
echo "fresh installs resolve with pip 23.2.1 and the current pip"
