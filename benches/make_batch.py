#!/usr/bin/env python3
"""Write N bundles (default 240) into a folder for measuring `sfbtriage batch`.

Each bundle is one of the samples/ zips with its user renamed, so no two bundles are
byte-identical. Usage:
    python3 benches/make_batch.py /tmp/batch 240
"""
import io
import pathlib
import re
import sys
import zipfile

here = pathlib.Path(__file__).resolve().parent.parent / "samples"
out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/sfbtriage-batch")
count = int(sys.argv[2]) if len(sys.argv) > 2 else 240
out.mkdir(parents=True, exist_ok=True)
samples = sorted(here.glob("*.zip"))


def vary(data: bytes, i: int) -> bytes:
    if data.startswith(b"PK"):
        return rezip(data, i)
    enc = "utf-16" if data.startswith(b"\xff\xfe") else "utf-8"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return data
    text = re.sub(r"sip:([a-z]+)\.", lambda m: f"sip:{m.group(1)}{i}.", text)
    return text.encode(enc)


def rezip(data: bytes, i: int) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, vary(src.read(info), i) if not info.is_dir() else b"")
    return buf.getvalue()


for i in range(count):
    s = samples[i % len(samples)]
    (out / f"ticket-{i:04d}-{s.stem}.zip").write_bytes(rezip(s.read_bytes(), i))
print(f"{count} bundles in {out}")
