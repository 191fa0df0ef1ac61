"""Splink 5 (DuckDB) baseline for `sinergi dedup`, configured as Splink's documentation recommends.

Input: the CSV of `sinergi gen umkm --normalised` (Sinergi's normalised columns: name_norm,
owner_norm, phone_norm, nik_norm, nib_norm, desa_norm, kecamatan_norm), so Splink compares the
same normalised values Sinergi does. Output: record_id,cluster_id at the same threshold.

    splink_dedup.py INPUT.csv OUTPUT.csv [--threshold 0.9] [--extra-thresholds 0.5,0.8,0.95,0.99]

Extra thresholds are clustered after the timed run (printed, for the table's "Splink at its
best threshold" row) and written as OUTPUT.<t>.csv.
"""

import argparse
import collections
import time

import duckdb
import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

ap = argparse.ArgumentParser()
ap.add_argument("input")
ap.add_argument("output")
ap.add_argument("--threshold", type=float, default=0.9)
ap.add_argument("--extra-thresholds", default="")
ap.add_argument("--max-pairs", type=float, default=5e6)
args = ap.parse_args()

t0 = time.time()
cols = ["record_id", "name_norm", "owner_norm", "phone_norm", "nik_norm", "nib_norm", "desa_norm",
        "kecamatan_norm", "kbli"]
df = pd.read_csv(args.input, dtype=str, keep_default_na=False, usecols=cols)
df = df.replace({"": None})

# Blocking on name words within a kecamatan, as Sinergi does: each record's two rarest business
# name words (by how many records use them) and its owner's rarest word, exploded by Splink.
words = df["name_norm"].fillna("").str.split()
freq = collections.Counter(w for ws in words for w in set(ws))
df["name_rare"] = [sorted(set(ws), key=lambda w: (freq[w], w))[:2] or None for ws in words]
owners = df["owner_norm"].fillna("").str.split()
ofreq = collections.Counter(w for ws in owners for w in set(ws))
df["owner_rare"] = [min(ws, key=lambda w: (ofreq[w], w)) if ws else None for ws in owners]

settings = SettingsCreator(
    link_type="dedupe_only",
    unique_id_column_name="record_id",
    comparisons=[
        cl.NameComparison("name_norm").configure(term_frequency_adjustments=True),
        cl.NameComparison("owner_norm").configure(term_frequency_adjustments=True),
        cl.LevenshteinAtThresholds("nik_norm", 2),
        cl.ExactMatch("nib_norm"),
        cl.LevenshteinAtThresholds("phone_norm", 1),
        cl.JaroWinklerAtThresholds("desa_norm", [0.88]),
        cl.ExactMatch("kecamatan_norm"),
        cl.ExactMatch("kbli"),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("nik_norm"),
        block_on("nib_norm"),
        block_on("phone_norm"),
        block_on("kecamatan_norm", "name_rare", arrays_to_explode=["name_rare"]),
        block_on("kecamatan_norm", "owner_rare"),
    ],
    retain_intermediate_calculation_columns=False,
    retain_matching_columns=False,
)

con = duckdb.connect()
db_api = DuckDBAPI(connection=con)
sdf = db_api.register(df, table_name="umkm")
linker = Linker(sdf, settings)

linker.training.estimate_probability_two_random_records_match(
    [block_on("nik_norm", "name_norm"), block_on("phone_norm", "name_norm")], recall=0.7
)
linker.training.estimate_u_using_random_sampling(max_pairs=args.max_pairs, seed=1)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("kecamatan_norm", "name_norm"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone_norm"))

predictions = linker.inference.predict(threshold_match_probability=0.3)
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
    predictions, threshold_match_probability=args.threshold
)
out = clusters.as_pandas_dataframe()[["record_id", "cluster_id"]]
out.to_csv(args.output, index=False)
elapsed = time.time() - t0
print(f"splink: {len(df)} records, {out['cluster_id'].nunique()} clusters, {elapsed:.1f}s", flush=True)

for t in [float(x) for x in args.extra_thresholds.split(",") if x]:
    c = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold_match_probability=t)
    c.as_pandas_dataframe()[["record_id", "cluster_id"]].to_csv(f"{args.output}.{t}.csv", index=False)
