#!/usr/bin/env python3
"""Fit Loket's answer confidence (knowledge/index.cpp, Index::Confidence) on our own calibration set.

  retrieval_bench --content content --questions bench/data/calibration.jsonl --features cal.tsv
  bench/fit_confidence.py cal.tsv [--min-refused 0.92]

The label is "the top article is the expected one" (in-scope questions) and 0 for out-of-scope ones.
A logistic regression (L2, batch gradient descent, pure Python: no packages needed) is fitted on the
features; the threshold is the one with the most in-scope questions answered correctly while still
refusing at least --min-refused of the out-of-scope ones. Never run this on the public dev set.
"""
import csv
import math
import sys

FEATURES = ["blended", "coverage", "margin", "qsim", "oos", "oos_over_qsim", "prob", "prob_oos"]


def row_features(r):
    f = {k: float(r[k]) for k in ["blended", "coverage", "margin", "qsim", "oos", "prob", "prob_oos"]}
    f["oos_over_qsim"] = max(0.0, f["oos"] - f["qsim"])
    return [f[k] for k in FEATURES]


def main():
    path = sys.argv[1]
    min_refused = 0.92
    if "--min-refused" in sys.argv:
        min_refused = float(sys.argv[sys.argv.index("--min-refused") + 1])
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    xs = [row_features(r) for r in rows]
    ys = [1.0 if r["kind"] == "in" and r["correct"] == "1" else 0.0 for r in rows]
    n, k = len(xs), len(FEATURES)
    w, b, l2, lr = [0.0] * k, 0.0, 1e-3, 2.0
    for _ in range(6000):
        gw, gb = [0.0] * k, 0.0
        for x, y in zip(xs, ys):
            z = b + sum(wi * xi for wi, xi in zip(w, x))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            d = p - y
            gb += d
            for i in range(k):
                gw[i] += d * x[i]
        b -= lr * gb / n
        for i in range(k):
            w[i] -= lr * (gw[i] / n + l2 * w[i])

    def conf(x):
        return 1 / (1 + math.exp(-(b + sum(wi * xi for wi, xi in zip(w, x)))))

    scored = [(conf(x), r) for x, r in zip(xs, rows)]
    n_in = sum(r["kind"] == "in" for r in rows)
    n_oos = len(rows) - n_in
    best = None
    for t in [i / 100 for i in range(5, 96)]:
        ok = sum(1 for c, r in scored if r["kind"] == "in" and r["correct"] == "1" and c >= t)
        refused = sum(1 for c, r in scored if r["kind"] == "oos" and c < t)
        if refused / max(n_oos, 1) >= min_refused and (best is None or ok > best[1]):
            best = (t, ok, refused)
    print("bias %.3f" % b)
    for name, wi in zip(FEATURES, w):
        print("%-14s %.3f" % (name, wi))
    if best:
        t, ok, refused = best
        print("threshold %.2f: in-scope answered correctly %.1f%%, out-of-scope refused %.1f%%"
              % (t, 100 * ok / n_in, 100 * refused / n_oos))


if __name__ == "__main__":
    main()
