"""NLU alone: load one model with Rasa's Agent in this process and time `agent.parse_message`.

Run as a child process per model (`python -m bench.nlu MODEL OUT.json --repeats N`), so the two
models never share a TensorFlow runtime or memory. Writes load time, parse latencies and peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


async def _measure(model: str, texts: list[str], repeats: int) -> dict:
    from rasa.core.agent import Agent

    from bench.servers import memory_mb
    from bench.stats import summarise_ms

    start = time.perf_counter()
    agent = Agent.load(model)
    load_seconds = time.perf_counter() - start
    for text in texts:  # the first parse of each text builds TensorFlow graphs: not timed
        await agent.parse_message(text)
    seconds = []
    for _ in range(repeats):
        for text in texts:
            t = time.perf_counter()
            await agent.parse_message(text)
            seconds.append(time.perf_counter() - t)
    return {
        "model": model,
        "load_seconds": round(load_seconds, 2),
        "texts": len(texts),
        "repeats": repeats,
        "parse_ms": summarise_ms(seconds),
        "memory": memory_mb(os.getpid()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model")
    parser.add_argument("out")
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)
    from bench.parents import parse_texts

    result = asyncio.run(_measure(args.model, parse_texts(), args.repeats))
    Path(args.out).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
