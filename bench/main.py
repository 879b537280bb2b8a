"""`python -m bench` (or `make bench`): our assistant against a stock `rasa init` bot, same run, same machine.

    python -m bench                 full run; writes bench/results/<time>.json, latest.json and the
                                    generated part of docs/benchmarks.md
    python -m bench --quick         a smoke run with few messages (JSON only; the doc is left alone)
    python -m bench --profile       also profile a few long conversations per setup (cProfile)
    python -m bench --train-ours    also time a training of our model (into var/bench, never models/)
    python -m bench --report FILE   rebuild the doc's generated part from a results JSON

Everything it makes lives in var/bench/ (the stock bot, logs, our test database, profiles): it never
touches var/send.db, var/tracker.db, var/webchat_secret or models/, except that it runs
scripts/train.sh when models/ has no model at all. Before each phase it waits for a quiet machine (no
`rasa train` or `rasa test` of anyone else's, other processes under 0.3 cores), because other work on the
same 2 cores would slow every figure, and it reports any phase that ran next to such work.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import yaml

from bench import parents, report, training
from bench.parents import TurnResult
from bench.profile import focus_rows, top_own_time
from bench.servers import BASE_ENV, ROOT, Running, Setup, errors_in_log, memory_mb, start, stop, wait_ready
from bench.stats import median_by_position, summarise_ms

BENCH_DIR = ROOT / "var" / "bench"
RESULTS_DIR = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
LEVELS = (1, 10, 50)
LONG_TURNS = 50
# Conversations each simulated parent holds, per level: about 100, 300 and 1,000 turns in a full run.
FULL = {"per_parent": {1: 20, 10: 6, 50: 4}, "long_repeats": 3, "nlu_repeats": 10, "profile_conversations": 2}
QUICK = {"per_parent": {1: 2, 10: 1, 50: 1}, "long_repeats": 1, "nlu_repeats": 2, "profile_conversations": 1}
# Far above what 50 parents sending without pause need: the bench measures the assistant, not the limiter.
GENEROUS_RATE = "100000/minute"


def say(text: str) -> None:
    print(f"\033[1m==> {text}\033[0m", flush=True)


# -- the machine ------------------------------------------------------------------------------------


def machine_info() -> dict:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    cores = os.cpu_count() or 0
    info = {
        "cpu": cpu,
        "cores": cores,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "rasa": version("rasa"),
        "rasa_sdk": version("rasa-sdk"),
    }
    info["summary"] = f"{cpu}, {cores} cores, {info['memory_gb']} GB RAM, Python {info['python']}, Rasa {info['rasa']}"
    return info


def loadavg() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


class Quiet:
    """Before each phase, wait for a quiet machine (within one budget for the whole run), and tell the
    watcher which phase runs, so any overlap with other people's work is reported next to the figures."""

    def __init__(self, enabled: bool, budget_seconds: float, watch: training.Watch) -> None:
        self.enabled, self.budget, self.watch = enabled, budget_seconds, watch
        self.waits: list[dict] = []

    def __call__(self, phase: str) -> None:
        if self.enabled and self.budget > 0:
            self.watch.phase = f"waiting before {phase}"
            waited = training.wait_until_quiet(max_seconds=self.budget, say=say)
            self.budget -= waited["waited_seconds"]
            if waited["seen"] or waited["waited_seconds"] > 5:
                self.waits.append({"before": phase, **waited})
        self.watch.phase = phase


# -- the two setups ---------------------------------------------------------------------------------


def newest_model(folder: Path) -> Path | None:
    models = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def _mtime(path: Path) -> str:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


# Rasa 3.6.21's default pipeline and policies for English (what `rasa init` trains when its config
# leaves them out), written out only to add a seed: unseeded, the stock dialogue model answered about
# half the messages with nothing in one run, which made its latencies look better than they were.
STOCK_SEED = 2026
STOCK_CONFIG = f"""# Written by bench/main.py: Rasa's default pipeline and policies, seeded (docs/benchmarks.md).
recipe: default.v1
language: en
assistant_id: stock-bot
pipeline:
  - name: WhitespaceTokenizer
  - name: RegexFeaturizer
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 100
    constrain_similarities: true
    random_seed: {STOCK_SEED}
  - name: EntitySynonymMapper
  - name: ResponseSelector
    epochs: 100
    constrain_similarities: true
    random_seed: {STOCK_SEED}
  - name: FallbackClassifier
    threshold: 0.3
    ambiguity_threshold: 0.1
policies:
  - name: MemoizationPolicy
  - name: RulePolicy
  - name: UnexpecTEDIntentPolicy
    max_history: 5
    epochs: 100
    random_seed: {STOCK_SEED}
  - name: TEDPolicy
    max_history: 5
    epochs: 100
    constrain_similarities: true
    random_seed: {STOCK_SEED}
"""


def seed_stock_config(path: Path) -> None:
    path.write_text(STOCK_CONFIG)


# Rasa's documented fallback recipe, so the stock bot answers every message: `utter_default` is what
# Rasa's default fallback action says (the stock domain has none, so it said nothing), and the rule is the
# docs' "ask the user to rephrase" for a message the NLU was unsure of.
STOCK_FALLBACK_TEXT = "Sorry, I didn't get that. Could you say it another way?"
STOCK_FALLBACK_RULE = {
    "rule": "Ask to rephrase whenever the NLU is unsure (added by bench/main.py)",
    "steps": [{"intent": "nlu_fallback"}, {"action": "utter_default"}],
}


def add_stock_fallback(folder: Path) -> None:
    domain_file, rules_file = folder / "domain.yml", folder / "data" / "rules.yml"
    domain = yaml.safe_load(domain_file.read_text())
    domain.setdefault("responses", {})["utter_default"] = [{"text": STOCK_FALLBACK_TEXT}]
    domain_file.write_text(yaml.safe_dump(domain, sort_keys=False))
    rules = yaml.safe_load(rules_file.read_text())
    rules.setdefault("rules", []).append(STOCK_FALLBACK_RULE)
    rules_file.write_text(yaml.safe_dump(rules, sort_keys=False))


def prepare_baseline(reuse: bool) -> tuple[Setup, dict]:
    """The stock bot from `rasa init --no-prompt`, trained again with a timed, cache-free `rasa train`."""
    folder = BENCH_DIR / "baseline"
    model = newest_model(folder / "models") if reuse and folder.exists() else None
    info: dict = {"how": "reused from an earlier run (not timed)", "seconds": None, "init_seconds": None}
    if model is None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        say("Creating the stock bot: rasa init --no-prompt (it trains once too)")
        env = {**os.environ, **BASE_ENV, "RASA_CACHE_DIRECTORY": str(BENCH_DIR / "cache" / "baseline-init")}
        t = time.monotonic()
        log = BENCH_DIR / "logs" / "baseline-init.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w") as out:
            done = subprocess.run(
                [str(training.RASA), "init", "--no-prompt", "--init-dir", "."],
                cwd=folder,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        if done.returncode != 0:
            raise RuntimeError(f"rasa init failed; see {log}")
        init_seconds = time.monotonic() - t
        shutil.rmtree(folder / "models")
        seed_stock_config(folder / "config.yml")
        add_stock_fallback(folder)
        say("Training the stock bot again, timed: rasa train (empty cache)")
        seconds = training.timed_train(
            folder, [], BENCH_DIR / "cache" / "baseline", BENCH_DIR / "logs" / "baseline-train.log"
        )
        model = newest_model(folder / "models")
        info = {
            "how": "`rasa train` in the `rasa init` folder with an empty cache, timed by the benchmark",
            "seconds": round(seconds, 1),
            "init_seconds": round(init_seconds, 1),
        }
    # Stock, except that its action server is switched on (on its own port), so both setups run two
    # processes and both Rasa servers know an action endpoint. The stock bot has no custom actions.
    (folder / "endpoints.yml").write_text(
        "# Written by bench/main.py: the stock file with only the action endpoint switched on.\n"
        'action_endpoint:\n  url: "http://127.0.0.1:5255/webhook"\n'
    )
    setup = Setup(
        name="baseline",
        kind="rest",
        cwd=folder,
        model=model,
        endpoints=folder / "endpoints.yml",
        credentials=folder / "credentials.yml",
        rasa_port=5205,
        actions_port=5255,
    )
    return setup, info


def prepare_ours(train_ours: bool, seen_trainings: list[dict]) -> tuple[Setup, dict]:
    """Our newest model (trained by scripts/train.sh only when there is none), on a fresh test database."""
    model = newest_model(ROOT / "models")
    info: dict = {"how": "not measured in this run (use --train-ours)", "seconds": None}
    if model is None:
        say("No model in models/: running scripts/train.sh")
        t = time.monotonic()
        subprocess.run(["bash", "scripts/train.sh"], cwd=ROOT, check=True)
        info = {"how": "scripts/train.sh, run by the benchmark (no model existed)", "seconds": None}
        info["seconds"] = round(time.monotonic() - t, 1)
        model = newest_model(ROOT / "models")
        if model is None:
            raise RuntimeError("scripts/train.sh wrote no model into models/")
    else:
        training.record_observed(seen_trainings, model)
        observed, history = training.observed_for(model)
        if observed:
            info = {
                "how": "the training that wrote this model, watched by the benchmark (process start to "
                "model written; Rasa's cache may have skipped unchanged parts)",
                "seconds": observed["seconds"],
            }
        elif history:
            seconds = [h["seconds"] for h in history]
            info = {
                "how": f"not seen for this model; the {len(seconds)} earlier trainings of our model the benchmark "
                f"watched took {min(seconds):.0f}-{max(seconds):.0f}s (the latest is shown)",
                "seconds": history[-1]["seconds"],
            }
    if train_ours:
        say("Timing a training of our model (into var/bench/ours-train, empty cache): a few minutes")
        out = BENCH_DIR / "ours-train"
        shutil.rmtree(out, ignore_errors=True)
        args = ["--config", "config.yml", "--domain", "domain.yml", "--data", "data", "--out", str(out)]
        seconds = training.timed_train(
            ROOT, [*args, "--force"], BENCH_DIR / "cache" / "ours", BENCH_DIR / "logs" / "ours-train.log"
        )
        info = {
            "how": "`rasa train --force` with an empty cache, timed by the benchmark",
            "seconds": round(seconds, 1),
        }

    folder = BENCH_DIR / "ours"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # A copy: another engineer's training may rewrite models/ during the run, and every phase (NLU,
    # servers, profile) must use the same model.
    info["source"] = {"path": str(model.relative_to(ROOT)), "written": _mtime(model)}
    model = Path(shutil.copy2(model, folder / "model.tar.gz"))
    # endpoints.yml as it is, pointed at the benchmark's action server port.
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = "http://127.0.0.1:5155/webhook"
    (folder / "endpoints.yml").write_text(yaml.safe_dump(endpoints, sort_keys=False))
    setup = Setup(
        name="ours",
        kind="webchat",
        cwd=ROOT,
        model=model,
        endpoints=folder / "endpoints.yml",
        credentials=ROOT / "credentials.yml",
        rasa_port=5105,
        actions_port=5155,
        env={
            # One SQLite file for the knowledge index and conversations, away from var/send.db.
            "DATABASE_URL": f"sqlite:///{folder / 'send.db'}",
            "WEBCHAT_SECRET": secrets.token_hex(32),
            "WEBCHAT_RATE_PER_CONVERSATION": GENEROUS_RATE,
            "WEBCHAT_RATE_PER_ADDRESS": GENEROUS_RATE,
            "REDIS_URL": "",  # in-memory lock store, as `make run`, even if .env names a Redis
        },
    )
    return setup, info


# -- measuring --------------------------------------------------------------------------------------


def level_summary(results: list[TurnResult], wall: float, concurrency: int) -> dict:
    turns = [r for r in results if r.turn > 0]
    failed = [r for r in results if not r.ok]
    errors = {
        "total": len(failed),
        "http": sum(1 for r in failed if r.status not in (None, 200)),
        "no_answer": sum(1 for r in failed if r.status is None),
        "empty": sum(1 for r in failed if r.status == 200 and r.replies == 0 and not r.error),
        "apology": sum(1 for r in failed if r.apology),
    }
    return {
        "concurrency": concurrency,
        "conversations": len({r.conversation for r in results}),
        "turns": len(turns),
        "wall_seconds": round(wall, 2),
        "messages_per_second": round(len(turns) / wall, 2) if wall else None,
        "latency_ms": summarise_ms([r.seconds for r in turns]),
        "errors": errors,
        "click_missing": sum(1 for r in turns if r.click_missing),
        "click_missing_after": _missing_after(results),
        "error_samples": sorted({r.error or f"HTTP {r.status}, {r.replies} replies" for r in failed})[:5],
    }


def _missing_after(results: list[TurnResult]) -> dict[str, int]:
    """For clicks on buttons that were not offered: the parent's last typed message before, counted."""
    counts: dict[str, int] = {}
    typed: dict[int, str] = {}
    for r in results:
        if r.click_missing:
            key = typed.get(r.conversation, "?")[:60]
            counts[key] = counts.get(key, 0) + 1
        elif not r.clicked:
            typed[r.conversation] = r.text
    return counts


async def measure(setups: list[Setup], plan: dict, results: dict, think: float, quiet: Quiet) -> None:
    running: dict[str, Running] = {}
    try:
        for setup in setups:
            quiet(f"{setup.name}: start-up")
            say(f"Starting {setup.name}: rasa run + rasa run actions (ports {setup.rasa_port}, {setup.actions_port})")
            running[setup.name] = start(setup, BENCH_DIR / "logs")
            timings = await wait_ready(running[setup.name])
            results["setups"][setup.name]["startup"] = {k: round(v, 2) for k, v in timings.items()}
            say(f"{setup.name} answered after {timings['first_reply']:.1f}s")

        quiet("warm-up")
        say("Warming up: every script once per setup (not counted)")
        for setup in setups:
            warm, _ = await parents.run_level(setup.channel(), 1, len(parents.SCRIPTS), think_seconds=think)
            failed = [r for r in warm if not r.ok]
            if failed:
                results["notes"].append(f"{setup.name}: {len(failed)} of {len(warm)} warm-up turns failed")

        for level in LEVELS:
            per_parent = plan["per_parent"][level]
            for setup in setups:
                quiet(f"{setup.name}: {level} concurrent")
                load = loadavg()
                say(f"{setup.name}: {level} concurrent conversation(s), {per_parent} each")
                done, wall = await parents.run_level(setup.channel(), level, per_parent, think_seconds=think)
                summary = level_summary(done, wall, level)
                summary["load_before"] = load
                results["setups"][setup.name]["levels"][str(level)] = summary
                lat = summary["latency_ms"]
                print(
                    f"    {summary['turns']} turns, p50 {lat['p50']} ms, p95 {lat['p95']} ms, "
                    f"{summary['messages_per_second']} msg/s, errors {summary['errors']['total']}",
                    flush=True,
                )

        quiet("long conversations")
        say(f"One long conversation of {LONG_TURNS} turns, {plan['long_repeats']} time(s) per setup")
        long_runs: dict[str, list[list[TurnResult]]] = {s.name: [] for s in setups}
        async with parents.client_session(1) as http:
            for repeat in range(plan["long_repeats"]):
                for setup in setups:
                    turns = parents.long_conversation(LONG_TURNS)
                    long_runs[setup.name].append(
                        await parents.run_conversation(http, setup.channel(), turns, 900_000 + repeat)
                    )
        for setup in setups:
            runs = long_runs[setup.name]
            per_turn = median_by_position(
                [[r.seconds * 1000 if r.ok else None for r in run if r.turn > 0] for run in runs]
            )
            results["setups"][setup.name]["long"] = {
                "turns": LONG_TURNS,
                "repeats": len(runs),
                "per_turn_ms": [round(v, 2) if v is not None else None for v in per_turn],
                "same_message_turns": parents.same_message_turns(LONG_TURNS),
                "errors": sum(1 for run in runs for r in run if not r.ok),
            }

        for setup in setups:
            process = running[setup.name]
            rasa, actions = memory_mb(process.rasa.pid), memory_mb(process.actions.pid)
            results["setups"][setup.name]["memory"] = {
                "rasa": rasa,
                "actions": actions,
                "total_rss_mb": round(rasa["rss_mb"] + actions["rss_mb"], 1),
            }
    finally:
        for process in running.values():
            stop(process)
    for setup in setups:
        logs = running[setup.name].logs if setup.name in running else {}
        found = {part: errors_in_log(path) for part, path in logs.items()}
        results["setups"][setup.name]["log_errors"] = {
            "rasa": len(found.get("rasa", [])),
            "actions": len(found.get("actions", [])),
            "samples": [line[:300] for lines in found.values() for line in lines][:5],
        }


def measure_nlu(setups: list[Setup], repeats: int, results: dict, quiet: Quiet) -> None:
    for setup in setups:
        quiet(f"{setup.name}: NLU alone")
        say(f"NLU alone for {setup.name}: Agent.load and parse_message, in a separate process")
        out = BENCH_DIR / f"nlu-{setup.name}.json"
        env = {**os.environ, **BASE_ENV}
        subprocess.run(
            [sys.executable, "-m", "bench.nlu", str(setup.model), str(out), "--repeats", str(repeats)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=(BENCH_DIR / "logs" / f"nlu-{setup.name}.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        results["setups"][setup.name]["nlu"] = json.loads(out.read_text())


async def profile(setups: list[Setup], conversations: int, results: dict, quiet: Quiet) -> None:
    """Both processes of each setup under cProfile, switched on only for a few long conversations."""
    folder = BENCH_DIR / "profile"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    turns = conversations * LONG_TURNS
    results["profile"] = {"turns": turns, "files": str(folder.relative_to(ROOT))}
    for setup in setups:
        quiet(f"{setup.name}: profile")
        say(f"Profiling {setup.name}: {conversations} long conversation(s), both processes under cProfile")
        process = start(setup, BENCH_DIR / "logs", profile_dir=folder)
        files = {part: folder / f"{setup.name}-{part}.prof" for part in ("rasa", "actions")}
        try:
            await wait_ready(process)
            await parents.run_level(setup.channel(), 1, len(parents.SCRIPTS))  # warm-up, not profiled
            pids = (process.rasa.pid, process.actions.pid)
            for pid in pids:
                os.kill(pid, signal.SIGUSR1)
            async with parents.client_session(1) as http:
                for k in range(conversations):
                    turns_list = parents.long_conversation(LONG_TURNS)
                    await parents.run_conversation(http, setup.channel(), turns_list, 800_000 + k)
            for pid in pids:
                os.kill(pid, signal.SIGUSR2)
            for _ in range(100):  # each process writes its file when it next runs Python code
                if all(f.exists() for f in files.values()):
                    break
                await asyncio.sleep(0.1)
        finally:
            stop(process)
        results["profile"][setup.name] = {
            part: {"focus": focus_rows(path, turns), "top_own_time": top_own_time(path)}
            for part, path in files.items()
            if path.exists()
        }


# -- the command ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="few messages: a smoke run (the doc is not rewritten)")
    parser.add_argument("--profile", action="store_true", help="also profile a few long conversations per setup")
    parser.add_argument("--train-ours", action="store_true", help="also time a training of our model")
    parser.add_argument("--reuse-baseline", action="store_true", help="reuse var/bench/baseline's model (not timed)")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for other `rasa train` processes")
    parser.add_argument("--wait-minutes", type=float, default=30, help="longest wait for other trainings (30)")
    parser.add_argument("--think", type=float, default=0.0, help="seconds each parent pauses between messages (0)")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--report", metavar="JSON", help="only rebuild the doc's generated part from this file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report:
        data = json.loads(Path(args.report).read_text())
        report.update_doc(DOC, report.render(data))
        print(report.render(data))
        return 0

    plan = QUICK if args.quick else FULL
    started = dt.datetime.now(dt.timezone.utc)
    results: dict = {
        "schema": 1,
        "quick": args.quick,
        "started": started.strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine_info(),
        "settings": {
            "levels": list(LEVELS),
            "conversations_per_parent": plan["per_parent"],
            "long_turns": LONG_TURNS,
            "long_repeats": plan["long_repeats"],
            "nlu_repeats": plan["nlu_repeats"],
            "think_seconds": args.think,
            "rate_limits": GENEROUS_RATE,
        },
        "setups": {"baseline": {"levels": {}}, "ours": {"levels": {}}},
        "notes": [],
        "load": {},
    }
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "logs").mkdir(exist_ok=True)

    watch = training.Watch()
    watch.start()
    quiet = Quiet(not args.no_wait, args.wait_minutes * 60, watch)
    say("Waiting for a quiet machine: no `rasa train` or `rasa test` running, others using < 0.3 cores")
    quiet("waiting for a quiet machine")
    results["load"]["before"] = loadavg()
    try:
        quiet("stock bot: init and training")
        baseline, baseline_training = prepare_baseline(args.reuse_baseline)
        quiet("our model")
        seen = [t for wait in quiet.waits for t in wait["seen"]]
        ours, ours_training = prepare_ours(args.train_ours, seen)
        setups = [baseline, ours]
        for setup, info in ((baseline, baseline_training), (ours, ours_training)):
            results["setups"][setup.name]["training"] = info
            results["setups"][setup.name]["model"] = str(setup.model.relative_to(ROOT))
            results["setups"][setup.name]["model_mb"] = round(setup.model.stat().st_size / 1e6, 1)

        measure_nlu(setups, plan["nlu_repeats"], results, quiet)
        asyncio.run(measure(setups, plan, results, args.think, quiet))
        if args.profile:
            asyncio.run(profile(setups, plan["profile_conversations"], results, quiet))
    finally:
        watch.stop()
    # A training someone ran meanwhile and that wrote models/ is remembered for the next run's report.
    training.record_observed(watch.trainings(), ROOT / "models" / "send-assistant.tar.gz")
    results["load"]["after"] = loadavg()
    results["finished"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results["others"] = {"waits": quiet.waits, "by_phase": watch.summary()}
    busy = [
        f"{phase} ({', '.join(info['others_rasa'] or info['busiest'])}: {info['others_cpu_cores_mean']} cores on average)"
        for phase, info in watch.summary().items()
        if info["others_rasa"] or info["others_cpu_cores_mean"] >= 0.2
    ]
    if busy:
        results["notes"].append(
            "Other people's work used the CPU during: " + "; ".join(busy) + ". Those figures are slower than on an "
            "idle machine."
        )
    if any(w["still_busy"] for w in quiet.waits):
        results["notes"].append("The wait for a quiet machine ran out: some phases ran next to other work.")

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    out = RESULTS_DIR / f"{stamp}{'-quick' if args.quick else ''}.json"
    text = json.dumps(results, indent=2, ensure_ascii=False)
    out.write_text(text + "\n")
    generated = report.render(results)
    print("\n" + generated)
    say(f"Results: {out.relative_to(ROOT)}")
    if not args.quick:
        (RESULTS_DIR / "latest.json").write_text(text + "\n")
        if not args.no_doc:
            report.update_doc(DOC, generated)
            say(f"Updated the generated part of {DOC.relative_to(ROOT)}")
    return 0
