//! `sinergi dedup` and `sinergi gen umkm`: entity resolution and generated UMKM records, on
//! files alone (no configuration, no database).

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use sinergi_engines::er::{self, ErRecord, Index, Model, Outcome, Thresholds, TrainOptions, normalize};

#[derive(Args)]
pub struct DedupArgs {
    /// CSV with the columns record_id, source, business_name, owner_name, nik, nib, phone, address,
    /// desa, kecamatan, kabupaten_kota, kbli, omzet_raw (found by header name; others ignored).
    #[arg(long)]
    pub input: PathBuf,
    /// Where to write record_id,cluster_id (with --registry: one row per new record, with its
    /// outcome, probability and best match).
    #[arg(long)]
    pub output: PathBuf,
    /// Incremental mode: the registry already held. It is indexed (and the model trained on it
    /// unless --model is given), then --input is added to it as a new file.
    #[arg(long)]
    pub registry: Option<PathBuf>,
    /// A trained model (JSON) to use instead of training on the data.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Write the model used to this file (JSON).
    #[arg(long)]
    pub save_model: Option<PathBuf>,
    /// Match probability at or above which records are linked automatically.
    #[arg(long, default_value_t = Thresholds::default().auto_link)]
    pub auto_link: f64,
    /// Match probability at or above which a pair goes to the review queue.
    #[arg(long, default_value_t = Thresholds::default().review)]
    pub review: f64,
    /// Write the review-band pairs here: record_id_a,record_id_b,probability.
    #[arg(long)]
    pub review_output: Option<PathBuf>,
    /// Seed of the random pairs used to train the model.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

#[derive(Subcommand)]
pub enum GenCommand {
    /// Noisy UMKM records of Kabupaten Serang with a true_id column (the ground truth).
    Umkm(GenUmkmArgs),
}

#[derive(Args)]
pub struct GenUmkmArgs {
    #[arg(long)]
    pub records: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long)]
    pub output: PathBuf,
    /// Also write the columns as Sinergi's normalisers see them (name_norm, owner_norm,
    /// phone_norm, nik_norm, nib_norm, desa_norm, kecamatan_norm): the same normalisation for
    /// another tool, such as the Splink baseline.
    #[arg(long)]
    pub normalised: bool,
}

/// The records of a CSV file, read one row at a time (a registry of a million rows is never
/// held as `ErRecord`s: the index keeps only its compact features).
fn record_reader(path: &Path) -> anyhow::Result<impl Iterator<Item = anyhow::Result<ErRecord>>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(BufReader::new(file));
    let headers: Vec<String> = reader
        .headers()
        .with_context(|| format!("reading {}", path.display()))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    if !headers.iter().any(|h| h == "record_id") {
        bail!("{}: no record_id column (columns: {})", path.display(), headers.join(", "));
    }
    let column = |name: &str| headers.iter().position(|h| h == name);
    let positions: Vec<(&str, Option<usize>)> = er::COLUMNS.iter().map(|c| (*c, column(c))).collect();
    let path = path.to_owned();
    Ok(reader.into_records().enumerate().map(move |(line, row)| {
        let row = row.with_context(|| format!("{} row {}", path.display(), line + 2))?;
        let get = |c: &str| positions.iter().find(|(n, _)| *n == c).and_then(|(_, i)| i.and_then(|i| row.get(i)));
        let record = ErRecord::from_lookup(get);
        if record.record_id.is_empty() {
            bail!("{} row {}: empty record_id", path.display(), line + 2);
        }
        Ok(record)
    }))
}

fn read_records(path: &Path) -> anyhow::Result<Vec<ErRecord>> {
    record_reader(path)?.collect()
}

fn read_model(path: &Path) -> anyhow::Result<Model> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a Sinergi ER model", path.display()))
}

fn write_model(path: &Path, model: &Model) -> anyhow::Result<()> {
    std::fs::write(path, serde_json::to_string_pretty(model)?).with_context(|| format!("writing {}", path.display()))
}

fn create(path: &Path) -> anyhow::Result<csv::Writer<BufWriter<File>>> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(csv::Writer::from_writer(BufWriter::new(file)))
}

pub fn dedup(args: &DedupArgs) -> anyhow::Result<()> {
    let thresholds = Thresholds { auto_link: args.auto_link, review: args.review };
    if !(0.0..=1.0).contains(&thresholds.review)
        || thresholds.review > thresholds.auto_link
        || thresholds.auto_link > 1.0
    {
        bail!("thresholds must satisfy 0 <= --review <= --auto-link <= 1");
    }
    let options = TrainOptions { seed: args.seed, ..TrainOptions::default() };
    let started = Instant::now();
    let Some(registry) = &args.registry else {
        // Reading and indexing go together (one row at a time), so the time is "read+train+link".
        let (index, review) = build_index(&args.input, args.model.as_deref(), &options, thresholds)?;
        let linked = started.elapsed();
        let mut out = create(&args.output)?;
        out.write_record(["record_id", "cluster_id"])?;
        for (ix, cluster) in index.clusters().into_iter().enumerate() {
            out.write_record([index.record_id(ix as u32), index.record_id(cluster)])?;
        }
        out.flush()?;
        write_review(args, &index, review.iter().map(|p| (p.a, p.b, p.probability)))?;
        if let Some(path) = &args.save_model {
            write_model(path, index.model())?;
        }
        let clusters = index.clusters().iter().enumerate().filter(|(i, c)| *i as u32 == **c).count();
        eprintln!(
            "dedup: {} records, {clusters} businesses, {} review pairs; read+train+link {:.2}s, written {:.2}s",
            index.len(),
            review.len(),
            linked.as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    };

    // Incremental: index the registry, then add the new file to it.
    let new = read_records(&args.input)?;
    let read = started.elapsed();
    let t = Instant::now();
    let mut index = build_index(registry, args.model.as_deref(), &options, thresholds)?.0;
    let built = t.elapsed();
    let indexed = index.len();
    let t = Instant::now();
    let decisions = index.add_batch(&new);
    let added = t.elapsed();
    let mut out = create(&args.output)?;
    out.write_record(["record_id", "cluster_id", "outcome", "probability", "best_match"])?;
    let mut counts = [0usize; 3];
    for d in &decisions {
        let outcome = match d.outcome {
            Outcome::Auto => 0,
            Outcome::Review => 1,
            Outcome::New => 2,
        };
        counts[outcome] += 1;
        let best = d.candidates.first();
        out.write_record([
            d.record_id.as_str(),
            index.record_id(d.cluster),
            ["auto", "review", "new"][outcome],
            &best.map(|c| format!("{:.4}", c.probability)).unwrap_or_default(),
            best.map(|c| c.record_id.as_str()).unwrap_or(""),
        ])?;
    }
    out.flush()?;
    let review: Vec<(u32, u32, f64)> = decisions
        .iter()
        .flat_map(|d| d.candidates.iter().map(move |c| (c.record, d.record, c.probability)))
        .filter(|(_, _, p)| *p >= thresholds.review && *p < thresholds.auto_link)
        .collect();
    write_review(args, &index, review.into_iter())?;
    if let Some(path) = &args.save_model {
        write_model(path, index.model())?;
    }
    eprintln!(
        "dedup --registry: {} indexed + {} new ({} auto, {} review, {} new); new file read {:.2}s, index built (read+train+link) {:.2}s, new file added {:.3}s",
        indexed,
        new.len(),
        counts[0],
        counts[1],
        counts[2],
        read.as_secs_f64(),
        built.as_secs_f64(),
        added.as_secs_f64()
    );
    Ok(())
}

/// Indexes a file, training the model on it unless one is given.
fn build_index(
    path: &Path,
    model: Option<&Path>,
    options: &TrainOptions,
    thresholds: Thresholds,
) -> anyhow::Result<(Index, Vec<er::ReviewPair>)> {
    let records = record_reader(path)?;
    let built = match model {
        Some(model) => Index::try_with_records(read_model(model)?, thresholds, records)?,
        None => Index::try_train_and_add(records, options, thresholds)?,
    };
    // A file of one row per business (nothing to learn duplicates from) trains a model that
    // counts agreement against a match: say so rather than hand back its clusters silently.
    if !built.0.model().training.plausible {
        eprintln!(
            "warning: the model trained on {} is not plausible (too few duplicates to learn from?); \
             train on a file with duplicates and pass it with --model",
            path.display()
        );
    }
    Ok(built)
}

fn write_review(args: &DedupArgs, index: &Index, pairs: impl Iterator<Item = (u32, u32, f64)>) -> anyhow::Result<()> {
    let Some(path) = &args.review_output else { return Ok(()) };
    let mut out = create(path)?;
    out.write_record(["record_id_a", "record_id_b", "probability"])?;
    for (a, b, p) in pairs {
        out.write_record([index.record_id(a), index.record_id(b), &format!("{p:.4}")])?;
    }
    out.flush()?;
    Ok(())
}

pub fn generate(cmd: &GenCommand) -> anyhow::Result<()> {
    let GenCommand::Umkm(args) = cmd;
    let rows = sinergi_synth::records(args.records, args.seed)?;
    let file = File::create(&args.output).with_context(|| format!("creating {}", args.output.display()))?;
    let mut out = BufWriter::new(file);
    if !args.normalised {
        sinergi_synth::write_csv(&rows, &mut out)?;
        out.flush()?;
        eprintln!("wrote {} records to {}", rows.len(), args.output.display());
        return Ok(());
    }
    let mut w = csv::Writer::from_writer(out);
    let extra = ["name_norm", "owner_norm", "phone_norm", "nik_norm", "nib_norm", "desa_norm", "kecamatan_norm"];
    w.write_record(sinergi_synth::CSV_HEADER.iter().chain(extra.iter()))?;
    let num = |v: Option<std::num::NonZeroU64>| v.map(|v| v.to_string()).unwrap_or_default();
    for r in &rows {
        let id = r.true_id.to_string();
        let norm = [
            normalize::name_key(&r.business_name).unwrap_or_default(),
            normalize::owner_key(&r.owner_name).unwrap_or_default(),
            num(normalize::phone(&r.phone)),
            num(normalize::nik(&r.nik)),
            num(normalize::nib(&r.nib)),
            normalize::region_key(&r.desa).unwrap_or_default(),
            normalize::region_key(&r.kecamatan).unwrap_or_default(),
        ];
        let base = [
            r.record_id.as_str(),
            &r.source,
            &r.business_name,
            &r.owner_name,
            &r.nik,
            &r.nib,
            &r.phone,
            &r.address,
            &r.desa,
            &r.kecamatan,
            &r.kabupaten_kota,
            &r.kbli,
            &r.omzet_raw,
            &id,
        ];
        w.write_record(base.iter().copied().chain(norm.iter().map(String::as_str)))?;
    }
    w.flush()?;
    eprintln!("wrote {} records (with normalised columns) to {}", rows.len(), args.output.display());
    Ok(())
}
