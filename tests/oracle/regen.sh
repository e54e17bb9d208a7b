#!/bin/sh
# Regenerates the oracle dataset (data/*.csv) and the expected documents
# (expected/*.json, expected_investment/*.json). Deterministic: a second run changes nothing.
#   needs: python3 (3.11+), pip install duckdb pyarrow
set -eu
cd "$(dirname "$0")"
python3 -c 'import duckdb, pyarrow' 2>/dev/null || {
    echo "regen.sh: needs the Python packages duckdb and pyarrow (pip install duckdb pyarrow)" >&2
    exit 1
}
python3 generate.py
python3 expected.py
python3 crosscheck.py
