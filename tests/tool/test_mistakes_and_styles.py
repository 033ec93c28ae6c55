"""The step tests catch the slips learners really make, and accept every correct way to write a step.

Each variant below is a whole learner file, tested with every other step solved
(see sessions.py for how the many pytest sessions are run).
"""

from __future__ import annotations

import pytest

from kata.registry import STEPS
from kata.stubs import checkpoint_sources
from tests.tool.sessions import run_sessions

P = "from .step02_gradient import gradient\n"
PREDICT = "from .step06_predict import predict\n"
TRAIN = "from .step05_load import load\nfrom .step06_predict import predict\nfrom .step09_train import train\n"
PARK = "from pathlib import Path\nPARK = next(p / 'park.txt' for p in Path(__file__).resolve().parents if (p / 'park.txt').is_file())\n"
LOAD_HEAD = "def load(path):\n    X, Y = [], []\n    with open(path) as file:\n"
TRAIN_HEAD = "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train(X, Y, iterations, lr):\n    w = b = 0\n    losses = []\n"

MISTAKES = {
    "f: x + 3 instead of x − 3": ("step01_parabola", "def f(x):\n    return (x + 3) ** 2 + 2\n"),
    "f: the + 2 forgotten": ("step01_parabola", "def f(x):\n    return (x - 3) ** 2\n"),
    "f: ^ for squared": ("step01_parabola", "def f(x):\n    return (x - 3) ^ 2 + 2\n"),
    "f: times 2 for squared": ("step01_parabola", "def f(x):\n    return (x - 3) * 2 + 2\n"),
    "slope: factor 2 forgotten": ("step02_gradient", "def gradient(x):\n    return x - 3\n"),
    "slope: wrong sign": ("step02_gradient", "def gradient(x):\n    return 2 * (3 - x)\n"),
    "slope: 2x − 3": ("step02_gradient", "def gradient(x):\n    return 2 * x - 3\n"),
    "step: uphill": ("step03_step", P + "def step(x, lr):\n    return x + lr * gradient(x)\n"),
    "step: a fixed learning rate": ("step03_step", P + "def step(x, lr):\n    return x - 0.1 * gradient(x)\n"),
    "step: the step, not the position": ("step03_step", P + "def step(x, lr):\n    return lr * gradient(x)\n"),
    "descend: start missing": ("step04_descend", "from .step03_step import step\ndef descend(x, lr, iterations):\n    out = []\n    for _ in range(iterations):\n        x = step(x, lr)\n        out.append(x)\n    return out\n"),
    "descend: an iteration too many": ("step04_descend", "from .step03_step import step\ndef descend(x, lr, iterations):\n    out = [x]\n    for _ in range(iterations + 1):\n        x = step(x, lr)\n        out.append(x)\n    return out\n"),
    "descend: always from the start": ("step04_descend", "from .step03_step import step\ndef descend(x, lr, iterations):\n    return [x] + [step(x, lr) for _ in range(iterations)]\n"),
    "load: header read as data": ("step05_load", LOAD_HEAD + "        for line in file:\n            if line.strip():\n                a, b = line.split()\n                X.append(float(a)); Y.append(float(b))\n    return X, Y\n"),
    "load: columns swapped": ("step05_load", LOAD_HEAD + "        next(file)\n        for line in file:\n            if line.strip():\n                a, b = line.split()\n                X.append(float(b)); Y.append(float(a))\n    return X, Y\n"),
    "load: int, not float": ("step05_load", LOAD_HEAD + "        next(file)\n        for line in file:\n            if line.strip():\n                a, b = line.split()\n                X.append(int(float(a))); Y.append(int(float(b)))\n    return X, Y\n"),
    "load: split on one space": ("step05_load", LOAD_HEAD + "        next(file)\n        for line in file:\n            if line.strip():\n                a, b = line.strip().split(' ')\n                X.append(float(a)); Y.append(float(b))\n    return X, Y\n"),
    "load: blank lines kept": ("step05_load", LOAD_HEAD + "        next(file)\n        for line in file:\n            a, b = (line.split() + ['0', '0'])[:2]\n            X.append(float(a)); Y.append(float(b))\n    return X, Y\n"),
    "predict: X changed in place": ("step06_predict", "def predict(X, w, b):\n    for i, x in enumerate(X):\n        X[i] = x * w + b\n    return X\n"),
    "predict: the bias forgotten": ("step06_predict", "def predict(X, w, b):\n    return [x * w for x in X]\n"),
    "loss: sum, not mean": ("step07_loss", PREDICT + "def loss(X, Y, w, b):\n    return sum((p - y) ** 2 for p, y in zip(predict(X, w, b), Y))\n"),
    "loss: not squared": ("step07_loss", PREDICT + "def loss(X, Y, w, b):\n    return sum(p - y for p, y in zip(predict(X, w, b), Y)) / len(X)\n"),
    "loss: root of the mean": ("step07_loss", PREDICT + "def loss(X, Y, w, b):\n    return (sum((p - y) ** 2 for p, y in zip(predict(X, w, b), Y)) / len(X)) ** 0.5\n"),
    "loss: absolute error": ("step07_loss", PREDICT + "def loss(X, Y, w, b):\n    return sum(abs(p - y) for p, y in zip(predict(X, w, b), Y)) / len(X)\n"),
    "gradient: factor 2 forgotten": ("step08_gradient", PREDICT + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return sum(a * x for a, x in zip(e, X)) / len(X), sum(e) / len(X)\n"),
    "gradient: sum, not mean": ("step08_gradient", PREDICT + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)), 2 * sum(e)\n"),
    "gradient: y − p": ("step08_gradient", PREDICT + "def gradient(X, Y, w, b):\n    e = [y - p for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)) / len(X), 2 * sum(e) / len(X)\n"),
    "gradient: b left out (the article's first draft)": ("step08_gradient", PREDICT + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, 0), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)) / len(X), 2 * sum(e) / len(X)\n"),
    "gradient: b slope times x": ("step08_gradient", PREDICT + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    g = 2 * sum(a * x for a, x in zip(e, X)) / len(X)\n    return g, g\n"),
    "train: b slope after w moved": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        w -= lr * gradient(X, Y, w, b)[0]\n        b -= lr * gradient(X, Y, w, b)[1]\n    return w, b, losses\n"),
    "train: loss after the update": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations):\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n        losses.append(loss(X, Y, w, b))\n    return w, b, losses\n"),
    "train: an iteration too many": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations + 1):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n    return w, b, losses\n"),
    "train: a fixed learning rate": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= 0.001 * gw\n        b -= 0.001 * gb\n    return w, b, losses\n"),
    "train: uphill": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w += lr * gw\n        b += lr * gb\n    return w, b, losses\n"),
    "forecast: a fixed answer": ("step10_forecast", PARK + "def forecast(temperature, path=PARK):\n    return 543\n"),
    "forecast: path ignored": ("step10_forecast", TRAIN + PARK + "def forecast(temperature, path=PARK):\n    X, Y = load(PARK)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return w * temperature + b\n"),
    "forecast: park.txt from the working directory": ("step10_forecast", TRAIN + PARK + "def forecast(temperature, path='park.txt'):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return w * temperature + b\n"),
    "forecast: 2000 iterations": ("step10_forecast", TRAIN + PARK + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 2000, 0.001)\n    return w * temperature + b\n"),
}

STYLES = {
    "f: times itself": ("step01_parabola", "def f(x):\n    return (x - 3) * (x - 3) + 2\n"),
    "f: pow, expanded": ("step01_parabola", "def f(x):\n    return pow(x, 2) - 6 * x + 11\n"),
    "slope: expanded": ("step02_gradient", "def gradient(x):\n    return 2 * x - 6\n"),
    "step: two lines": ("step03_step", P + "def step(x, lr):\n    gradient_step = lr * gradient(x)\n    return x - gradient_step\n"),
    "descend: while loop, tuple": ("step04_descend", "from .step03_step import step\ndef descend(x, lr, iterations):\n    out = (x,)\n    while len(out) <= iterations:\n        out += (step(out[-1], lr),)\n    return out\n"),
    "load: read, splitlines, zip": ("step05_load", "from pathlib import Path\ndef load(path):\n    rows = [list(map(float, line.split())) for line in Path(path).read_text().splitlines()[1:] if line.strip()]\n    X, Y = zip(*rows)\n    return X, Y\n"),
    "predict: map and lambda": ("step06_predict", "def predict(X, w, b):\n    return list(map(lambda x: w * x + b, X))\n"),
    "loss: statistics.fmean": ("step07_loss", PREDICT + "import statistics\ndef loss(X, Y, w, b):\n    return statistics.fmean((p - y) ** 2 for p, y in zip(predict(X, w, b), Y))\n"),
    "loss: math.fsum, no predict": ("step07_loss", "import math\ndef loss(X, Y, w, b):\n    return math.fsum((w * x + b - y) ** 2 for x, y in zip(X, Y)) / len(X)\n"),
    "gradient: a helper, a list": ("step08_gradient", PREDICT + "def mean(values):\n    values = list(values)\n    return sum(values) / len(values)\ndef gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return [2 * mean(a * x for a, x in zip(e, X)), 2 * mean(e)]\n"),
    "train: while loop, loss after the slopes": ("step09_train", TRAIN_HEAD + "    i = 0\n    while i < iterations:\n        gw, gb = gradient(X, Y, w, b)\n        losses.append(loss(X, Y, w, b))\n        w, b = w - lr * gw, b - lr * gb\n        i += 1\n    return w, b, losses\n"),
    "forecast: keyword arguments, w·t + b": ("step10_forecast", TRAIN + PARK + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, losses = train(X, Y, lr=0.001, iterations=20000)\n    return w * temperature + b\n"),
}

@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every variant's test states, each run with all the other steps solved."""
    solved = checkpoint_sources(len(STEPS) + 1)
    jobs = []
    for name, (stem, source) in {**MISTAKES, **STYLES}.items():
        files = {**solved, f"steps/{stem}.py": source}
        jobs.append((name, files, [f"tests/test_{stem}.py"]))
    outcomes = run_sessions(tmp_path_factory.mktemp("variants"), jobs)
    return {name: [test["state"] for test in tests] for name, tests in outcomes.items()}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_the_mistake_is_caught(verdicts, mistake):
    states = verdicts[mistake]
    assert states and any(state != "passed" for state in states), f"no test failed for: {mistake}"


@pytest.mark.parametrize("style", STYLES)
def test_the_correct_style_passes(verdicts, style):
    states = verdicts[style]
    assert states and all(state == "passed" for state in states), f"{style}: {states}"
