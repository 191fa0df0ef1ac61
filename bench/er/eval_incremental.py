"""Accuracy of `sinergi dedup --registry` decisions for a new file.

    eval_incremental.py FULL.csv DECISIONS.csv

FULL has record_id,true_id for the registry and the new rows; DECISIONS has record_id,
cluster_id,outcome (cluster ids are registry record ids). An auto link is right when the new
record's business is the cluster's business; "new" is right when no registry row has the business.
"""

import collections
import csv
import sys

truth = {}
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        truth[row["record_id"]] = row["true_id"]
decisions = list(csv.DictReader(open(sys.argv[2], newline="")))
new_ids = {d["record_id"] for d in decisions}
known = {t for r, t in truth.items() if r not in new_ids}
count = collections.Counter()
for d in decisions:
    t = truth[d["record_id"]]
    outcome = d["outcome"]
    count[outcome] += 1
    linked_to_other = d["cluster_id"] != d["record_id"]
    if outcome == "auto":
        count["auto_right"] += truth[d["cluster_id"]] == t
    elif outcome == "new":
        count["new_right"] += t not in known
    count["in_registry"] += t in known
    count["linked_right"] += linked_to_other and truth[d["cluster_id"]] == t
n = len(decisions)
print(f"new file: {n} rows, {count['in_registry']} of a business already in the registry; "
      f"auto {count['auto']} ({count['auto_right'] / max(count['auto'], 1):.4f} right), "
      f"review {count['review']}, new {count['new']} ({count['new_right'] / max(count['new'], 1):.4f} right)")
