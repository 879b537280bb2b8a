"""Run a program (here `rasa`) with cProfile off until SIGUSR1 and written out at SIGUSR2.

    python -m bench.profiled OUT.prof /path/to/.venv/bin/rasa run ...

Profiling only between the two signals leaves start-up (imports, model loading, TensorFlow graph
building) out of the figures, so what is left is the turns the benchmark sent meanwhile.
"""

from __future__ import annotations

import cProfile
import runpy
import signal
import sys


def main() -> None:
    out, program, *args = sys.argv[1:]
    profiler = cProfile.Profile()

    def start(_signum: int, _frame: object) -> None:
        profiler.enable()

    def finish(_signum: int, _frame: object) -> None:
        profiler.disable()
        profiler.dump_stats(out)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, finish)
    sys.argv = [program, *args]
    runpy.run_path(program, run_name="__main__")


if __name__ == "__main__":
    main()
