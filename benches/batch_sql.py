#!/usr/bin/env python3
"""Run docs/batch-queries.sql with DuckDB's Python package over the batch JSONL files in a folder.

    pip install duckdb
    python3 benches/batch_sql.py OUT_DIR

Prints every result table in full. Optional: not part of `cargo test`.
"""
import os
import pathlib
import re
import sys

import duckdb

sql = (pathlib.Path(__file__).resolve().parent.parent / "docs" / "batch-queries.sql").read_text()
os.chdir(sys.argv[1] if len(sys.argv) > 1 else ".")
con = duckdb.connect()
# Statements end with `;` at the end of a line; comment lines are dropped first.
text = "\n".join(l for l in sql.splitlines() if not l.lstrip().startswith("--"))
for statement in re.split(r";\s*\n", text):
    if statement.lstrip().upper().startswith(("SELECT", "WITH")):
        con.sql(statement).show(max_rows=1000, max_width=200)
    elif statement.strip():
        con.execute(statement)
