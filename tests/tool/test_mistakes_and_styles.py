"""The step tests catch the slips learners really make, and accept every correct way to write a step.

Each variant below is a whole learner file, tested with every other step solved
(see sessions.py for how the many pytest sessions are run).
"""

from __future__ import annotations

from typing import Any

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

LOAD_SKIP = LOAD_HEAD + "        next(file)\n        for line in file:\n            if line.strip():\n                a, b = line.split()\n"

# name: (step, the learner's whole file, words the first failing test's message must contain)
MISTAKES = {
    "f: x + 3 instead of x − 3": ("step01_parabola", "def f(x):\n    return (x + 3) ** 2 + 2\n", "(x + 3)? The lowest point is at x = 3"),
    "f: the + 2 forgotten": ("step01_parabola", "def f(x):\n    return (x - 3) ** 2\n", "The + 2 is missing"),
    "f: ^ for squared": ("step01_parabola", "def f(x):\n    return (x - 3) ^ 2 + 2\n", "^ is not 'squared'"),
    "f: times 2 for squared": ("step01_parabola", "def f(x):\n    return (x - 3) * 2 + 2\n", "That is (x − 3) · 2, not squared"),
    "f: no brackets": ("step01_parabola", "def f(x):\n    return x - 3 ** 2 + 2\n", "** goes first"),
    "f: the stub's minus sign typed": ("step01_parabola", "def f(x):\n    return (x \u2212 3) ** 2 + 2\n", "type - (the minus key)"),
    "f: the stub's squared sign typed": ("step01_parabola", "def f(x):\n    return (x - 3)\u00b2 + 2\n", "** 2"),
    "f: a bracket never closed": ("step01_parabola", "def f(x):\n    return (x - 3 ** 2 + 2\n", "syntax error"),
    "slope: factor 2 forgotten": ("step02_gradient", "def gradient(x):\n    return x - 3\n", "The factor 2 is missing"),
    "slope: wrong sign": ("step02_gradient", "def gradient(x):\n    return 2 * (3 - x)\n", "The sign is flipped"),
    "slope: 2x − 3": ("step02_gradient", "def gradient(x):\n    return 2 * x - 3\n", "the brackets are missing"),
    "slope: the + 2 kept": ("step02_gradient", "def gradient(x):\n    return 2 * (x - 3) + 2\n", "The + 2 has no slope"),
    "step: uphill": ("step03_step", P + "def step(x, lr):\n    return x + lr * gradient(x)\n", "That goes uphill"),
    "step: a fixed learning rate": ("step03_step", P + "def step(x, lr):\n    return x - 0.1 * gradient(x)\n", "for lr = 0.1, whatever lr is given"),
    "step: the step, not the position": ("step03_step", P + "def step(x, lr):\n    return lr * gradient(x)\n", "That is the gradient step lr·f′(x) itself"),
    "step: the import's dot dropped": ("step03_step", "from step02_gradient import gradient\ndef step(x, lr):\n    return x - lr * gradient(x)\n", "Keep the leading dot: from .step02_gradient import"),
    "step: lr not used": ("step03_step", P + "def step(x, lr):\n    return x - gradient(x)\n", "scale the slope by lr first"),
    "descend: start missing": ("step04_descend", "from .step03_step import step\ndef descend(x, lr, iterations):\n    out = []\n    for _ in range(iterations):\n        x = step(x, lr)\n        out.append(x)\n    return out\n", "put the start in the list before any step"),
    "descend: an iteration too many": ("step04_descend", "from .step03_step import step\ndef descend(x, lr, iterations):\n    out = [x]\n    for _ in range(iterations + 1):\n        x = step(x, lr)\n        out.append(x)\n    return out\n", "One too many"),
    "descend: always from the start": ("step04_descend", "from .step03_step import step\ndef descend(x, lr, iterations):\n    return [x] + [step(x, lr) for _ in range(iterations)]\n", "Every step starts from the same x"),
    "descend: the list of positions never returned": ("step04_descend", "from .step03_step import step\ndef descend(x, lr, iterations):\n    positions = [x]\n    for _ in range(iterations):\n        x = step(x, lr)\n        positions.append(x)\n", "is a `return` missing?"),
    "descend: a generator": ("step04_descend", "from .step03_step import step\ndef descend(x, lr, iterations):\n    yield x\n    for _ in range(iterations):\n        x = step(x, lr)\n        yield x\n", "A function with yield always returns a generator"),
    "load: header read as data": ("step05_load", LOAD_HEAD + "        for line in file:\n            if line.strip():\n                a, b = line.split()\n                X.append(float(a)); Y.append(float(b))\n    return X, Y\n", "tried to turn the header line"),
    "load: park.txt, not path": ("step05_load", "def load(path):\n    X, Y = [], []\n    with open('park.txt') as file:\n        next(file)\n        for line in file:\n            if line.strip():\n                a, b = line.split()\n                X.append(float(a)); Y.append(float(b))\n    return X, Y\n", "open the file named by `path`, not 'park.txt'"),
    "load: columns swapped": ("step05_load", LOAD_SKIP + "                X.append(float(b)); Y.append(float(a))\n    return X, Y\n", "The columns are swapped"),
    "load: int, not float": ("step05_load", LOAD_SKIP + "                X.append(int(float(a))); Y.append(int(float(b)))\n    return X, Y\n", "int(...) drops the decimals"),
    "load: int() on the text": ("step05_load", LOAD_SKIP + "                X.append(int(a)); Y.append(int(b))\n    return X, Y\n", "int() cannot read a number with decimals"),
    "load: strings, not numbers": ("step05_load", LOAD_SKIP + "                X.append(a); Y.append(b)\n    return X, Y\n", "the values are still text"),
    "load: split on one space": ("step05_load", LOAD_HEAD + "        next(file)\n        for line in file:\n            if line.strip():\n                a, b = line.strip().split(' ')\n                X.append(float(a)); Y.append(float(b))\n    return X, Y\n", "split() with no argument splits on any run of spaces or tabs"),
    "load: blank lines kept": ("step05_load", LOAD_HEAD + "        next(file)\n        for line in file:\n            a, b = (line.split() + ['0', '0'])[:2]\n            X.append(float(a)); Y.append(float(b))\n    return X, Y\n", "A blank line is no day"),
    "load: a blank line first reads as the header": ("step05_load", LOAD_SKIP + "                X.append(float(a)); Y.append(float(b))\n    return X, Y\n", "Skip the blank lines first"),
    "load: rows, not columns": ("step05_load", LOAD_SKIP + "                X.append((float(a), float(b)))\n    return X\n", "returned a list of rows"),
    "predict: X changed in place": ("step06_predict", "def predict(X, w, b):\n    for i, x in enumerate(X):\n        X[i] = x * w + b\n    return X\n", "don't change the data"),
    "predict: the bias forgotten": ("step06_predict", "def predict(X, w, b):\n    return [x * w for x in X]\n", "The bias b is missing"),
    "predict: w and b swapped": ("step06_predict", "def predict(X, w, b):\n    return [x * b + w for x in X]\n", "w and b are swapped"),
    "predict: a generator": ("step06_predict", "def predict(X, w, b):\n    return (x * w + b for x in X)\n", "returned a generator, not a list: it can be read only once, and steps 7 and 8"),
    "predict: the article's numpy line on a list": ("step06_predict", "def predict(X, w, b):\n    return X * w + b\n", "X * w is numpy's way"),
    "predict: print, not return": ("step06_predict", "def predict(X, w, b):\n    print([x * w + b for x in X])\n", "is a `return` missing?"),
    "predict: map": ("step06_predict", "def predict(X, w, b):\n    return map(lambda x: x * w + b, X)\n", "returned a map object, not a list"),
    "loss: sum, not mean": ("step07_loss", PREDICT + "def loss(X, Y, w, b):\n    return sum((p - y) ** 2 for p, y in zip(predict(X, w, b), Y))\n", "14 is the sum of the squares"),
    "loss: not squared": ("step07_loss", PREDICT + "def loss(X, Y, w, b):\n    return sum(p - y for p, y in zip(predict(X, w, b), Y)) / len(X)\n", "−2 is the mean of the errors without squaring"),
    "loss: root of the mean": ("step07_loss", PREDICT + "def loss(X, Y, w, b):\n    return (sum((p - y) ** 2 for p, y in zip(predict(X, w, b), Y)) / len(X)) ** 0.5\n", "2.16 is the root of the mean"),
    "loss: absolute error": ("step07_loss", PREDICT + "def loss(X, Y, w, b):\n    return sum(abs(p - y) for p, y in zip(predict(X, w, b), Y)) / len(X)\n", "2 is the mean absolute error"),
    "loss: the mean error squared": ("step07_loss", PREDICT + "def loss(X, Y, w, b):\n    return (sum(p - y for p, y in zip(predict(X, w, b), Y)) / len(X)) ** 2\n", "4 is the square of the mean error"),
    "gradient: factor 2 forgotten": ("step08_gradient", PREDICT + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return sum(a * x for a, x in zip(e, X)) / len(X), sum(e) / len(X)\n", "the factor 2 (from the square) is missing"),
    "gradient: sum, not mean": ("step08_gradient", PREDICT + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)), 2 * sum(e)\n", "that is the sum, not the mean"),
    "gradient: y − p": ("step08_gradient", PREDICT + "def gradient(X, Y, w, b):\n    e = [y - p for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)) / len(X), 2 * sum(e) / len(X)\n", "opposite sign: the error is p − y"),
    "gradient: b left out (the article's first draft)": ("step08_gradient", PREDICT + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, 0), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)) / len(X), 2 * sum(e) / len(X)\n", "The predictions leave b out"),
    "gradient: b slope times x": ("step08_gradient", PREDICT + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    g = 2 * sum(a * x for a, x in zip(e, X)) / len(X)\n    return g, g\n", "The b slope has an x in it"),
    "gradient: the slopes swapped": ("step08_gradient", PREDICT + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(e) / len(X), 2 * sum(a * x for a, x in zip(e, X)) / len(X)\n", "The two slopes are swapped"),
    "train: b slope after w moved": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        w -= lr * gradient(X, Y, w, b)[0]\n        b -= lr * gradient(X, Y, w, b)[1]\n    return w, b, losses\n", "b slope computed after w had already moved"),
    "train: loss after the update": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations):\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n        losses.append(loss(X, Y, w, b))\n    return w, b, losses\n", "append it before you move w and b"),
    "train: an iteration too many": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations + 1):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n    return w, b, losses\n", "An iteration ran: range(iterations) runs the loop 0 times"),
    "train: a fixed learning rate": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= 0.001 * gw\n        b -= 0.001 * gb\n    return w, b, losses\n", "That is lr = 0.001 whatever lr is given"),
    "train: uphill": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w += lr * gw\n        b += lr * gb\n    return w, b, losses\n", "w and b moved uphill"),
    "train: return inside the loop": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n        return w, b, losses\n", "indented inside the for loop"),
    "train: w and b set inside the loop": ("step09_train", "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train(X, Y, iterations, lr):\n    losses = []\n    for _ in range(iterations):\n        w = b = 0\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n    return w, b, losses\n", "set w = b = 0 before the loop"),
    "train: returns w, b as the article does": ("step09_train", TRAIN_HEAD + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n    return w, b\n", "returned two values"),
    "forecast: a fixed answer": ("step10_forecast", PARK + "def forecast(temperature, path=PARK):\n    return 543\n", "or is the answer fixed?"),
    "forecast: path ignored": ("step10_forecast", TRAIN + PARK + "def forecast(temperature, path=PARK):\n    X, Y = load(PARK)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return w * temperature + b\n", "load the file named by `path`, not PARK"),
    "forecast: park.txt from the working directory": ("step10_forecast", TRAIN + PARK + "def forecast(temperature, path='park.txt'):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return w * temperature + b\n", "Keep the PARK line as it was given"),
    "forecast: 2000 iterations": ("step10_forecast", TRAIN + PARK + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 2000, 0.001)\n    return w * temperature + b\n", "That is what 2000 iterations give: the article trains 20000."),
    "forecast: predict given one number": ("step10_forecast", TRAIN + PARK + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return predict(temperature, w, b)\n", "predict takes a list of temperatures"),
    "forecast: the list of one prediction": ("step10_forecast", TRAIN + PARK + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return predict([temperature], w, b)\n", "return the one number"),
    "f: print, not return": ("step01_parabola", "def f(x):\n    print((x - 3) ** 2 + 2)\n", "print() only shows a value"),
    "forecast: lr = 0.01": ("step10_forecast", TRAIN + PARK + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 20000, 0.01)\n    return w * temperature + b\n", "the learning rate is too large for this data"),
}

STYLES = {
    "f: times itself": ("step01_parabola", "def f(x):\n    return (x - 3) * (x - 3) + 2\n"),
    "f: pow, expanded": ("step01_parabola", "def f(x):\n    return pow(x, 2) - 6 * x + 11\n"),
    "slope: expanded": ("step02_gradient", "def gradient(x):\n    return 2 * x - 6\n"),
    "step: two lines": ("step03_step", P + "def step(x, lr):\n    gradient_step = lr * gradient(x)\n    return x - gradient_step\n"),
    "descend: while loop, tuple": ("step04_descend", "from .step03_step import step\ndef descend(x, lr, iterations):\n    out = (x,)\n    while len(out) <= iterations:\n        out += (step(out[-1], lr),)\n    return out\n"),
    "load: read, splitlines, zip": ("step05_load", "from pathlib import Path\ndef load(path):\n    rows = [list(map(float, line.split())) for line in [line for line in Path(path).read_text().splitlines() if line.strip()][1:]]\n    X, Y = zip(*rows)\n    return X, Y\n"),
    "predict: map and lambda": ("step06_predict", "def predict(X, w, b):\n    return list(map(lambda x: w * x + b, X))\n"),
    "loss: statistics.fmean": ("step07_loss", PREDICT + "import statistics\ndef loss(X, Y, w, b):\n    return statistics.fmean((p - y) ** 2 for p, y in zip(predict(X, w, b), Y))\n"),
    "loss: math.fsum, no predict": ("step07_loss", "import math\ndef loss(X, Y, w, b):\n    return math.fsum((w * x + b - y) ** 2 for x, y in zip(X, Y)) / len(X)\n"),
    "gradient: a helper, a list": ("step08_gradient", PREDICT + "def mean(values):\n    values = list(values)\n    return sum(values) / len(values)\ndef gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return [2 * mean(a * x for a, x in zip(e, X)), 2 * mean(e)]\n"),
    "train: while loop, loss after the slopes": ("step09_train", TRAIN_HEAD + "    i = 0\n    while i < iterations:\n        gw, gb = gradient(X, Y, w, b)\n        losses.append(loss(X, Y, w, b))\n        w, b = w - lr * gw, b - lr * gb\n        i += 1\n    return w, b, losses\n"),
    "forecast: keyword arguments, w·t + b": ("step10_forecast", TRAIN + PARK + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, losses = train(X, Y, lr=0.001, iterations=20000)\n    return w * temperature + b\n"),
}

@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Every variant's test outcomes, each run with all the other steps solved."""
    solved = checkpoint_sources(len(STEPS) + 1)
    jobs = []
    variants = {name: (stem, source) for name, (stem, source, *_) in {**MISTAKES, **STYLES}.items()}
    for name, (stem, source) in variants.items():
        files = {**solved, f"steps/{stem}.py": source}
        jobs.append((name, files, [f"tests/test_{stem}.py"]))
    return run_sessions(tmp_path_factory.mktemp("variants"), jobs)


@pytest.mark.parametrize("mistake", MISTAKES)
def test_the_first_message_names_the_mistake(verdicts, mistake):
    failed = [test for test in verdicts[mistake] if test["state"] != "passed"]
    assert failed, f"no test failed for: {mistake}"
    words = MISTAKES[mistake][2]
    assert words in failed[0]["message"], f"{mistake}: the learner reads first:\n{failed[0]['message']}"


@pytest.mark.parametrize("style", STYLES)
def test_the_correct_style_passes(verdicts, style):
    states = [test["state"] for test in verdicts[style]]
    assert states and all(state == "passed" for state in states), f"{style}: {verdicts[style]}"
