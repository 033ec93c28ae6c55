"""The step tests catch the slips learners really make, and accept every correct way to write a step.

Each variant below is a whole learner file, tested with every other step solved
(see sessions.py for how the many pytest sessions are run).
"""

from __future__ import annotations

from typing import Any

import pytest

from kata.core.registry import STEPS
from kata.core.stubs import checkpoint_sources
from tests.tool.sessions import Job, outcomes_for

P = "from .step02_gradient import gradient\n"
PREDICT = "from .step06_predict import predict\n"
TRAIN = "from .step05_load import load\nfrom .step06_predict import predict\nfrom .step09_train import train\n"
PARK = "from pathlib import Path\nPARK = next(p / 'park.txt' for p in Path(__file__).resolve().parents if (p / 'park.txt').is_file())\n"
LOAD_HEAD = "def load(path):\n    X, Y = [], []\n    with open(path) as file:\n"
TRAIN_HEAD = "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train(X, Y, iterations, lr):\n    w = b = 0\n    losses = []\n"

LOSS = "from .step07_loss import loss\n"

LOAD_SKIP = (
    LOAD_HEAD
    + "        next(file)\n        for line in file:\n            if line.strip():\n                a, b = line.split()\n"
)

# name: (step, the learner's whole file, words the first failing test's message must contain)
MISTAKES = {
    "f: x + 3 instead of x − 3": (
        "step01_parabola",
        "def f(x):\n    return (x + 3) ** 2 + 2\n",
        "(x + 3)? The lowest point is at x = 3",
    ),
    "f: the + 2 forgotten": (
        "step01_parabola",
        "def f(x):\n    return (x - 3) ** 2\n",
        "The + 2 is missing",
    ),
    "f: ^ for squared": (
        "step01_parabola",
        "def f(x):\n    return (x - 3) ^ 2 + 2\n",
        "^ is not 'squared'",
    ),
    "f: times 2 for squared": (
        "step01_parabola",
        "def f(x):\n    return (x - 3) * 2 + 2\n",
        "That is (x − 3) · 2, not squared",
    ),
    "f: no brackets": (
        "step01_parabola",
        "def f(x):\n    return x - 3 ** 2 + 2\n",
        "** goes first",
    ),
    "f: the stub's minus sign typed": (
        "step01_parabola",
        "def f(x):\n    return (x \u2212 3) ** 2 + 2\n",
        "type - (the minus key)",
    ),
    "f: the stub's squared sign typed": (
        "step01_parabola",
        "def f(x):\n    return (x - 3)\u00b2 + 2\n",
        "** 2",
    ),
    "f: a bracket never closed": (
        "step01_parabola",
        "def f(x):\n    return (x - 3 ** 2 + 2\n",
        "syntax error",
    ),
    "slope: factor 2 forgotten": (
        "step02_gradient",
        "def gradient(x):\n    return x - 3\n",
        "The factor 2 is missing",
    ),
    "slope: wrong sign": (
        "step02_gradient",
        "def gradient(x):\n    return 2 * (3 - x)\n",
        "The sign is flipped",
    ),
    "slope: 2x − 3": (
        "step02_gradient",
        "def gradient(x):\n    return 2 * x - 3\n",
        "the brackets are missing",
    ),
    "slope: the + 2 kept": (
        "step02_gradient",
        "def gradient(x):\n    return 2 * (x - 3) + 2\n",
        "The + 2 has no slope",
    ),
    "step: uphill": (
        "step03_step",
        P + "def step(x, lr):\n    return x + lr * gradient(x)\n",
        "That goes uphill",
    ),
    "step: a fixed learning rate": (
        "step03_step",
        P + "def step(x, lr):\n    return x - 0.1 * gradient(x)\n",
        "for lr = 0.1, whatever lr is given",
    ),
    "step: the step, not the position": (
        "step03_step",
        P + "def step(x, lr):\n    return lr * gradient(x)\n",
        "That is the gradient step lr·f′(x) itself",
    ),
    "step: the import's dot dropped": (
        "step03_step",
        "from step02_gradient import gradient\ndef step(x, lr):\n    return x - lr * gradient(x)\n",
        "Keep the leading dot: from .step02_gradient import",
    ),
    "step: lr not used": (
        "step03_step",
        P + "def step(x, lr):\n    return x - gradient(x)\n",
        "scale the slope by lr first",
    ),
    "descend: start missing": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    out = []\n    for _ in range(iterations):\n        x = step(x, lr)\n        out.append(x)\n    return out\n",
        "put the start in the list before any step",
    ),
    "descend: an iteration too many": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    out = [x]\n    for _ in range(iterations + 1):\n        x = step(x, lr)\n        out.append(x)\n    return out\n",
        "One too many",
    ),
    "descend: an iteration too few": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    out = [x]\n    for _ in range(iterations - 1):\n        x = step(x, lr)\n        out.append(x)\n    return out\n",
        "One too few: range(iterations) runs the loop exactly",
    ),
    "descend: always from the start": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    return [x] + [step(x, lr) for _ in range(iterations)]\n",
        "Every step starts from the same x",
    ),
    "descend: the list of positions never returned": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    positions = [x]\n    for _ in range(iterations):\n        x = step(x, lr)\n        positions.append(x)\n",
        "is a `return` missing?",
    ),
    "descend: a generator": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    yield x\n    for _ in range(iterations):\n        x = step(x, lr)\n        yield x\n",
        "A function with yield always returns a generator",
    ),
    "load: header read as data": (
        "step05_load",
        LOAD_HEAD
        + "        for line in file:\n            if line.strip():\n                a, b = line.split()\n                X.append(float(a)); Y.append(float(b))\n    return X, Y\n",
        "tried to turn the header line",
    ),
    "load: park.txt, not path": (
        "step05_load",
        "def load(path):\n    X, Y = [], []\n    with open('park.txt') as file:\n        next(file)\n        for line in file:\n            if line.strip():\n                a, b = line.split()\n                X.append(float(a)); Y.append(float(b))\n    return X, Y\n",
        "open the file named by `path`, not 'park.txt'",
    ),
    "load: columns swapped": (
        "step05_load",
        LOAD_SKIP + "                X.append(float(b)); Y.append(float(a))\n    return X, Y\n",
        "The columns are swapped",
    ),
    "load: int, not float": (
        "step05_load",
        LOAD_SKIP
        + "                X.append(int(float(a))); Y.append(int(float(b)))\n    return X, Y\n",
        "int(...) drops the decimals",
    ),
    "load: int() on the text": (
        "step05_load",
        LOAD_SKIP + "                X.append(int(a)); Y.append(int(b))\n    return X, Y\n",
        "int() cannot read a number with decimals",
    ),
    "load: strings, not numbers": (
        "step05_load",
        LOAD_SKIP + "                X.append(a); Y.append(b)\n    return X, Y\n",
        "the values are still text",
    ),
    "load: split on one space": (
        "step05_load",
        LOAD_HEAD
        + "        next(file)\n        for line in file:\n            if line.strip():\n                a, b = line.strip().split(' ')\n                X.append(float(a)); Y.append(float(b))\n    return X, Y\n",
        "split() with no argument splits on any run of spaces or tabs",
    ),
    "load: blank lines kept": (
        "step05_load",
        LOAD_HEAD
        + "        next(file)\n        for line in file:\n            a, b = (line.split() + ['0', '0'])[:2]\n            X.append(float(a)); Y.append(float(b))\n    return X, Y\n",
        "A blank line is no day",
    ),
    "load: rows, not columns": (
        "step05_load",
        LOAD_SKIP + "                X.append((float(a), float(b)))\n    return X\n",
        "returned a list of rows",
    ),
    "predict: X changed in place": (
        "step06_predict",
        "def predict(X, w, b):\n    for i, x in enumerate(X):\n        X[i] = x * w + b\n    return X\n",
        "don't change the data",
    ),
    "predict: the bias forgotten": (
        "step06_predict",
        "def predict(X, w, b):\n    return [x * w for x in X]\n",
        "The bias b is missing",
    ),
    "predict: w and b swapped": (
        "step06_predict",
        "def predict(X, w, b):\n    return [x * b + w for x in X]\n",
        "w and b are swapped",
    ),
    "predict: a generator": (
        "step06_predict",
        "def predict(X, w, b):\n    return (x * w + b for x in X)\n",
        "returned a generator, not a list: it can be read only once, and steps 7 and 8",
    ),
    "predict: the article's numpy line on a list": (
        "step06_predict",
        "def predict(X, w, b):\n    return X * w + b\n",
        "X * w is numpy's way",
    ),
    "predict: print, not return": (
        "step06_predict",
        "def predict(X, w, b):\n    print([x * w + b for x in X])\n",
        "is a `return` missing?",
    ),
    "predict: map": (
        "step06_predict",
        "def predict(X, w, b):\n    return map(lambda x: x * w + b, X)\n",
        "returned a map object, not a list",
    ),
    "loss: sum, not mean": (
        "step07_loss",
        PREDICT
        + "def loss(X, Y, w, b):\n    return sum((p - y) ** 2 for p, y in zip(predict(X, w, b), Y))\n",
        "14 is the sum of the squares",
    ),
    "loss: not squared": (
        "step07_loss",
        PREDICT
        + "def loss(X, Y, w, b):\n    return sum(p - y for p, y in zip(predict(X, w, b), Y)) / len(X)\n",
        "−2 is the mean of the errors without squaring",
    ),
    "loss: root of the mean": (
        "step07_loss",
        PREDICT
        + "def loss(X, Y, w, b):\n    return (sum((p - y) ** 2 for p, y in zip(predict(X, w, b), Y)) / len(X)) ** 0.5\n",
        "2.16 is the root of the mean",
    ),
    "loss: absolute error": (
        "step07_loss",
        PREDICT
        + "def loss(X, Y, w, b):\n    return sum(abs(p - y) for p, y in zip(predict(X, w, b), Y)) / len(X)\n",
        "2 is the mean absolute error",
    ),
    "loss: the mean error squared": (
        "step07_loss",
        PREDICT
        + "def loss(X, Y, w, b):\n    return (sum(p - y for p, y in zip(predict(X, w, b), Y)) / len(X)) ** 2\n",
        "4 is the square of the mean error",
    ),
    "gradient: factor 2 forgotten": (
        "step08_gradient",
        PREDICT
        + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return sum(a * x for a, x in zip(e, X)) / len(X), sum(e) / len(X)\n",
        "the factor 2 (from the square) is missing",
    ),
    "gradient: sum, not mean": (
        "step08_gradient",
        PREDICT
        + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)), 2 * sum(e)\n",
        "that is the sum, not the mean",
    ),
    "gradient: y − p": (
        "step08_gradient",
        PREDICT
        + "def gradient(X, Y, w, b):\n    e = [y - p for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)) / len(X), 2 * sum(e) / len(X)\n",
        "opposite sign: the error is p − y",
    ),
    "gradient: b left out (the article's first draft)": (
        "step08_gradient",
        PREDICT
        + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, 0), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)) / len(X), 2 * sum(e) / len(X)\n",
        "The predictions leave b out",
    ),
    "gradient: b slope times x": (
        "step08_gradient",
        PREDICT
        + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    g = 2 * sum(a * x for a, x in zip(e, X)) / len(X)\n    return g, g\n",
        "The b slope has an x in it",
    ),
    "gradient: the slopes swapped": (
        "step08_gradient",
        PREDICT
        + "def gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(e) / len(X), 2 * sum(a * x for a, x in zip(e, X)) / len(X)\n",
        "The two slopes are swapped",
    ),
    "train: b slope after w moved": (
        "step09_train",
        TRAIN_HEAD
        + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        w -= lr * gradient(X, Y, w, b)[0]\n        b -= lr * gradient(X, Y, w, b)[1]\n    return w, b, losses\n",
        "b slope computed after w had already moved",
    ),
    "train: loss after the update": (
        "step09_train",
        TRAIN_HEAD
        + "    for _ in range(iterations):\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n        losses.append(loss(X, Y, w, b))\n    return w, b, losses\n",
        "append it before you move w and b",
    ),
    "train: an iteration too many": (
        "step09_train",
        TRAIN_HEAD
        + "    for _ in range(iterations + 1):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n    return w, b, losses\n",
        "An iteration ran: range(iterations) runs the loop 0 times",
    ),
    "train: a fixed learning rate": (
        "step09_train",
        TRAIN_HEAD
        + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= 0.001 * gw\n        b -= 0.001 * gb\n    return w, b, losses\n",
        "That is lr = 0.001 whatever lr is given",
    ),
    "train: uphill": (
        "step09_train",
        TRAIN_HEAD
        + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w += lr * gw\n        b += lr * gb\n    return w, b, losses\n",
        "w and b moved uphill",
    ),
    "train: return inside the loop": (
        "step09_train",
        TRAIN_HEAD
        + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n        return w, b, losses\n",
        "indented inside the for loop",
    ),
    "train: w and b set inside the loop": (
        "step09_train",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train(X, Y, iterations, lr):\n    losses = []\n    for _ in range(iterations):\n        w = b = 0\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n    return w, b, losses\n",
        "set w = b = 0 before the loop",
    ),
    "train: returns w, b as the article does": (
        "step09_train",
        TRAIN_HEAD
        + "    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n        b -= lr * gb\n    return w, b\n",
        "returned two values",
    ),
    "forecast: a fixed answer": (
        "step10_forecast",
        PARK + "def forecast(temperature, path=PARK):\n    return 543\n",
        "or is the answer fixed?",
    ),
    "forecast: path ignored": (
        "step10_forecast",
        TRAIN
        + PARK
        + "def forecast(temperature, path=PARK):\n    X, Y = load(PARK)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return w * temperature + b\n",
        "load the file named by `path`, not PARK",
    ),
    "forecast: park.txt from the working directory": (
        "step10_forecast",
        TRAIN
        + PARK
        + "def forecast(temperature, path='park.txt'):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return w * temperature + b\n",
        "Keep the PARK lines as they were given",
    ),
    "forecast: 2000 iterations": (
        "step10_forecast",
        TRAIN
        + PARK
        + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 2000, 0.001)\n    return w * temperature + b\n",
        "That is what 2000 iterations give: the article trains 20000.",
    ),
    "forecast: predict given one number": (
        "step10_forecast",
        TRAIN
        + PARK
        + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return predict(temperature, w, b)\n",
        "predict takes a list of temperatures",
    ),
    "forecast: the list of one prediction": (
        "step10_forecast",
        TRAIN
        + PARK
        + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return predict([temperature], w, b)\n",
        "return the one number",
    ),
    "f: print, not return": (
        "step01_parabola",
        "def f(x):\n    print((x - 3) ** 2 + 2)\n",
        "print() only shows a value",
    ),
    "forecast: lr = 0.01": (
        "step10_forecast",
        TRAIN
        + PARK
        + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 20000, 0.01)\n    return w * temperature + b\n",
        "the learning rate is too large for this data",
    ),
    "numerical gradient: forward difference": (
        "step11_gradient_check",
        LOSS
        + "def numerical_gradient(X, Y, w, b, h):\n    here = loss(X, Y, w, b)\n    return (loss(X, Y, w + h, b) - here) / h, (loss(X, Y, w, b + h) - here) / h\n",
        "That is a forward difference (loss(w + h) − loss(w)) / h: off by about h/2 times the curvature",
    ),
    "numerical gradient: / 2 * h": (
        "step11_gradient_check",
        LOSS
        + "def numerical_gradient(X, Y, w, b, h):\n    return (loss(X, Y, w + h, b) - loss(X, Y, w - h, b)) / 2 * h, (loss(X, Y, w, b + h) - loss(X, Y, w, b - h)) / 2 * h\n",
        "`/ 2 * h` divides by 2, then multiplies by h",
    ),
    "numerical gradient: divided by h, not 2h": (
        "step11_gradient_check",
        LOSS
        + "def numerical_gradient(X, Y, w, b, h):\n    return (loss(X, Y, w + h, b) - loss(X, Y, w - h, b)) / h, (loss(X, Y, w, b + h) - loss(X, Y, w, b - h)) / h\n",
        "Both are twice the slope",
    ),
    "numerical gradient: both knobs nudged at once": (
        "step11_gradient_check",
        LOSS
        + "def numerical_gradient(X, Y, w, b, h):\n    slope = (loss(X, Y, w + h, b + h) - loss(X, Y, w - h, b - h)) / (2 * h)\n    return slope, slope\n",
        "Both knobs were nudged at once",
    ),
    "numerical gradient: step 8's formula, nothing measured": (
        "step11_gradient_check",
        "from .step08_gradient import gradient\ndef numerical_gradient(X, Y, w, b, h):\n    return gradient(X, Y, w, b)\n",
        "It does not measure the loss: it must nudge w and b in step 7's loss",
    ),
    "numerical gradient: w nudged again for the b slope": (
        "step11_gradient_check",
        LOSS
        + "def numerical_gradient(X, Y, w, b, h):\n    w_slope = (loss(X, Y, w + h, b) - loss(X, Y, w - h, b)) / (2 * h)\n    b_slope = (loss(X, Y, w + h, b) - loss(X, Y, w - h, b)) / (2 * h)\n    return w_slope, b_slope\n",
        "∂b equals ∂w: the b line nudges w; nudge b (b ± h)",
    ),
    "least squares: through the origin": (
        "step12_least_squares",
        "def least_squares(X, Y):\n    return sum(x * y for x, y in zip(X, Y)) / sum(x * x for x in X), 0\n",
        "That is the best line through (0, 0)",
    ),
    "least squares: b = mean of y": (
        "step12_least_squares",
        "def least_squares(X, Y):\n    n = len(X)\n    mx, my = sum(X) / n, sum(Y) / n\n    w = sum((x - mx) * (y - my) for x, y in zip(X, Y)) / sum((x - mx) ** 2 for x in X)\n    return w, my\n",
        "w is right, but b = ȳ",
    ),
    "least squares: x given y": (
        "step12_least_squares",
        "def least_squares(X, Y):\n    n = len(X)\n    mx, my = sum(X) / n, sum(Y) / n\n    w = sum((x - mx) * (y - my) for x, y in zip(X, Y)) / sum((y - my) ** 2 for y in Y)\n    return w, my - w * mx\n",
        "that is the slope for x given y",
    ),
    "least squares: equal temperatures not checked": (
        "step12_least_squares",
        "def least_squares(X, Y):\n    n = len(X)\n    mx, my = sum(X) / n, sum(Y) / n\n    w = sum((x - mx) * (y - my) for x, y in zip(X, Y)) / sum((x - mx) ** 2 for x in X)\n    return w, my - w * mx\n",
        "raised ZeroDivisionError",
    ),
    "least squares: the spread compared with 0": (
        "step12_least_squares",
        "def least_squares(X, Y):\n    n = len(X)\n    mx, my = sum(X) / n, sum(Y) / n\n    sxx = sum((x - mx) ** 2 for x in X)\n    if sxx == 0:\n        raise ValueError('every x is the same')\n    w = sum((x - mx) * (y - my) for x, y in zip(X, Y)) / sxx\n    return w, my - w * mx\n",
        "compare the temperatures themselves (min(X) == max(X)), not their spread: rounding leaves 1e-17, not 0",
    ),
    "least squares: statistics.linear_regression alone": (
        "step12_least_squares",
        "import statistics\ndef least_squares(X, Y):\n    return tuple(statistics.linear_regression(X, Y))\n",
        "compare the temperatures themselves (min(X) == max(X))",
    ),
    "least squares: covariance (n − 1) over pvariance (n)": (
        "step12_least_squares",
        "import statistics\ndef least_squares(X, Y):\n    if min(X) == max(X):\n        raise ValueError('every x is the same')\n    w = statistics.covariance(X, Y) / statistics.pvariance(X)\n    return w, statistics.fmean(Y) - w * statistics.fmean(X)\n",
        "w is n/(n − 1) times too large",
    ),
    "train until: counts the checks": (
        "step13_stopping",
        "import math\nfrom .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    for i in range(max_iterations + 1):\n        gw, gb = gradient(X, Y, w, b)\n        if math.hypot(gw, gb) < tolerance:\n            return w, b, i + 1\n        w, b = w - lr * gw, b - lr * gb\n    raise RuntimeError(f'did not converge in {max_iterations} iterations')\n",
        "That counts the checks, not the updates",
    ),
    "train until: updates, then stops": (
        "step13_stopping",
        "import math\nfrom .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    for i in range(max_iterations):\n        gw, gb = gradient(X, Y, w, b)\n        w, b = w - lr * gw, b - lr * gb\n        if math.hypot(gw, gb) < tolerance:\n            return w, b, i + 1\n    raise RuntimeError(f'did not converge in {max_iterations} iterations')\n",
        "That is one update too many",
    ),
    "train until: the squared length": (
        "step13_stopping",
        "import math\nfrom .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    for i in range(max_iterations + 1):\n        gw, gb = gradient(X, Y, w, b)\n        if gw ** 2 + gb ** 2 < tolerance:\n            return w, b, i\n        w, b = w - lr * gw, b - lr * gb\n    raise RuntimeError(f'did not converge in {max_iterations} iterations')\n",
        "the squared length",
    ),
    "train until: stops when the loss barely changes": (
        "step13_stopping",
        "import math\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    before = math.inf\n    for i in range(max_iterations + 1):\n        now = loss(X, Y, w, b)\n        if before - now < tolerance:\n            return w, b, i\n        before = now\n        gw, gb = gradient(X, Y, w, b)\n        w, b = w - lr * gw, b - lr * gb\n    raise RuntimeError(f'did not converge in {max_iterations} iterations')\n",
        "That stops when the loss barely changes",
    ),
    "train until: returns instead of raising": (
        "step13_stopping",
        "import math\nfrom .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    for i in range(max_iterations + 1):\n        gw, gb = gradient(X, Y, w, b)\n        if math.hypot(gw, gb) < tolerance or i == max_iterations:\n            return w, b, i\n        w, b = w - lr * gw, b - lr * gb\n",
        "Raise RuntimeError",
    ),
    "train until: the loss against the tolerance": (
        "step13_stopping",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    for i in range(max_iterations + 1):\n        if loss(X, Y, w, b) < tolerance:\n            return w, b, i\n        gw, gb = gradient(X, Y, w, b)\n        w, b = w - lr * gw, b - lr * gb\n    raise RuntimeError(f'did not converge in {max_iterations} iterations')\n",
        "Is it the gradient's length you compare with the tolerance (not the loss)",
    ),
    "train until: no check after the last update allowed": (
        "step13_stopping",
        "import math\nfrom .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    for i in range(max_iterations):\n        gw, gb = gradient(X, Y, w, b)\n        if math.hypot(gw, gb) < tolerance:\n            return w, b, i\n        w, b = w - lr * gw, b - lr * gb\n    raise RuntimeError(f'did not converge in {max_iterations} iterations')\n",
        "it converges after exactly 114 updates, which max_iterations = 114 allows: after the 114th update, check once more",
    ),
    "standardise: the sample spread": (
        "step14_standardise",
        "import statistics\ndef standardise(X):\n    if len(set(X)) == 1:\n        raise ValueError('every x is the same')\n    mean, spread = statistics.mean(X), statistics.stdev(X)\n    return [(x - mean) / spread for x in X], mean, spread\n",
        "That divides by the sample spread",
    ),
    "standardise: the variance, no root": (
        "step14_standardise",
        "def standardise(X):\n    n = len(X)\n    mean = sum(X) / n\n    spread = sum((x - mean) ** 2 for x in X) / n\n    return [(x - mean) / spread for x in X], mean, spread\n",
        "That divides by the variance",
    ),
    "standardise: not centred": (
        "step14_standardise",
        "def standardise(X):\n    n = len(X)\n    mean = sum(X) / n\n    spread = (sum((x - mean) ** 2 for x in X) / n) ** 0.5\n    return [x / spread for x in X], mean, spread\n",
        "subtract the mean first",
    ),
    "standardise: equal temperatures not checked": (
        "step14_standardise",
        "def standardise(X):\n    n = len(X)\n    mean = sum(X) / n\n    spread = (sum((x - mean) ** 2 for x in X) / n) ** 0.5\n    return [(x - mean) / spread for x in X], mean, spread\n",
        "raised ZeroDivisionError",
    ),
    "standardise: the spread compared with 0": (
        "step14_standardise",
        "def standardise(X):\n    n = len(X)\n    mean = sum(X) / n\n    spread = (sum((x - mean) ** 2 for x in X) / n) ** 0.5\n    if spread == 0:\n        raise ValueError('every x is the same')\n    return [(x - mean) / spread for x in X], mean, spread\n",
        "compare the temperatures themselves (min(X) == max(X)), not their spread: rounding leaves 1e-17, not 0",
    ),
    "standardise: mean and spread swapped": (
        "step14_standardise",
        "def standardise(X):\n    if min(X) == max(X):\n        raise ValueError('every x is the same')\n    n = len(X)\n    mean = sum(X) / n\n    spread = (sum((x - mean) ** 2 for x in X) / n) ** 0.5\n    return [(x - mean) / spread for x in X], spread, mean\n",
        "mean and spread swapped: return (scaled, mean, spread)",
    ),
    "train scaled: b not corrected": (
        "step15_train_scaled",
        "from .step09_train import train\nfrom .step14_standardise import standardise\ndef train_scaled(X, Y, iterations, lr):\n    scaled, mean, spread = standardise(X)\n    ws, bs, losses = train(scaled, Y, iterations, lr)\n    return ws / spread, bs, losses\n",
        "b was not corrected",
    ),
    "train scaled: not mapped back": (
        "step15_train_scaled",
        "from .step09_train import train\nfrom .step14_standardise import standardise\ndef train_scaled(X, Y, iterations, lr):\n    scaled, mean, spread = standardise(X)\n    ws, bs, losses = train(scaled, Y, iterations, lr)\n    return ws, bs, losses\n",
        "not mapped back",
    ),
    "train scaled: the sample spread to map back": (
        "step15_train_scaled",
        "import statistics\nfrom .step09_train import train\nfrom .step14_standardise import standardise\ndef train_scaled(X, Y, iterations, lr):\n    scaled, mean, spread = standardise(X)\n    ws, bs, losses = train(scaled, Y, iterations, lr)\n    s = statistics.stdev(X)\n    return ws / s, bs - ws * mean / s, losses\n",
        "maps back with the sample spread",
    ),
    "train scaled: the b correction added": (
        "step15_train_scaled",
        "from .step09_train import train\nfrom .step14_standardise import standardise\ndef train_scaled(X, Y, iterations, lr):\n    scaled, mean, spread = standardise(X)\n    ws, bs, losses = train(scaled, Y, iterations, lr)\n    return ws / spread, bs + ws * mean / spread, losses\n",
        "The b correction has the wrong sign",
    ),
    "train scaled: trained on X, then mapped back": (
        "step15_train_scaled",
        "from .step09_train import train\nfrom .step14_standardise import standardise\ndef train_scaled(X, Y, iterations, lr):\n    scaled, mean, spread = standardise(X)\n    ws, bs, losses = train(X, Y, iterations, lr)\n    return ws / spread, bs - ws * mean / spread, losses\n",
        "trained on X, not on the standardised values",
    ),
    "train scaled: train on X alone": (
        "step15_train_scaled",
        "from .step09_train import train\ndef train_scaled(X, Y, iterations, lr):\n    return train(X, Y, iterations, lr)\n",
        "trained on X, not on the standardised values",
    ),
    "momentum: the velocity forgotten each iteration": (
        "step16_momentum",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_momentum(X, Y, iterations, lr, beta):\n    w = b = 0.0\n    losses = []\n    for _ in range(iterations):\n        vw = vb = 0.0\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        vw, vb = beta * vw + gw, beta * vb + gb\n        w, b = w - lr * vw, b - lr * vb\n    return w, b, losses\n",
        "That is plain descent: the velocity must start at 0 once",
    ),
    "momentum: the averaged velocity": (
        "step16_momentum",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_momentum(X, Y, iterations, lr, beta):\n    w = b = vw = vb = 0.0\n    losses = []\n    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        vw, vb = beta * vw + (1 - beta) * gw, beta * vb + (1 - beta) * gb\n        w, b = w - lr * vw, b - lr * vb\n    return w, b, losses\n",
        "That is the averaged velocity",
    ),
    "momentum: step before the velocity": (
        "step16_momentum",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_momentum(X, Y, iterations, lr, beta):\n    w = b = vw = vb = 0.0\n    losses = []\n    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w, b = w - lr * vw, b - lr * vb\n        vw, vb = beta * vw + gw, beta * vb + gb\n    return w, b, losses\n",
        "That steps with the velocity before it takes in this iteration's slope",
    ),
    "momentum: the loss after the update": (
        "step16_momentum",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_momentum(X, Y, iterations, lr, beta):\n    w = b = vw = vb = 0.0\n    losses = []\n    for _ in range(iterations):\n        gw, gb = gradient(X, Y, w, b)\n        vw, vb = beta * vw + gw, beta * vb + gb\n        w, b = w - lr * vw, b - lr * vb\n        losses.append(loss(X, Y, w, b))\n    return w, b, losses\n",
        "each loss is measured before its update (append it first)",
    ),
    "momentum: no starting velocity": (
        "step16_momentum",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_momentum(X, Y, iterations, lr, beta):\n    w = b = 0.0\n    losses = []\n    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        vw = beta * vw + gw\n        vb = beta * vb + gb\n        w, b = w - lr * vw, b - lr * vb\n    return w, b, losses\n",
        "start both velocities at 0 before the loop",
    ),
    "sgd: the last, smaller batch dropped": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    order = list(range(len(X)))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        rng.shuffle(order)\n        for k in range(len(order) // batch_size):\n            batch = order[k * batch_size:(k + 1) * batch_size]\n            gw, gb = gradient([X[i] for i in batch], [Y[i] for i in batch], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "the last batch, 4 days, was left out: keep it, it is smaller",
    ),
    "sgd: X and Y shuffled separately": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        rng.shuffle(X)\n        rng.shuffle(Y)\n        for start in range(0, len(X), batch_size):\n            gw, gb = gradient(X[start:start + batch_size], Y[start:start + batch_size], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "each x no longer stays with its own y",
    ),
    "sgd: the short last batch cut off by the range": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    order = list(range(len(X)))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        rng.shuffle(order)\n        for start in range(0, len(order) - batch_size + 1, batch_size):\n            batch = order[start:start + batch_size]\n            gw, gb = gradient([X[i] for i in batch], [Y[i] for i in batch], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "the last batch, 4 days, was left out: keep it, it is smaller",
    ),
    "sgd: a short batch breaks the loop": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    order = list(range(len(X)))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        rng.shuffle(order)\n        for start in range(0, len(order), batch_size):\n            batch = order[start:start + batch_size]\n            if len(batch) < batch_size:\n                break\n            gw, gb = gradient([X[i] for i in batch], [Y[i] for i in batch], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "the last batch, 4 days, was left out: keep it, it is smaller",
    ),
    "sgd: copies of X and Y shuffled separately": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    X, Y = list(X), list(Y)\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        rng.shuffle(X)\n        rng.shuffle(Y)\n        for start in range(0, len(X), batch_size):\n            gw, gb = gradient(X[start:start + batch_size], Y[start:start + batch_size], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "each x must stay with its own y: shuffle the indices (or the pairs) once",
    ),
    "sgd: the caller's X and Y shuffled together in place": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        pairs = list(zip(X, Y))\n        rng.shuffle(pairs)\n        X[:], Y[:] = [x for x, _ in pairs], [y for _, y in pairs]\n        for start in range(0, len(X), batch_size):\n            gw, gb = gradient(X[start:start + batch_size], Y[start:start + batch_size], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "train_sgd reordered the caller's lists in place: shuffle a copy of the indices instead",
    ),
    "sgd: the module's random, not the seed": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random\n    order = list(range(len(X)))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        rng.shuffle(order)\n        for start in range(0, len(order), batch_size):\n            batch = order[start:start + batch_size]\n            gw, gb = gradient([X[i] for i in batch], [Y[i] for i in batch], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "the same seed must give the same batches",
    ),
    "sgd: never shuffled": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    order = list(range(len(X)))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        for start in range(0, len(order), batch_size):\n            batch = order[start:start + batch_size]\n            gw, gb = gradient([X[i] for i in batch], [Y[i] for i in batch], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "the seed changes nothing",
    ),
    "sgd: a fresh random.Random(seed) inside the epoch loop": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    order = list(range(len(X)))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        order = list(range(len(X)))\n        random.Random(seed).shuffle(order)\n        for start in range(0, len(order), batch_size):\n            batch = order[start:start + batch_size]\n            gw, gb = gradient([X[i] for i in batch], [Y[i] for i in batch], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "random.Random(seed) ran 3 times in 3 epochs: inside the epoch loop it starts the same sequence each time",
    ),
    "sgd: random.seed(seed) inside the epoch loop": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    order = list(range(len(X)))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        order = list(range(len(X)))\n        random.seed(seed)\n        random.shuffle(order)\n        for start in range(0, len(order), batch_size):\n            batch = order[start:start + batch_size]\n            gw, gb = gradient([X[i] for i in batch], [Y[i] for i in batch], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "random.seed(seed) ran 3 times in 3 epochs",
    ),
    "sgd: one shuffle before the epoch loop": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    order = list(range(len(X)))\n    random.Random(seed).shuffle(order)\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        for start in range(0, len(order), batch_size):\n            batch = order[start:start + batch_size]\n            gw, gb = gradient([X[i] for i in batch], [Y[i] for i in batch], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "the days were shuffled once in 3 epochs: a shuffle before the epoch loop is dealt once",
    ),
    "sgd: the gradient on all the days inside the batch loop": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    order = list(range(len(X)))\n    rng = random.Random(seed)\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        rng.shuffle(order)\n        for start in range(0, len(order), batch_size):\n            batch = order[start:start + batch_size]\n            gw, gb = gradient(X, Y, w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "your update does not use its batch",
    ),
    "sgd: shuffled indices, batches sliced from X itself": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    order = list(range(len(X)))\n    rng = random.Random(seed)\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        rng.shuffle(order)\n        for start in range(0, len(order), batch_size):\n            batch = order[start:start + batch_size]\n            gw, gb = gradient(X[start:start + batch_size], Y[start:start + batch_size], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "take each batch's days through the shuffled indices",
    ),
    "gradient: times y where x belongs": (
        "step08_gradient",
        "from .step06_predict import predict\ndef gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(a * y for a, y in zip(e, Y)) / len(X), 2 * sum(e) / len(X)\n",
        "The w slope multiplies each error by y, the visitors",
    ),
    "train scaled: w times the spread": (
        "step15_train_scaled",
        "from .step09_train import train\nfrom .step14_standardise import standardise\ndef train_scaled(X, Y, iterations, lr):\n    scaled, mean, spread = standardise(X)\n    ws, bs, losses = train(scaled, Y, iterations, lr)\n    w = ws * spread\n    return w, bs - w * mean, losses\n",
        "w was multiplied by the spread",
    ),
    # tried as a newcomer in watch mode (issue 18's walk), each with the first message it gets
    "f: the argument renamed, x still used": (
        "step01_parabola",
        "def f(y):\n    return (x - 3) ** 2 + 2\n",
        "x is not one of its arguments (y); the tests call f(x)",
    ),
    "f: times 2 where + 2 belongs": (
        "step01_parabola",
        "def f(x):\n    return (x - 3) ** 2 * 2\n",
        "That is (x − 3)² times 2: add the 2",
    ),
    "f: math.pow without import": (
        "step01_parabola",
        "def f(x):\n    return math.pow(x - 3, 2) + 2\n",
        "math is a module of Python's; import it at the top of the file: `import math`",
    ),
    "f: x² − 3 + 2, the bracket in the wrong place": (
        "step01_parabola",
        "def f(x):\n    return x ** 2 - 3 + 2\n",
        "That is x² − 3 + 2: the − 3 goes inside the bracket",
    ),
    "slope: f itself, not its slope": (
        "step02_gradient",
        "def gradient(x):\n    return (x - 3) ** 2\n",
        "That is (x − 3)², the height without its + 2, not its slope",
    ),
    "slope: x + 3 inside the bracket": (
        "step02_gradient",
        "def gradient(x):\n    return 2 * (x + 3)\n",
        "That is 2·(x + 3): it is x minus 3",
    ),
    "slope: divided by 2 instead of times 2": (
        "step02_gradient",
        "def gradient(x):\n    return (x - 3) / 2\n",
        "That is (x − 3) / 2: the 2 multiplies",
    ),
    "step: gradient not called": (
        "step03_step",
        "from .step02_gradient import gradient\ndef step(x, lr):\n    return x - lr * gradient\n",
        "a function without brackets is the function itself, not its answer",
    ),
    "step: gradient of lr": (
        "step03_step",
        "from .step02_gradient import gradient\ndef step(x, lr):\n    return x - lr * gradient(lr)\n",
        "That is x − lr·f′(lr): the slope is taken at x",
    ),
    "step: (x − lr)·slope": (
        "step03_step",
        "from .step02_gradient import gradient\ndef step(x, lr):\n    return (x - lr) * gradient(x)\n",
        "That is (x − lr)·f′(x)",
    ),
    "step: the import forgotten": (
        "step03_step",
        "def step(x, lr):\n    return x - lr * gradient(x)\n",
        "gradient comes from an earlier step of yours; import it at the top of the file, as the stub does: `from .step02_gradient import gradient`",
    ),
    "descend: the last position only": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    for _ in range(iterations):\n        x = step(x, lr)\n    return x\n",
        "not a list. One number: keep each answer in a list",
    ),
    "descend: step's arguments swapped": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    positions = [x]\n    for _ in range(iterations):\n        x = step(lr, x)\n        positions.append(x)\n    return positions\n",
        "step's arguments are swapped: it takes the position first",
    ),
    "descend: the function appended, not its value": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    positions = [x]\n    for _ in range(iterations):\n        x = step(x, lr)\n        positions.append(step)\n    return positions\n",
        "a list with the function step itself in it",
    ),
    "load: split on commas": (
        "step05_load",
        "def load(path):\n    X, Y = [], []\n    with open(path) as file:\n        next(file)\n        for line in file:\n            if line.strip():\n                a, b = line.split(',')\n                X.append(float(a)); Y.append(float(b))\n    return X, Y\n",
        "a row did not split into its two numbers. split() with no argument splits on any run of spaces or tabs",
    ),
    "load: the first column twice": (
        "step05_load",
        "def load(path):\n    X, Y = [], []\n    with open(path) as file:\n        next(file)\n        for line in file:\n            if line.strip():\n                parts = line.split()\n                X.append(float(parts[0])); Y.append(float(parts[0]))\n    return X, Y\n",
        "Y holds the temperatures again",
    ),
    "load: one flat list of every number": (
        "step05_load",
        "def load(path):\n    with open(path) as file:\n        next(file)\n        numbers = [float(v) for v in file.read().split()]\n    return numbers\n",
        "it returns two lists, X (the temperatures) and Y (the visitors)",
    ),
    "load: the whole line to float": (
        "step05_load",
        "def load(path):\n    X, Y = [], []\n    with open(path) as file:\n        next(file)\n        for line in file:\n            if line.strip():\n                X.append(float(line))\n    return X, Y\n",
        "float() was given a whole row",
    ),
    "predict: indices, not temperatures": (
        "step06_predict",
        "def predict(X, w, b):\n    return [x * w + b for x in range(len(X))]\n",
        "That uses the positions 0, 1, 2, … (range(len(X))), not the temperatures",
    ),
    "predict: return inside the loop": (
        "step06_predict",
        "def predict(X, w, b):\n    out = []\n    for x in X:\n        out.append(x * w + b)\n        return out\n",
        "Is the `return` indented inside the for loop?",
    ),
    "predict: the first temperature only": (
        "step06_predict",
        "def predict(X, w, b):\n    return X[0] * w + b\n",
        "returned 3 (an int), not a list. One number",
    ),
    "loss: the temperatures, not the predictions": (
        "step07_loss",
        "from .step06_predict import predict\ndef loss(X, Y, w, b):\n    return sum((x - y) ** 2 for x, y in zip(X, Y)) / len(X)\n",
        "29/3 is the mean of (x − y)²: the temperatures x stand where the predictions p belong",
    ),
    "loss: lists subtracted": (
        "step07_loss",
        "from .step06_predict import predict\ndef loss(X, Y, w, b):\n    return sum((predict(X, w, b) - Y) ** 2) / len(X)\n",
        "lists do not subtract item by item (numpy arrays do)",
    ),
    "loss: divided by n squared": (
        "step07_loss",
        "from .step06_predict import predict\ndef loss(X, Y, w, b):\n    return sum((p - y) ** 2 for p, y in zip(predict(X, w, b), Y)) / len(X) ** 2\n",
        "14/9 divides by 3² = 9",
    ),
    "gradient: e times the whole list X": (
        "step08_gradient",
        "from .step06_predict import predict\ndef gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(a * X for a in e) / len(X), 2 * sum(e) / len(X)\n",
        "a list times a number. Multiply each error by its own x",
    ),
    "gradient: only the w slope": (
        "step08_gradient",
        "from .step06_predict import predict\ndef gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)) / len(X)\n",
        "expected two numbers, (∂loss/∂w, ∂loss/∂b)",
    ),
    "gradient: predict's w and b swapped": (
        "step08_gradient",
        "from .step06_predict import predict\ndef gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, b, w), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)) / len(X), 2 * sum(e) / len(X)\n",
        "predict's w and b are swapped",
    ),
    "gradient: b slope a sum, w slope a mean": (
        "step08_gradient",
        "from .step06_predict import predict\ndef gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return 2 * sum(a * x for a, x in zip(e, X)) / len(X), 2 * sum(e)\n",
        "The b slope is the sum, not the mean (the w slope is right)",
    ),
    "train: the tuple of slopes times lr": (
        "step09_train",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train(X, Y, iterations, lr):\n    w = b = 0\n    losses = []\n    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        w = w - lr * gradient(X, Y, w, b)\n    return w, b, losses\n",
        "gradient() gives two slopes at once, (w slope, b slope). Unpack them first",
    ),
    "train: b never moves": (
        "step09_train",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train(X, Y, iterations, lr):\n    w = b = 0\n    losses = []\n    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        w -= lr * gw\n    return w, b, losses\n",
        "b never moved: move b too",
    ),
    "train: one loss, after the loop": (
        "step09_train",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train(X, Y, iterations, lr):\n    w = b = 0\n    for _ in range(iterations):\n        gw, gb = gradient(X, Y, w, b)\n        w, b = w - lr * gw, b - lr * gb\n    return w, b, [loss(X, Y, w, b)]\n",
        "A loss was recorded though no iteration ran",
    ),
    "forecast: train's lr and iterations swapped": (
        "step10_forecast",
        "from .step05_load import load\nfrom .step06_predict import predict\nfrom .step09_train import train\nfrom pathlib import Path\nPARK = next(folder / 'park.txt' for folder in Path(__file__).resolve().parents if (folder / 'park.txt').is_file())\ndef forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 0.001, 20000)\n    return w * temperature + b\n",
        "Are train's arguments in its order, train(X, Y, iterations, lr)",
    ),
    "forecast: 33 written in, not the temperature": (
        "step10_forecast",
        "from .step05_load import load\nfrom .step06_predict import predict\nfrom .step09_train import train\nfrom pathlib import Path\nPARK = next(folder / 'park.txt' for folder in Path(__file__).resolve().parents if (folder / 'park.txt').is_file())\ndef forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return predict([33], w, b)[0]\n",
        "Is the temperature used, or is the answer fixed?",
    ),
    "forecast: the bias forgotten": (
        "step10_forecast",
        "from .step05_load import load\nfrom .step06_predict import predict\nfrom .step09_train import train\nfrom pathlib import Path\nPARK = next(folder / 'park.txt' for folder in Path(__file__).resolve().parents if (folder / 'park.txt').is_file())\ndef forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(X, Y, 20000, 0.001)\n    return w * temperature\n",
        "That is w·temperature without the bias",
    ),
    "numerical gradient: nudged by 2h each way": (
        "step11_gradient_check",
        "from .step07_loss import loss\ndef numerical_gradient(X, Y, w, b, h):\n    return (loss(X, Y, w + 2 * h, b) - loss(X, Y, w - 2 * h, b)) / (2 * h), (loss(X, Y, w, b + 2 * h) - loss(X, Y, w, b - 2 * h)) / (2 * h)\n",
        "Both are twice the slope: divide the change in the loss by the distance between the two nudges",
    ),
    "numerical gradient: the b slope divided by h only": (
        "step11_gradient_check",
        "from .step07_loss import loss\ndef numerical_gradient(X, Y, w, b, h):\n    return (loss(X, Y, w + h, b) - loss(X, Y, w - h, b)) / (2 * h), (loss(X, Y, w, b + h) - loss(X, Y, w, b - h)) / h\n",
        "The b slope is twice the slope (the w slope is right)",
    ),
    "numerical gradient: the size of the change (abs)": (
        "step11_gradient_check",
        "from .step07_loss import loss\ndef numerical_gradient(X, Y, w, b, h):\n    return abs(loss(X, Y, w + h, b) - loss(X, Y, w - h, b)) / (2 * h), abs(loss(X, Y, w, b + h) - loss(X, Y, w, b - h)) / (2 * h)\n",
        "Both lost their sign: abs() keeps the size of the change",
    ),
    "least squares: // for the division": (
        "step12_least_squares",
        "def least_squares(X, Y):\n    if min(X) == max(X):\n        raise ValueError('same')\n    mx, my = sum(X) / len(X), sum(Y) / len(Y)\n    w = sum((x - mx) * (y - my) for x, y in zip(X, Y)) // sum((x - mx) ** 2 for x in X)\n    return w, my - w * mx\n",
        "That is w = 5 // 2 = 2: // divides and rounds down",
    ),
    "least squares: the sums squared, not the squares summed": (
        "step12_least_squares",
        "def least_squares(X, Y):\n    if min(X) == max(X):\n        raise ValueError('same')\n    mx, my = sum(X) / len(X), sum(Y) / len(Y)\n    w = sum((x - mx) * (y - my) for x, y in zip(X, Y)) / sum(x - mx for x in X) ** 2\n    return w, my - w * mx\n",
        "is the denominator Σ(x − x̄)², each distance squared and then summed?",
    ),
    "least squares: the mean of x from Y": (
        "step12_least_squares",
        "def least_squares(X, Y):\n    if min(X) == max(X):\n        raise ValueError('same')\n    mx, my = sum(Y) / len(Y), sum(Y) / len(Y)\n    w = sum((x - mx) * (y - my) for x, y in zip(X, Y)) / sum((x - mx) ** 2 for x in X)\n    return w, my - w * mx\n",
        "x̄ was taken over Y",
    ),
    "train until: (w, b) only, no count": (
        "step13_stopping",
        "import math\nfrom .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    for i in range(max_iterations + 1):\n        gw, gb = gradient(X, Y, w, b)\n        if math.hypot(gw, gb) < tolerance:\n            return w, b\n        w, b = w - lr * gw, b - lr * gb\n    raise RuntimeError('no')\n",
        "expected (w, b, iterations)",
    ),
    "train until: > where < belongs": (
        "step13_stopping",
        "import math\nfrom .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    for i in range(max_iterations + 1):\n        gw, gb = gradient(X, Y, w, b)\n        if math.hypot(gw, gb) > tolerance:\n            return w, b, i\n        w, b = w - lr * gw, b - lr * gb\n    raise RuntimeError('no')\n",
        "It stopped at once, before any update: the test runs the other way",
    ),
    "train until: |∂w| + |∂b| for the length": (
        "step13_stopping",
        "from .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    for i in range(max_iterations + 1):\n        gw, gb = gradient(X, Y, w, b)\n        if abs(gw) + abs(gb) < tolerance:\n            return w, b, i\n        w, b = w - lr * gw, b - lr * gb\n    raise RuntimeError('no')\n",
        "That stops on |∂w| + |∂b|, the sizes added up",
    ),
    "standardise: statistics without import": (
        "step14_standardise",
        "def standardise(X):\n    if min(X) == max(X):\n        raise ValueError('same')\n    mean, spread = statistics.fmean(X), statistics.pstdev(X)\n    return [(x - mean) / spread for x in X], mean, spread\n",
        "statistics is a module of Python's; import it at the top of the file",
    ),
    "standardise: the scaled list only": (
        "step14_standardise",
        "def standardise(X):\n    if min(X) == max(X):\n        raise ValueError('same')\n    n = len(X)\n    mean = sum(X) / n\n    spread = (sum((x - mean) ** 2 for x in X) / n) ** 0.5\n    return [(x - mean) / spread for x in X]\n",
        "expected (scaled, mean, spread)",
    ),
    "standardise: divided by the range": (
        "step14_standardise",
        "def standardise(X):\n    if min(X) == max(X):\n        raise ValueError('same')\n    mean = sum(X) / len(X)\n    spread = max(X) - min(X)\n    return [(x - mean) / spread for x in X], mean, spread\n",
        "That divides by the range max − min",
    ),
    "standardise: the square of the sum of distances": (
        "step14_standardise",
        "def standardise(X):\n    if min(X) == max(X):\n        raise ValueError('same')\n    n = len(X)\n    mean = sum(X) / n\n    spread = (sum(x - mean for x in X) ** 2 / n) ** 0.5\n    return [(x - mean) / spread for x in X], mean, spread\n",
        "each distance x − mean squared first? The distances themselves add up to 0",
    ),
    "train scaled: standardise unpacked into two": (
        "step15_train_scaled",
        "from .step09_train import train\nfrom .step14_standardise import standardise\ndef train_scaled(X, Y, iterations, lr):\n    scaled, spread = standardise(X)\n    ws, bs, losses = train(scaled, Y, iterations, lr)\n    return ws / spread, bs, losses\n",
        "standardise returns three things, (scaled, mean, spread)",
    ),
    "train scaled: train's arguments swapped": (
        "step15_train_scaled",
        "from .step09_train import train\nfrom .step14_standardise import standardise\ndef train_scaled(X, Y, iterations, lr):\n    scaled, mean, spread = standardise(X)\n    ws, bs, losses = train(scaled, Y, lr, iterations)\n    return ws / spread, bs - ws * mean / spread, losses\n",
        "Are train's arguments in its order, train(scaled, Y, iterations, lr)?",
    ),
    "train scaled: the losses left out": (
        "step15_train_scaled",
        "from .step09_train import train\nfrom .step14_standardise import standardise\ndef train_scaled(X, Y, iterations, lr):\n    scaled, mean, spread = standardise(X)\n    ws, bs, losses = train(scaled, Y, iterations, lr)\n    return ws / spread, bs - ws * mean / spread\n",
        "expected (w, b, losses)",
    ),
    "momentum: lr inside the velocity and again in the step": (
        "step16_momentum",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_momentum(X, Y, iterations, lr, beta):\n    w = b = vw = vb = 0.0\n    losses = []\n    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        vw, vb = beta * vw + lr * gw, beta * vb + lr * gb\n        w, b = w - lr * vw, b - lr * vb\n    return w, b, losses\n",
        "lr is taken twice",
    ),
    "momentum: one velocity for both": (
        "step16_momentum",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_momentum(X, Y, iterations, lr, beta):\n    w = b = v = 0.0\n    losses = []\n    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        v = beta * v + gw + gb\n        w, b = w - lr * v, b - lr * v\n    return w, b, losses\n",
        "w and b share one velocity",
    ),
    "momentum: beta on the slope, not on the velocity": (
        "step16_momentum",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_momentum(X, Y, iterations, lr, beta):\n    w = b = vw = vb = 0.0\n    losses = []\n    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        vw, vb = vw + beta * gw, vb + beta * gb\n        w, b = w - lr * vw, b - lr * vb\n    return w, b, losses\n",
        "beta multiplies the slope instead of the velocity",
    ),
    "sgd: a loss after every batch": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    order = list(range(len(X)))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        rng.shuffle(order)\n        for start in range(0, len(order), batch_size):\n            losses.append(loss(X, Y, w, b))\n            batch = order[start:start + batch_size]\n            gw, gb = gradient([X[i] for i in batch], [Y[i] for i in batch], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "one loss per epoch, on all the data, before its first batch",
    ),
    "sgd: the slice ends at batch_size": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    order = list(range(len(X)))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        rng.shuffle(order)\n        for start in range(0, len(order), batch_size):\n            batch = order[start:batch_size]\n            gw, gb = gradient([X[i] for i in batch], [Y[i] for i in batch], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "a batch with no days in it reached gradient()",
    ),
    "sgd: X indexed by the list of indices": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    order = list(range(len(X)))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        rng.shuffle(order)\n        for start in range(0, len(order), batch_size):\n            batch = order[start:start + batch_size]\n            gw, gb = gradient(X[batch], Y[batch], w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "a Python list takes one index at a time",
    ),
    "slope: 2(x − 3), no times sign": (
        "step02_gradient",
        "def gradient(x):\n    return 2(x - 3)\n",
        "asks Python to call the number as a function: write the times sign, 2 * (x - 3)",
    ),
    "descend: the list replaced by append's None": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    positions = [x]\n    for _ in range(iterations):\n        x = step(x, lr)\n        positions = positions.append(x)\n    return positions\n",
        "`positions = positions.append(...)` makes positions None",
    ),
    "load: split on newlines, the empty row after the last one kept": (
        "step05_load",
        "def load(path):\n    X, Y = [], []\n    with open(path) as f:\n        for line in f.read().split('\\n')[1:]:\n            a, b = line.split()\n            X.append(float(a)); Y.append(float(b))\n    return X, Y\n",
        "a row was empty, so it split into nothing",
    ),
    "predict: + b added to the list of products": (
        "step06_predict",
        "def predict(X, w, b):\n    return [x * w for x in X] + b\n",
        "+ b was added to the whole list of products",
    ),
    "train: the losses list made inside the loop": (
        "step09_train",
        LOSS
        + "from .step08_gradient import gradient\ndef train(X, Y, iterations, lr):\n    w = b = 0.0\n    for _ in range(iterations):\n        losses = [loss(X, Y, w, b)]\n        gw, gb = gradient(X, Y, w, b)\n        w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "make the list once, before the loop, losses = []",
    ),
    "train: the losses list made again in each iteration": (
        "step09_train",
        LOSS
        + "from .step08_gradient import gradient\ndef train(X, Y, iterations, lr):\n    w = b = 0.0\n    losses = []\n    for _ in range(iterations):\n        losses = [loss(X, Y, w, b)]\n        gw, gb = gradient(X, Y, w, b)\n        w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
        "recorded 1 loss, expected 2: one per iteration. The one loss kept is the last iteration's",
    ),
    "forecast: the columns swapped": (
        "step10_forecast",
        TRAIN
        + PARK
        + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, _ = train(Y, X, 20000, 0.001)\n    return predict([temperature], w, b)[0]\n",
        "forecast gave train the visitors as X and the temperatures as Y: the columns are swapped",
    ),
    "forecast: train's three answers unpacked into two": (
        "step10_forecast",
        TRAIN
        + PARK
        + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b = train(X, Y, 20000, 0.001)\n    return predict([temperature], w, b)[0]\n",
        "train returns three things, (w, b, losses): unpack all three",
    ),
    "train scaled: standardise's answers kept in one name": (
        "step15_train_scaled",
        "from .step09_train import train\nfrom .step14_standardise import standardise\ndef train_scaled(X, Y, iterations, lr):\n    Xs = standardise(X)\n    w, b, losses = train(Xs, Y, iterations, lr)\n    return w, b, losses\n",
        "`Xs = standardise(...)` keeps all three of standardise's answers together in one tuple",
    ),
    "least squares: all-equal checked on the first and last x only": (
        "step12_least_squares",
        "def least_squares(X, Y):\n    if X[0] == X[-1]:\n        raise ValueError('every x is the same')\n    n = len(X)\n    mx, my = sum(X) / n, sum(Y) / n\n    w = sum((x - mx) * (y - my) for x, y in zip(X, Y)) / sum((x - mx) ** 2 for x in X)\n    return w, my - w * mx\n",
        "raised ValueError (every x is the same) though the x differ (X = [1.0, 2.0, 1.0])",
    ),
    "standardise: the scaled list returned last": (
        "step14_standardise",
        "def standardise(X):\n    m = sum(X) / len(X)\n    s = (sum((x - m) ** 2 for x in X) / len(X)) ** 0.5\n    if s == 0:\n        raise ValueError('no spread')\n    return m, s, [(x - m) / s for x in X]\n",
        "returned (the mean, the spread, a list), the list at place 3 of 3; the order is (scaled, mean, spread)",
    ),
    "momentum: beta on the slope too, beta·(velocity + gradient)": (
        "step16_momentum",
        LOSS
        + "from .step08_gradient import gradient\ndef train_momentum(X, Y, iterations, lr, beta):\n    w = b = vw = vb = 0.0\n    losses = []\n    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        vw, vb = beta * (vw + gw), beta * (vb + gb)\n        w, b = w - lr * vw, b - lr * vb\n    return w, b, losses\n",
        "beta multiplies the slope too, velocity = beta·(velocity + gradient): the same method with lr·beta",
    ),
}

STYLES = {
    "f: times itself": ("step01_parabola", "def f(x):\n    return (x - 3) * (x - 3) + 2\n"),
    "f: pow, expanded": ("step01_parabola", "def f(x):\n    return pow(x, 2) - 6 * x + 11\n"),
    "slope: expanded": ("step02_gradient", "def gradient(x):\n    return 2 * x - 6\n"),
    "step: two lines": (
        "step03_step",
        P
        + "def step(x, lr):\n    gradient_step = lr * gradient(x)\n    return x - gradient_step\n",
    ),
    "descend: while loop, tuple": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    out = (x,)\n    while len(out) <= iterations:\n        out += (step(out[-1], lr),)\n    return out\n",
    ),
    "load: read, splitlines, zip": (
        "step05_load",
        "from pathlib import Path\ndef load(path):\n    rows = [list(map(float, line.split())) for line in [line for line in Path(path).read_text().splitlines() if line.strip()][1:]]\n    X, Y = zip(*rows)\n    return X, Y\n",
    ),
    "load: the first line is the header, then blank lines skipped": (
        "step05_load",
        LOAD_SKIP + "                X.append(float(a)); Y.append(float(b))\n    return X, Y\n",
    ),
    "load: blank lines dropped first, then the header": (
        "step05_load",
        "def load(path):\n    with open(path) as file:\n        lines = [line for line in file if line.strip()]\n    rows = [line.split() for line in lines[1:]]\n    return [float(a) for a, _ in rows], [float(b) for _, b in rows]\n",
    ),
    "predict: map and lambda": (
        "step06_predict",
        "def predict(X, w, b):\n    return list(map(lambda x: w * x + b, X))\n",
    ),
    "loss: statistics.fmean": (
        "step07_loss",
        PREDICT
        + "import statistics\ndef loss(X, Y, w, b):\n    return statistics.fmean((p - y) ** 2 for p, y in zip(predict(X, w, b), Y))\n",
    ),
    "descend: recursive": (
        "step04_descend",
        "from .step03_step import step\ndef descend(x, lr, iterations):\n    if iterations == 0:\n        return [x]\n    return [x] + descend(step(x, lr), lr, iterations - 1)\n",
    ),
    "descend: itertools.accumulate": (
        "step04_descend",
        "import itertools\nfrom .step03_step import step\ndef descend(x, lr, iterations):\n    return list(itertools.accumulate(range(iterations), lambda x, _: step(x, lr), initial=x))\n",
    ),
    "standardise: statistics.pvariance, exact, so 0 when every x is the same": (
        "step14_standardise",
        "import math\nimport statistics\ndef standardise(X):\n    spread = math.sqrt(statistics.pvariance(X))\n    if spread == 0:\n        raise ValueError('no spread')\n    mean = statistics.mean(X)\n    return [(x - mean) / spread for x in X], mean, spread\n",
    ),
    "loss: statistics.mean of pow (exact, slow)": (
        "step07_loss",
        PREDICT
        + "import statistics\ndef loss(X, Y, w, b):\n    return statistics.mean(pow(y - p, 2) for y, p in zip(Y, predict(X, w, b)))\n",
    ),
    "loss: math.fsum, no predict": (
        "step07_loss",
        "import math\ndef loss(X, Y, w, b):\n    return math.fsum((w * x + b - y) ** 2 for x, y in zip(X, Y)) / len(X)\n",
    ),
    "gradient: a helper, a list": (
        "step08_gradient",
        PREDICT
        + "def mean(values):\n    values = list(values)\n    return sum(values) / len(values)\ndef gradient(X, Y, w, b):\n    e = [p - y for p, y in zip(predict(X, w, b), Y)]\n    return [2 * mean(a * x for a, x in zip(e, X)), 2 * mean(e)]\n",
    ),
    "train: while loop, loss after the slopes": (
        "step09_train",
        TRAIN_HEAD
        + "    i = 0\n    while i < iterations:\n        gw, gb = gradient(X, Y, w, b)\n        losses.append(loss(X, Y, w, b))\n        w, b = w - lr * gw, b - lr * gb\n        i += 1\n    return w, b, losses\n",
    ),
    "forecast: keyword arguments, w·t + b": (
        "step10_forecast",
        TRAIN
        + PARK
        + "def forecast(temperature, path=PARK):\n    X, Y = load(path)\n    w, b, losses = train(X, Y, lr=0.001, iterations=20000)\n    return w * temperature + b\n",
    ),
    "numerical gradient: a helper, half nudges": (
        "step11_gradient_check",
        LOSS
        + "def slope(f, at, h):\n    return (f(at + h / 2) - f(at - h / 2)) / h\ndef numerical_gradient(X, Y, w, b, h):\n    return slope(lambda v: loss(X, Y, v, b), w, h), slope(lambda v: loss(X, Y, w, v), b, h)\n",
    ),
    "least squares: statistics.linear_regression, all-equal x checked first": (
        "step12_least_squares",
        "import statistics\ndef least_squares(X, Y):\n    if len(set(X)) == 1:\n        raise ValueError('every x is the same')\n    return tuple(statistics.linear_regression(X, Y))\n",
    ),
    "least squares: covariance over variance, both n − 1": (
        "step12_least_squares",
        "import statistics\ndef least_squares(X, Y):\n    if min(X) == max(X):\n        raise ValueError('every x is the same')\n    w = statistics.covariance(X, Y) / statistics.variance(X)\n    return w, statistics.fmean(Y) - w * statistics.fmean(X)\n",
    ),
    "numerical gradient: step 7's loss under another name": (
        "step11_gradient_check",
        "from .step07_loss import loss as mse\ndef numerical_gradient(X, Y, w, b, h):\n    return (mse(X, Y, w + h, b) - mse(X, Y, w - h, b)) / (2 * h), (mse(X, Y, w, b + h) - mse(X, Y, w, b - h)) / (2 * h)\n",
    ),
    "least squares: sums, the normal equations": (
        "step12_least_squares",
        "def least_squares(X, Y):\n    n, sx, sy = len(X), sum(X), sum(Y)\n    sxx, sxy = sum(x * x for x in X), sum(x * y for x, y in zip(X, Y))\n    d = n * sxx - sx * sx\n    if d == 0:\n        raise ValueError('all x equal')\n    w = (n * sxy - sx * sy) / d\n    return w, (sy - w * sx) / n\n",
    ),
    "train until: a for loop with else, squares against tolerance squared": (
        "step13_stopping",
        "from .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    for done in range(max_iterations + 1):\n        gw, gb = gradient(X, Y, w, b)\n        if (gw * gw + gb * gb) ** 0.5 < tolerance:\n            break\n        if done < max_iterations:\n            w, b = w - lr * gw, b - lr * gb\n    else:\n        raise RuntimeError('did not converge in %d iterations' % max_iterations)\n    return w, b, done\n",
    ),
    "standardise: statistics.fmean and pstdev": (
        "step14_standardise",
        "import statistics\ndef standardise(X):\n    mean, spread = statistics.fmean(X), statistics.pstdev(X)\n    if spread == 0:\n        raise ValueError('no spread')\n    return [(x - mean) / spread for x in X], mean, spread\n",
    ),
    "train scaled: read the line off two predictions": (
        "step15_train_scaled",
        "from .step09_train import train\nfrom .step14_standardise import standardise\ndef train_scaled(X, Y, iterations, lr):\n    scaled, mean, spread = standardise(X)\n    ws, bs, losses = train(scaled, Y, iterations, lr)\n    at_0, at_1 = ((x - mean) / spread * ws + bs for x in (0.0, 1.0))\n    return at_1 - at_0, at_0, losses\n",
    ),
    "momentum: the velocity as a step, v = beta·v − lr·gradient": (
        "step16_momentum",
        "from .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_momentum(X, Y, iterations, lr, beta):\n    w = b = vw = vb = 0.0\n    losses = []\n    for _ in range(iterations):\n        losses.append(loss(X, Y, w, b))\n        gw, gb = gradient(X, Y, w, b)\n        vw, vb = beta * vw - lr * gw, beta * vb - lr * gb\n        w, b = w + vw, b + vb\n    return w, b, losses\n",
    ),
    "sgd: pairs, rng.sample, slices": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    pairs = list(zip(X, Y))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        days = rng.sample(pairs, len(pairs))\n        while days:\n            batch, days = days[:batch_size], days[batch_size:]\n            xs, ys = zip(*batch)\n            gw, gb = gradient(list(xs), list(ys), w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
    ),
    "sgd: a shuffled copy of the pairs": (
        "step17_sgd",
        "import random\nfrom .step07_loss import loss\nfrom .step08_gradient import gradient\ndef train_sgd(X, Y, epochs, lr, batch_size, seed):\n    rng = random.Random(seed)\n    pairs = list(zip(X, Y))\n    w = b = 0.0\n    losses = []\n    for _ in range(epochs):\n        losses.append(loss(X, Y, w, b))\n        rng.shuffle(pairs)\n        for start in range(0, len(pairs), batch_size):\n            xs = [x for x, _ in pairs[start:start + batch_size]]\n            ys = [y for _, y in pairs[start:start + batch_size]]\n            gw, gb = gradient(xs, ys, w, b)\n            w, b = w - lr * gw, b - lr * gb\n    return w, b, losses\n",
    ),
    "train until: RuntimeError with a message of its own": (
        "step13_stopping",
        "import math\nfrom .step08_gradient import gradient\ndef train_until(X, Y, lr, tolerance, max_iterations):\n    w = b = 0.0\n    for i in range(max_iterations + 1):\n        gw, gb = gradient(X, Y, w, b)\n        if math.hypot(gw, gb) < tolerance:\n            return w, b, i\n        if i < max_iterations:\n            w, b = w - lr * gw, b - lr * gb\n    raise RuntimeError('did not converge')\n",
    ),
}


def session_jobs() -> list[Job]:
    """Every variant, with all the other steps solved, and the tests of its step."""
    solved = checkpoint_sources(len(STEPS) + 1)
    jobs = []
    variants = {name: (stem, source) for name, (stem, source, *_) in {**MISTAKES, **STYLES}.items()}
    for name, (stem, source) in variants.items():
        files = {**solved, f"steps/{stem}.py": source}
        jobs.append((name, files, [f"tests/test_{stem}.py"]))
    return jobs


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Every variant's test outcomes, each run with all the other steps solved."""
    return outcomes_for(__name__, tmp_path_factory.mktemp("variants"), session_jobs)


@pytest.mark.parametrize("mistake", MISTAKES)
def test_the_first_message_names_the_mistake(verdicts, mistake):
    failed = [test for test in verdicts[mistake] if test["state"] != "passed"]
    assert failed, f"no test failed for: {mistake}"
    words = MISTAKES[mistake][2]
    assert words in failed[0]["message"], (
        f"{mistake}: the learner reads first:\n{failed[0]['message']}"
    )


@pytest.mark.parametrize("style", STYLES)
def test_the_correct_style_passes(verdicts, style):
    states = [test["state"] for test in verdicts[style]]
    assert states and all(state == "passed" for state in states), f"{style}: {verdicts[style]}"
