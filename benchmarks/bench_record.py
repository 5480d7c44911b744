"""Benchmark: record and replay a cycle of 10,000 centres.

    python benchmarks/bench_record.py            # 10,000 centres of the 2024 guide
    python benchmarks/bench_record.py -n 2000    # fewer

Synthesises seeded, random evidence for both models of the 2024 guide (every value within
its input's declared range), then times:

- scoring every centre once, as ``taqyeem score --format json`` does: validate the
  evidence, score it with the trace on, build the canonical result (``Result.to_dict``)
  and its JSON text (compact canonical JSON, cheaper than the command's indented output;
  replay writes and compares the same text, so leaving it out of scoring would compare
  unlike work — the ratio without it is printed too);
  the engine alone (``score`` of validated evidence) is shown too;
- ``record_cycle`` to a temporary file;
- ``replay`` of that file.

Each phase runs in a fresh process, so its time and its peak memory (VmHWM) are its own.
Times are CPU seconds (``time.process_time``), which other load on a shared machine
disturbs much less than wall-clock time (shown in brackets).

Targets (issue 5): replay within 1.5x the time of scoring the centres once; peak memory
under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from taqyeem_rules import load_guide
from taqyeem_rules.engine import record_cycle, replay, score
from taqyeem_rules.guide.evidence import evidence_from_data
from taqyeem_rules.guide.serialize import canonical_json

TARGET_RATIO = 1.5
TARGET_MEMORY = 1024**3


def synthesise(guide: Any, count: int, seed: int = 2024) -> list[dict[str, Any]]:
    """``count`` centres' evidence as data (numbers as Decimal), both models, seeded: the
    values of ``bench_score.synthesise`` (every input type, the kinds' counts and ratings
    included), with bilingual names, in shuffled order (a record puts them in canonical
    order)."""
    import bench_score

    out = bench_score.synthesise(guide, count, seed)
    for k, d in enumerate(out):
        d["centre"]["name"] = {"en": f"Centre {k}", "ar": f"مركز {k}"}
    random.Random(seed).shuffle(out)
    return out


def _peak_memory() -> int:
    """Peak resident memory of this process, in bytes: VmHWM where Linux has it (it starts
    afresh at exec, unlike ru_maxrss, which a child inherits from its parent), else
    ru_maxrss."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def _mb(n: float) -> str:
    return f"{n / 1024**2:,.0f} MB"


def _warm(guide: Any, data: list[dict[str, Any]]) -> None:
    """Compile both models once, outside the timings."""
    for m in guide.models:
        first = next(d for d in data if d["model"] == m.id)
        score(guide, evidence_from_data(first, guide), trace=True).to_dict()


def phase_score(count: int, seed: int) -> dict[str, Any]:
    """Score every centre once, one after another, as `taqyeem score --format json` does."""
    guide = load_guide("2024")
    data = synthesise(guide, count, seed)
    _warm(guide, data)
    clock = time.process_time
    wall = time.perf_counter()
    validate = engine = canonical = text = 0.0
    for d in data:
        t0 = clock()
        ev = evidence_from_data(d, guide, name=d["centre"]["id"])
        t1 = clock()
        result = score(guide, ev, trace=True)
        t2 = clock()
        out = result.to_dict()
        t3 = clock()
        canonical_json(out)
        t4 = clock()
        validate += t1 - t0
        engine += t2 - t1
        canonical += t3 - t2
        text += t4 - t3
    models = {m.id: sum(1 for d in data if d["model"] == m.id) for m in guide.models}
    return {
        "validate": validate,
        "engine": engine,
        "canonical": canonical,
        "text": text,
        "wall": time.perf_counter() - wall,
        "models": models,
        "memory": _peak_memory(),
    }


def phase_record(count: int, seed: int, path: str) -> dict[str, Any]:
    guide = load_guide("2024")
    data = synthesise(guide, count, seed)
    _warm(guide, data)
    evidences = [evidence_from_data(d, guide, name=d["centre"]["id"]) for d in data]
    del data
    t0, w0 = time.process_time(), time.perf_counter()
    rec = record_cycle(guide, evidences, cycle="Benchmark cycle", path=path)
    return {
        "seconds": time.process_time() - t0,
        "wall": time.perf_counter() - w0,
        "size": rec.size,
        "count": rec.count,
        "memory": _peak_memory(),
    }


def phase_replay(path: str) -> dict[str, Any]:
    t0, w0 = time.process_time(), time.perf_counter()
    report = replay(path)
    return {
        "seconds": time.process_time() - t0,
        "wall": time.perf_counter() - w0,
        "ok": report.ok,
        "centres": len(report.centres),
        "memory": _peak_memory(),
    }


def _child(*argv: str) -> dict[str, Any]:
    """Run one phase in a fresh process (its memory and its time are its own)."""
    child = subprocess.run(
        [sys.executable, __file__, *argv],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ},
    )
    if child.returncode:
        sys.exit(f"the {argv[0]} phase failed:\n{child.stderr}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--centres", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--phase", choices=("score", "record", "replay"), help=argparse.SUPPRESS)
    parser.add_argument("--record", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        if args.phase == "score":
            out = phase_score(args.centres, args.seed)
        elif args.phase == "record":
            out = phase_record(args.centres, args.seed, args.record)
        else:
            out = phase_replay(args.record)
        print(json.dumps(out))
        return

    n, seed = str(args.centres), str(args.seed)
    scored = _child("--phase", "score", "-n", n, "--seed", seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "cycle.json")
        recorded = _child("--phase", "record", "-n", n, "--seed", seed, "--record", path)
        replayed = _child("--phase", "replay", "--record", path)

    t_score = scored["validate"] + scored["engine"] + scored["canonical"] + scored["text"]
    t_data = t_score - scored["text"]
    t_replay = replayed["seconds"]
    ratio = t_replay / t_score
    models = ", ".join(f"{k} {v:,}" for k, v in scored["models"].items())
    print(f"centres: {args.centres:,} ({models}), seed {args.seed}; each phase in a fresh process")
    print("CPU seconds (time.process_time; wall-clock in brackets)")
    print("score once (as `taqyeem score --format json`, one centre after another):")
    print(f"  validate evidence:  {scored['validate']:8.2f} s")
    print(f"  engine, trace on:   {scored['engine']:8.2f} s")
    print(f"  canonical results:  {scored['canonical']:8.2f} s")
    print(f"  JSON text of them:  {scored['text']:8.2f} s  (compact; the command's indented output costs more)")
    print(
        f"  total:              {t_score:8.2f} s  [{scored['wall']:.2f}] "
        f"({t_score / args.centres * 1000:.2f} ms per centre), "
        f"peak memory {_mb(scored['memory'])}"
    )
    print(
        f"record:               {recorded['seconds']:8.2f} s  [{recorded['wall']:.2f}] "
        f"-> {recorded['size'] / 1024**2:,.1f} MB "
        f"for {recorded['count']:,} centres, peak memory {_mb(recorded['memory'])} "
        f"(holding the {recorded['count']:,} validated centres it was given)"
    )
    print(
        f"replay:               {t_replay:8.2f} s  [{replayed['wall']:.2f}] "
        f"ok={replayed['ok']}, {replayed['centres']:,} centres, "
        f"peak memory {_mb(replayed['memory'])}"
    )
    print(
        f"replay / score once:  {ratio:8.2f}x  (target <= {TARGET_RATIO}x: "
        f"{'met' if ratio <= TARGET_RATIO else 'NOT met'})"
    )
    print(
        f"replay / score once without the JSON text: {t_replay / t_data:5.2f}x  (results as data only)"
    )
    print(
        f"replay / engine only: {t_replay / scored['engine']:8.2f}x  (the engine without evidence "
        "validation or the canonical result)"
    )
    peak = max(recorded["memory"], replayed["memory"])
    print(
        f"peak memory (record, replay): {_mb(recorded['memory'])}, {_mb(replayed['memory'])}  "
        f"(target < 1 GB: {'met' if peak < TARGET_MEMORY else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
