//! `sinergi import umkm`: a spreadsheet into a Pemda's UMKM registry from the command line,
//! through the same reading, entity resolution and all-or-nothing commit as the web importer.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde::Serialize;
use sinergi_domain::files::check_spreadsheet;
use sinergi_domain::{Actor, RegionCode};
use sinergi_io::umkm::SavedMapping;
use sinergi_store::Store;
use sinergi_store::umkm::NewImport;
use sinergi_umkm::Registries;

/// The largest spreadsheet the command reads (the web takes 10 MB).
const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// A UMKM spreadsheet (XLSX, XLS or CSV) into a Pemda's registry.
    Umkm(UmkmImportArgs),
}

#[derive(Args)]
pub struct UmkmImportArgs {
    /// The Pemda's region code, e.g. 36.04.
    #[arg(long)]
    tenant: String,
    /// The spreadsheet.
    file: PathBuf,
    /// The source's name (its column mapping is remembered); default: the file's name.
    #[arg(long)]
    source: Option<String>,
    /// The year figures are for when the file has no year column; default: this year.
    #[arg(long)]
    year: Option<i32>,
    /// Read, check and resolve, but write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// Write the rejected rows, each with its reasons, to this XLSX file.
    #[arg(long)]
    rejected: Option<PathBuf>,
}

#[derive(Serialize)]
struct Summary {
    file: String,
    source: String,
    dry_run: bool,
    import_id: Option<String>,
    rows: usize,
    accepted: usize,
    rejected: usize,
    new_businesses: usize,
    linked_to_existing: usize,
    sent_to_review: usize,
}

pub async fn run(store: &Store, cmd: ImportCommand) -> anyhow::Result<()> {
    let ImportCommand::Umkm(args) = cmd;
    let tenant = RegionCode::parse(&args.tenant).map_err(|e| anyhow::anyhow!("--tenant: {e}"))?;
    let actor = Actor::system("sinergi import umkm");
    store.tenant(&actor, &tenant).await.with_context(|| format!("no Pemda with code {tenant}"))?;
    let file_name = args.file.file_name().and_then(|n| n.to_str()).unwrap_or("import").to_owned();
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let checked = check_spreadsheet("file", &file_name, bytes, MAX_FILE_BYTES)
        .map_err(|e| anyhow::anyhow!("{}: {}", args.file.display(), e.reason))?;
    let source = args
        .source
        .clone()
        .unwrap_or_else(|| file_name.rsplit_once('.').map_or(file_name.as_str(), |(stem, _)| stem).to_owned());
    let year = args.year.unwrap_or_else(|| time::OffsetDateTime::now_utc().year());

    // The source's saved mapping, when the file's headers are the ones it was saved for.
    let first = sinergi_umkm::prepare(&checked.bytes, &file_name, &tenant, year, None)
        .map_err(|e| anyhow::anyhow!("{}: {} ({})", args.file.display(), e, e.code()))?;
    let saved = store
        .umkm_source_mapping(&actor, &tenant, &source)
        .await?
        .and_then(|s| SavedMapping::from_json(&s))
        .filter(|s| s.matches(&first.detected.headers));
    let prepared = match saved {
        Some(s) => {
            let mapping = s.apply(&first.detected.headers);
            let layout = Some((first.detected.sheet, first.detected.header_row, mapping));
            sinergi_umkm::prepare(&checked.bytes, &file_name, &tenant, year, layout)
                .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?
        }
        None => first,
    };
    if let Some(problem) = prepared.detected.mapping.problems().first() {
        bail!(
            "{}: the columns cannot be mapped ({}); fix the mapping in the web importer",
            args.file.display(),
            problem.code
        );
    }
    let (incoming, rejected) = prepared.incoming(&source, &checked.name);
    if let Some(path) = &args.rejected {
        let rows: Vec<_> = prepared.rows.iter().filter(|r| r.is_rejected()).collect();
        let label = |p: &sinergi_io::umkm::Problem| {
            let what = p.field.map_or(p.column.clone(), |f| f.as_str().to_owned());
            match &p.suggestion {
                Some(s) => format!("{what}: {} ({s})", p.code),
                None => format!("{what}: {}", p.code),
            }
        };
        let xlsx = sinergi_io::umkm::rejected_workbook(&prepared.detected.headers, &rows, "alasan", &label)?;
        std::fs::write(path, xlsx).with_context(|| format!("writing {}", path.display()))?;
    }
    let accepted = incoming.len();
    let registries = Registries::default();
    let (import_id, outcome) = if args.dry_run || incoming.is_empty() {
        (None, registries.commit(store, &actor, &tenant, None, incoming, true).await?)
    } else {
        let id = store
            .create_umkm_import(
                &actor,
                &tenant,
                NewImport {
                    source: source.clone(),
                    file: checked.clone(),
                    sheet: prepared
                        .workbook
                        .sheets
                        .get(prepared.detected.sheet)
                        .map(|s| s.name.clone())
                        .unwrap_or_default(),
                    header_row: i32::try_from(prepared.detected.header_row).unwrap_or(0),
                    mapping: prepared.detected.mapping.to_json(),
                },
            )
            .await?;
        let summary = registries.commit(store, &actor, &tenant, Some((id, rejected)), incoming, false).await?;
        let saved = SavedMapping::new(&prepared.detected.headers, &prepared.detected.mapping);
        store.save_umkm_source_mapping(&actor, &tenant, &source, &saved.to_json()).await?;
        (Some(id.to_string()), summary)
    };
    let summary = Summary {
        file: checked.name.clone(),
        source,
        dry_run: args.dry_run,
        import_id,
        rows: prepared.rows.len(),
        accepted,
        rejected,
        new_businesses: outcome.new_businesses,
        linked_to_existing: outcome.linked_existing,
        sent_to_review: outcome.sent_to_review,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(());
    }
    println!(
        "{}: {} baris, {} diterima, {} ditolak; {} usaha baru, {} tertaut ke usaha yang ada, {} perlu ditinjau{}",
        summary.file,
        summary.rows,
        summary.accepted,
        summary.rejected,
        summary.new_businesses,
        summary.linked_to_existing,
        summary.sent_to_review,
        if args.dry_run { " (uji coba: tidak ada yang disimpan)" } else { "" }
    );
    for row in prepared.rows.iter().filter(|r| !r.problems.is_empty()).take(50) {
        for p in &row.problems {
            let what = p.field.map_or(p.column.clone(), |f| f.as_str().to_owned());
            let hint = p.suggestion.as_deref().map(|s| format!(" → {s}")).unwrap_or_default();
            println!("  baris {}: {} {} {:?}{hint}", row.row, p.severity.as_str(), what, p.code);
        }
    }
    Ok(())
}
