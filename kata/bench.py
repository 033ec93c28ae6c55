"""`python -m kata.bench`: how fast the plain-list trainer and the tracer are, as ratios measured in one run.

numpy is never a dependency: its lines are skipped with a message when it is not installed.
"""

from __future__ import annotations

import os
import platform
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .data import read_park
from .registry import ROOT
from .solutions.step09_train import train

REPEATS = 5


def best_of(function: Callable[[], object], repeats: int = REPEATS) -> float:
    """The fastest of several runs, in seconds: the least disturbed by a noisy machine."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def numpy_train(np: object, X: object, Y: object, iterations: int, lr: float) -> tuple[float, float, list[float]]:
    """The article's numpy formulation of the same loop, recording the loss each iteration."""
    w = b = 0.0
    losses = []
    for _ in range(iterations):
        predictions = X * w + b  # type: ignore[operator]
        losses.append(np.mean((predictions - Y) ** 2))  # type: ignore[attr-defined]
        w_gradient = 2 * np.mean((predictions - Y) * X)  # type: ignore[attr-defined]
        b_gradient = 2 * np.mean(predictions - Y)  # type: ignore[attr-defined]
        w -= w_gradient * lr
        b -= b_gradient * lr
    return w, b, losses


def command_time(command: list[str], repeats: int = 3) -> float:
    """The fastest wall-clock time of a whole command, its output thrown away."""
    env = {**os.environ, "CI": "1"}
    return best_of(lambda: subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=True), repeats)


def main() -> int:
    """Measure and print the ratios."""
    console = Console(highlight=False)
    data = read_park()
    console.print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                  f"Python {platform.python_version()}; best of {REPEATS} runs each.")
    table = Table("measure", "seconds", "ratio", title="kata.bench", title_justify="left")
    lists = best_of(lambda: train(data.X, data.Y, 20000, 0.001))
    table.add_row("plain-list train(), park.txt, 20000 iterations", f"{lists:.3f}", "")
    try:
        import numpy as np
    except ImportError:
        np = None
        console.print("numpy is not installed: the comparison with the article's numpy loop is skipped.")
    if np is not None:
        X, Y = np.array(data.X), np.array(data.Y)
        vectorised = best_of(lambda: numpy_train(np, X, Y, 20000, 0.001))
        table.add_row("numpy loop (the article's), same data and loop", f"{vectorised:.3f}",
                      f"lists take {lists / vectorised:.2f}× numpy's time (target ≤ 0.5)")
    startup = command_time([sys.executable, "-c", "import kata.trace"])
    whole = command_time([sys.executable, "-m", "kata.trace", "park", "--plain"])
    table.add_row("python -c 'import kata.trace' (start-up)", f"{startup:.3f}", "")
    table.add_row("python -m kata.trace park, piped", f"{whole:.3f}",
                  f"{(whole - startup) / lists:.2f}× bare training after start-up (target ≤ 2)")
    console.print(table)
    if np is not None:
        crossover(console, np)
    return 0


def crossover(console: Console, np: object) -> None:
    """Where numpy starts to win: the same 200-iteration loop on growing random data."""
    table = Table("data points", "lists (s)", "numpy (s)", "faster", title="plain lists against numpy, 200 iterations",
                  title_justify="left")
    rng = random.Random(1)
    for size in (14, 50, 100, 200, 500, 1000, 5000):
        X = [rng.uniform(10, 35) for _ in range(size)]
        Y = [20 * x - 150 + rng.gauss(0, 50) for x in X]
        lists = best_of(lambda: train(X, Y, 200, 0.001), 3)
        arrays = best_of(lambda: numpy_train(np, np.array(X), np.array(Y), 200, 0.001), 3)  # type: ignore[attr-defined]
        table.add_row(str(size), f"{lists:.4f}", f"{arrays:.4f}", "lists" if lists < arrays else "numpy")
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
