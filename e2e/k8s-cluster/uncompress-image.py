#!/usr/bin/env python3
"""Merge docker-archive image tarballs (Jib's jib:buildTar) into one with uncompressed layers.

  uncompress-image.py OUT.tar IN.tar...

`ctr images import` then only copies and untars each layer inside the emulated VM instead of
gunzipping it twice (import and unpack), which is most of the import time there; layers the
images share (the JRE base) are stored and imported once.
"""
import gzip, hashlib, io, json, sys, tarfile

out, sources = sys.argv[1], sys.argv[2:]
manifest, blobs = [], {}

def digest_name(data, suffix):
    return hashlib.sha256(data).hexdigest() + suffix

for src in sources:
    with tarfile.open(src) as t:
        members = {m.name: m for m in t.getmembers()}
        entries = json.load(t.extractfile("manifest.json"))
        for entry in entries:
            layers = []
            for name in entry["Layers"]:
                data = t.extractfile(members[name]).read()
                if data[:2] == b"\x1f\x8b":
                    data = gzip.decompress(data)
                layers.append(digest_name(data, "/layer.tar")); blobs[layers[-1]] = data
            config = t.extractfile(members[entry["Config"]]).read()
            # Jib names every config "config.json": name it by digest so images can share a tarball
            entry["Config"] = digest_name(config, ".json"); blobs[entry["Config"]] = config
            entry["Layers"] = layers
        manifest += entries

def add(tar, name, data):
    ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o644; ti.mtime = 1600000000
    tar.addfile(ti, io.BytesIO(data))

with tarfile.open(out, "w") as o:
    for name, data in blobs.items():
        add(o, name, data)
    add(o, "manifest.json", json.dumps(manifest).encode())
print(out, [e["RepoTags"] for e in manifest], sum(len(d) for d in blobs.values()), "bytes")
