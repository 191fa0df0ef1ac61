"""Pairwise precision, recall and F1 of predicted clusters against the generator's true_id.

    eval.py TRUTH.csv CLUSTERS.csv     (TRUTH has record_id,true_id; CLUSTERS record_id,cluster_id)
"""

import collections
import csv
import sys


def pairs(n):
    return n * (n - 1) // 2


truth = {}
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        truth[row["record_id"]] = row["true_id"]
pred = {}
with open(sys.argv[2], newline="") as f:
    for row in csv.DictReader(f):
        pred[row["record_id"]] = row["cluster_id"]
missing = set(truth) - set(pred)
# A record the tool did not return is a cluster of its own.
for r in missing:
    pred[r] = "missing:" + r
p, t, both = collections.Counter(), collections.Counter(), collections.Counter()
for r, tid in truth.items():
    c = pred[r]
    p[c] += 1
    t[tid] += 1
    both[(c, tid)] += 1
tp = sum(pairs(n) for n in both.values())
pp = sum(pairs(n) for n in p.values())
tt = sum(pairs(n) for n in t.values())
precision = tp / pp if pp else 0.0
recall = tp / tt if tt else 0.0
f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
print(f"precision={precision:.4f} recall={recall:.4f} f1={f1:.4f} true_pairs={tt} predicted_pairs={pp} missing={len(missing)}")
