"""Other people's work on the machine, and training: wait for it, watch it, time our own training.

On a 2-core machine a `rasa train` (or the `rasa test` that `make test` runs) next to the benchmark
would slow every figure, so the benchmark waits for a quiet machine before each phase and notes how
busy others kept the CPU during each one. If a training it waited for wrote the model it then serves,
that training's duration (process start to model file written) is our model's training time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.servers import BASE_ENV, RASA, ROOT

OBSERVED_FILE = ROOT / "var" / "bench" / "observed-training.json"


@dataclass
class Training:
    pid: int
    started: float  # Unix time the process started
    cwd: str
    command: str


def _boot_time() -> float:
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    raise RuntimeError("no btime in /proc/stat")


def _rasa_command(argv: list[str], commands: tuple[str, ...]) -> bool:
    """`rasa <command> ...` however it was started (`rasa`, `.venv/bin/rasa`, `python .../rasa`)."""
    return any(Path(a).name == "rasa" and argv[i + 1 : i + 2] in ([c] for c in commands) for i, a in enumerate(argv))


def is_rasa_train(argv: list[str]) -> bool:
    return _rasa_command(argv, ("train",))


def is_heavy_rasa(argv: list[str]) -> bool:
    """Rasa work that keeps a core busy for minutes: training, and `rasa test` (which `make test` runs)."""
    return _rasa_command(argv, ("train", "test"))


def rasa_processes(kind: Callable[[list[str]], bool] = is_rasa_train) -> list[Training]:
    """Rasa processes of one kind on this machine (what `pgrep -f "rasa train"` finds, minus shells that
    merely mention the words)."""
    found = []
    ticks = os.sysconf("SC_CLK_TCK")
    boot = _boot_time()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
            if not kind(argv):
                continue
            start_ticks = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[19])
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        found.append(Training(int(entry.name), boot + start_ticks / ticks, cwd, " ".join(argv)))
    return found


def others_heavy_work() -> list[Training]:
    """`rasa train` and `rasa test` not started by the benchmark (its own run in, or write to, var/bench)."""
    bench = str(ROOT / "var" / "bench")
    return [t for t in rasa_processes(is_heavy_rasa) if not t.cwd.startswith(bench) and bench not in t.command]


def _cpu_ticks() -> dict[int, tuple[int, int, str]]:
    """{pid: (parent pid, user + system CPU ticks so far, command name)} for every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            found[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), name)
    return found


def _descendants(root: int, parents: dict[int, int]) -> set[int]:
    found = {root}
    changed = True
    while changed:
        new = {pid for pid, parent in parents.items() if parent in found and pid not in found}
        found |= new
        changed = bool(new)
    return found


def others_cpu_by_name(before: dict, after: dict, seconds: float) -> dict[str, float]:
    """Cores used by processes that are not the benchmark or its children between two snapshots, by name."""
    ours = _descendants(os.getpid(), {pid: v[0] for pid, v in after.items()})
    used: dict[str, float] = {}
    for pid, (_, ticks, name) in after.items():
        if pid not in ours:
            delta = ticks - before.get(pid, (0, 0, ""))[1]
            if delta > 0:
                used[name] = used.get(name, 0.0) + delta / os.sysconf("SC_CLK_TCK") / seconds
    return used


def others_cpu_between(before: dict, after: dict, seconds: float) -> float:
    return sum(others_cpu_by_name(before, after, seconds).values())


def others_cpu(seconds: float = 3.0) -> float:
    before = _cpu_ticks()
    time.sleep(seconds)
    return others_cpu_between(before, _cpu_ticks(), seconds)


class Watch(threading.Thread):
    """Notes every few seconds how much CPU other people's processes use, and which of their `rasa train`
    or `rasa test` run, by phase of the benchmark: so any overlap is reported next to the figures."""

    def __init__(self, interval: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.phase = "start"
        self.heavy: dict[str, set[str]] = {}
        self.cpu: dict[str, list[float]] = {}
        self.by_name: dict[str, dict[str, float]] = {}
        self.seen: dict[int, dict] = {}
        self._stopped = threading.Event()

    def run(self) -> None:
        before, when = _cpu_ticks(), time.monotonic()
        while not self._stopped.wait(self.interval):
            phase = self.phase
            after, now = _cpu_ticks(), time.monotonic()
            used = others_cpu_by_name(before, after, now - when)
            self.cpu.setdefault(phase, []).append(sum(used.values()))
            names = self.by_name.setdefault(phase, {})
            for name, cores in used.items():
                names[name] = names.get(name, 0.0) + cores
            before, when = after, now
            for t in others_heavy_work():
                self.heavy.setdefault(phase, set()).add(" ".join(t.command.split()[1:4]))
                self.seen.setdefault(t.pid, asdict(t))

    def stop(self) -> None:
        self._stopped.set()

    def trainings(self) -> list[dict]:
        return list(self.seen.values())

    def summary(self) -> dict[str, dict]:
        phases = set(self.cpu) | set(self.heavy)
        return {
            phase: {
                "others_cpu_cores_mean": round(sum(self.cpu.get(phase, [0])) / max(len(self.cpu.get(phase, [])), 1), 2),
                "others_cpu_cores_max": round(max(self.cpu.get(phase, [0])), 2),
                "others_rasa": sorted(self.heavy.get(phase, [])),
                "busiest": [
                    name
                    for name, _ in sorted(self.by_name.get(phase, {}).items(), key=lambda kv: kv[1], reverse=True)[:3]
                ],
            }
            for phase in sorted(phases)
        }


def wait_until_quiet(
    max_seconds: float, poll_seconds: float = 30.0, busy_cores: float = 0.3, say: Callable[[str], None] = print
) -> dict:
    """Wait until nobody else runs `rasa train`/`rasa test` and others use under `busy_cores` of CPU
    (or give up after max_seconds). Returns what was seen, for the report."""
    start = time.time()
    seen: dict[int, Training] = {}
    while True:
        running = others_heavy_work()
        for t in running:
            seen.setdefault(t.pid, t)
        cpu = others_cpu() if not running else None
        if not running and cpu is not None and cpu < busy_cores:
            break
        waited = time.time() - start
        if waited >= max_seconds:
            say(f"the machine is still busy after {waited / 60:.0f} min; measuring anyway (figures will be slower)")
            break
        what = f"{len(running)} `rasa train`/`rasa test`" if running else f"other processes using {cpu:.1f} cores"
        say(f"waiting for {what} to finish ({waited:.0f}s so far)")
        time.sleep(poll_seconds)
    return {
        "waited_seconds": round(time.time() - start, 1),
        "still_busy": time.time() - start >= max_seconds,
        "seen": [asdict(t) for t in seen.values()],
    }


def _history() -> list[dict]:
    try:
        data = json.loads(OBSERVED_FILE.read_text())
    except (OSError, ValueError):
        return []
    return data.get("trainings", []) if isinstance(data, dict) else []


def record_observed(seen: list[dict], model: Path) -> None:
    """Add to var/bench's history the duration of a training we saw write `model` (our models/ folder)."""
    if not model.exists():
        return
    written = model.stat().st_mtime
    # The latest training that started before the file was written is the one that wrote it.
    for t in sorted(seen, key=lambda t: t["started"], reverse=True):
        if (
            is_rasa_train(t["command"].split())
            and Path(t["cwd"]) == ROOT
            and "--out models" in t["command"]
            and t["started"] < written
        ):
            history = [h for h in _history() if abs(h.get("started", 0) - t["started"]) > 1]
            history.append(
                {
                    "model": str(model),
                    "model_mtime": written,
                    "model_size": model.stat().st_size,
                    "started": t["started"],
                    "seconds": round(written - t["started"], 1),
                    "command": t["command"],
                }
            )
            OBSERVED_FILE.parent.mkdir(parents=True, exist_ok=True)
            OBSERVED_FILE.write_text(json.dumps({"trainings": history}, indent=2))
            return


def observed_for(model: Path) -> tuple[dict | None, list[dict]]:
    """The observed training of exactly this model file (same size and time written), if we saw it, and
    every training of our model seen so far (for when this one was not)."""
    stat = model.stat()
    history = _history()
    for h in history:
        if h.get("model_size") == stat.st_size and abs(h.get("model_mtime", 0) - stat.st_mtime) < 1:
            return h, history
    return None, history


def timed_train(cwd: Path, args: list[str], cache_dir: Path, log: Path) -> float:
    """Seconds for one `rasa train` with an empty cache (Rasa would otherwise reuse trained parts)."""
    shutil.rmtree(cache_dir, ignore_errors=True)
    cache_dir.mkdir(parents=True)
    env = {**os.environ, **BASE_ENV, "RASA_CACHE_DIRECTORY": str(cache_dir)}
    start = time.monotonic()
    with log.open("w") as out:
        done = subprocess.run([str(RASA), "train", *args], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        raise RuntimeError(f"rasa train failed in {cwd} (exit {done.returncode}); see {log}")
    return seconds
