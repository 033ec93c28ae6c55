"""`python -m kata.bench`: how fast the plain-list trainer, the tracer and its stories are, as ratios measured in one
run.

numpy is never a dependency: its lines are skipped with a message when it is not installed.
"""

from __future__ import annotations

import io
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from kata.core.checks import Check, run_check
from kata.core.cli import Parser, UsageError
from kata.core.registry import FACTS, ROOT, STEPS, STORIES, Step
from kata.core.stubs import checkpoint_sources, reference_source, stub_source
from kata.core.workspace import copy_kata, write_files
from kata.loop.app import Context
from kata.loop.watch import Watcher
from kata.solutions.step09_train import train
from kata.trace.data import read_park
from kata.trace.stories import article_stories

REPEATS = 5


def best_of(
    function: Callable[[], object],
    repeats: int = REPEATS,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """The fastest of several runs, in seconds of `clock` (time.process_time: the CPU time, which a busy machine
    does not add to): the least disturbed by a noisy machine."""
    times = []
    for _ in range(repeats):
        start = clock()
        function()
        times.append(clock() - start)
    return min(times)


def numpy_train(
    np: Any, X: Any, Y: Any, iterations: int, lr: float
) -> tuple[float, float, list[float]]:
    """The article's numpy formulation of the same loop, recording the loss each iteration."""
    w = b = 0.0
    losses = []
    for _ in range(iterations):
        predictions = X * w + b
        losses.append(np.mean((predictions - Y) ** 2))
        w_gradient = 2 * np.mean((predictions - Y) * X)
        b_gradient = 2 * np.mean(predictions - Y)
        w -= w_gradient * lr
        b -= b_gradient * lr
    return w, b, losses


def command_time(command: list[str], repeats: int = 3) -> float:
    """The fastest wall-clock time of a whole command, its output thrown away."""
    env = {**os.environ, "CI": "1"}
    return best_of(
        lambda: subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=True),
        repeats,
    )


def main(argv: list[str] | None = None) -> int:
    """Measure and print the ratios (about three minutes; it takes no options but --help)."""
    parser = Parser(
        prog="python -m kata.bench",
        description="How fast the plain-list trainer, the tracer and its stories are, as ratios measured in one "
        "run (best of 5 each; about three minutes). Run it in a clean venv on a quiet machine: read the ratios.",
    )
    try:
        parser.parse_args(argv)
    except UsageError as problem:
        print(f"kata.bench: {problem}", file=sys.stderr)
        return 2
    console = Console(highlight=False)
    data = read_park()
    console.print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; best of {REPEATS} runs each."
    )
    table = Table("measure", "seconds", "ratio", title="kata.bench", title_justify="left")
    lists = best_of(lambda: train(data.X, data.Y, FACTS.iterations, FACTS.lr))
    table.add_row(
        f"plain-list train(), {FACTS.data}, {FACTS.iterations} iterations", f"{lists:.3f}", ""
    )
    try:
        import numpy as np
    except ImportError:
        np = None
        console.print(
            "numpy is not installed: the comparison with the article's numpy loop is skipped."
        )
    if np is not None:
        X, Y = np.array(data.X), np.array(data.Y)
        vectorised = best_of(lambda: numpy_train(np, X, Y, FACTS.iterations, FACTS.lr))
        table.add_row(
            "numpy loop (the article's), same data and loop",
            f"{vectorised:.3f}",
            f"lists take {lists / vectorised:.2f}× numpy's time (target ≤ 0.5)",
        )
    console.print(table)
    tracer(console, data.X, data.Y)
    if np is not None:
        crossover(console, np)
    runner(console)
    return 0


LAUNCHER = """
import resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - started, used.ru_maxrss, used.ru_utime + used.ru_stime)
"""


def peak_memory(command: list[str]) -> tuple[float, float, float]:
    """Run a command, its output thrown away; return (seconds, peak resident memory in MB of it or a child of it,
    CPU seconds of it and every process it waited for: on a busy machine, the work done, whatever the waiting).

    A small launcher process starts it: a child's peak counts the memory of the process it was forked from.
    """
    env = {**os.environ, "CI": "1"}
    said = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    # ru_maxrss is in bytes on macOS, in KB on Linux
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return float(said[0]), float(said[1]) / scale, float(said[2])


def terminal_time(command: list[str]) -> float:
    """Wall-clock seconds of a command whose stdin and stdout are a terminal (a pty), so that the tracer paces itself."""
    import pty

    leader, follower = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env.update(TERM="xterm-256color", COLUMNS="80", LINES="24")
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=follower, stdout=follower, stderr=follower
    )
    os.close(follower)
    while True:  # drain the screen, or the tracer would wait on a full terminal
        try:
            if not os.read(leader, 65536):
                break
        except OSError:
            break
    process.wait()
    os.close(leader)
    return time.perf_counter() - started


def tracer(console: Console, X: list[float], Y: list[float]) -> None:
    """The tracer's rows of issue 10: memory flat in the iterations, time against bare training, paced against piped."""
    table = Table(
        "measure",
        "seconds",
        "peak MB",
        "ratio",
        title="the tracer (python -m kata.trace)",
        title_justify="left",
    )
    startup = command_time([sys.executable, "-c", "import kata.trace.tracer"])
    startup_cpu = min(
        peak_memory([sys.executable, "-c", "import kata.trace.tracer"])[2] for _ in range(REPEATS)
    )
    table.add_row(
        "python -c 'import kata.trace.tracer' (start-up)",
        f"{startup:.3f}",
        "",
        f"CPU {startup_cpu:.3f} s",
    )
    peaks = []
    for iterations in (FACTS.iterations, 10 * FACTS.iterations, 100 * FACTS.iterations):
        repeats = 3 if iterations <= 10 * FACTS.iterations else 1
        runs = [
            peak_memory(
                [
                    sys.executable,
                    "-m",
                    "kata.trace",
                    "park",
                    "--plain",
                    "--iterations",
                    str(iterations),
                ]
            )
            for _ in range(repeats)
        ]
        seconds, peak = min(r[0] for r in runs), max(r[1] for r in runs)
        cpu = min(r[2] for r in runs)
        bare = best_of(partial(train, X, Y, iterations, FACTS.lr), repeats)
        bare_cpu = best_of(partial(train, X, Y, iterations, FACTS.lr), repeats, time.process_time)
        peaks.append(peak)
        table.add_row(
            f"park --iterations {iterations}, piped",
            f"{seconds:.3f}",
            f"{peak:.1f}",
            f"{(seconds - startup) / bare:.2f}× bare train() ({bare:.3f} s) after start-up (target ≤ 1.5); "
            f"CPU {(cpu - startup_cpu) / bare_cpu:.2f}× ({cpu:.3f} s against {bare_cpu:.3f} s), the child's "
            "start-up included",
        )
    table.add_row(
        "peak memory, largest over smallest",
        "",
        "",
        f"{max(peaks) / min(peaks):.3f} (target ≤ 1.10)",
    )
    for story in article_stories():
        paced = terminal_time([sys.executable, "-m", "kata.trace", story])
        piped = command_time([sys.executable, "-m", "kata.trace", story, "--plain"])
        table.add_row(
            f"{story}, in a terminal (paced, --speed 1)",
            f"{paced:.2f}",
            "",
            f"piped: {piped:.3f} s",
        )
    for story in STORIES:  # every story at its defaults, piped: what a learner waits for
        if story not in article_stories():
            piped = command_time([sys.executable, "-m", "kata.trace", story, "--plain"], repeats=1)
            table.add_row(f"{story}, piped (its defaults)", f"{piped:.2f}", "", "")
    console.print(table)


def runner(console: Console, saves: int = 20) -> None:
    """python -m kata against bare pytest over the same tests, and save-to-result time in watch mode, step by step."""
    table = Table(
        "measure (a copy of the kata)",
        "seconds",
        "ratio",
        title="the learner's loop",
        title_justify="left",
    )
    with tempfile.TemporaryDirectory(prefix="kata-bench-") as scratch:
        root = copy_kata(ROOT, Path(scratch) / "kata")
        first_act = [step for step in STEPS if step.act == 1]
        for label, solved in (
            ("stubs", 0),
            ("every step of the article but the last solved", len(first_act) - 1),
        ):
            write_files(root, checkpoint_sources(solved + 1))
            env = {**os.environ, "CI": "1"}
            quiet = partial(subprocess.run, cwd=root, stdout=subprocess.DEVNULL, check=False)
            pytest = [sys.executable, "-m", "pytest", "-q", "--target", "steps"]
            # pytest.main in-process, as it runs without the kata's guard around it
            in_process = "import pytest; raise SystemExit(pytest.main(['-q', '--target', 'steps']))"
            ours = best_of(partial(quiet, [sys.executable, "-m", "kata"], env=env), 3)
            bare = best_of(partial(quiet, [sys.executable, "-c", in_process], env=env), 3)
            typed = best_of(partial(quiet, pytest, env=env), 3)
            table.add_row(
                f"python -m kata, {label}",
                f"{ours:.3f}",
                f"{ours / bare:.2f}× bare pytest (target ≤ 1.3)",
            )
            table.add_row(f"bare pytest --target steps (in-process), {label}", f"{bare:.3f}", "")
            table.add_row(
                f"python -m pytest --target steps as typed (guarded), {label}", f"{typed:.3f}", ""
            )
        console.print(table)
        table = Table(
            "watch: save a step, see its result",
            "median s",
            "worst s",
            f"over {saves} saves",
            title="watch mode (target: median < 0.5 s on every step)",
            title_justify="left",
        )
        for step in first_act:
            write_files(root, checkpoint_sources(step.number))
            median, worst = save_to_result(root, step, saves)
            table.add_row(
                f"step {step.number}, steps before it solved",
                f"{median:.3f}",
                f"{worst:.3f}",
                "met" if median < 0.5 else "not met",
            )
        console.print(table)


def save_to_result(root: Path, step: Step, saves: int = 20) -> tuple[float, float]:
    """Seconds from writing a step's file to the watch loop having its new result: (median, worst) over `saves`
    saves in one watch session, alternating a wrong and a right version (each save changes the file)."""
    stop = threading.Event()
    shown: list[float] = []

    class Keys:
        def read(self, timeout: float) -> str | None:
            time.sleep(timeout)
            return "q" if stop.is_set() else None

    class Timed(Watcher):
        def after_check(self, check: Check) -> None:
            shown.append(time.monotonic())

    sink = Console(file=io.StringIO(), width=80)
    context = Context(root, sink, sink, input, datetime.now, run_check)
    thread = threading.Thread(target=Timed(context, Keys()).run)  # type: ignore[arg-type]
    thread.start()
    while not shown:
        time.sleep(0.01)
    latencies = []
    for n in range(saves):
        text = reference_source(step) if n % 2 else stub_source(step)
        before = len(shown)
        time.sleep(0.05)
        saved = time.monotonic()
        write_files(root, {step.learner_file: text + f"\n# save {n}\n"})
        while len(shown) == before:
            time.sleep(0.002)
        latencies.append(shown[-1] - saved)
    stop.set()
    thread.join()
    return statistics.median(latencies), max(latencies)


def crossover(console: Console, np: object) -> None:
    """Where numpy starts to win: the same 200-iteration loop on growing random data."""
    table = Table(
        "data points",
        "lists (s)",
        "numpy (s)",
        "faster",
        title="plain lists against numpy, 200 iterations",
        title_justify="left",
    )
    rng = random.Random(1)
    for size in (14, 50, 100, 200, 500, 1000, 5000):
        X = [rng.uniform(10, 35) for _ in range(size)]
        Y = [20 * x - 150 + rng.gauss(0, 50) for x in X]
        lists = best_of(partial(train, X, Y, 200, FACTS.lr), 3)
        arrays = best_of(partial(numpy_train, np, np.array(X), np.array(Y), 200, FACTS.lr), 3)  # type: ignore[attr-defined]
        table.add_row(
            str(size), f"{lists:.4f}", f"{arrays:.4f}", "lists" if lists < arrays else "numpy"
        )
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
