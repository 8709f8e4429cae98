#!/usr/bin/env bash
# The software behind the warehouse-engine tests (tests/test_warehouse_engines.py): Debian's
# Postgres and OpenJDK 17, and a full pyspark (its jars run a local Spark Connect server) in
# .venv-spark, apart from genbi's own .venv, which holds only the thin Spark Connect client.
# The tests start and stop the servers themselves (tests/servers.py).
# Without root it only says what to run; the engine tests then skip locally (not in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

SPARK_VERSION="${GENBI_SPARK_VERSION:-4.3.0}"
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "install-servers: to run the engine tests: sudo apt-get install -y ${missing[*]}" >&2
    else
        echo "install-servers: installing ${missing[*]} ..." >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
fi

if ! ls .venv-spark/lib/python3*/site-packages/pyspark/jars >/dev/null 2>&1; then
    echo "install-servers: installing pyspark $SPARK_VERSION into .venv-spark (about 500 MB) ..." >&2
    python3 -m venv .venv-spark
    .venv-spark/bin/python -m pip install --quiet --disable-pip-version-check uv
    .venv-spark/bin/uv pip install --quiet --python .venv-spark/bin/python "pyspark==$SPARK_VERSION"
fi
