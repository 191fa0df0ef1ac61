//! A programme's report: participants by wave and kecamatan, completion, follow-up answers,
//! and alumni against similar non-alumni — the page that says whether the training worked.
//! Every figure links to the wave it comes from; the XLSX holds the same lines.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use sinergi_domain::programme::GroupOutcome;
use sinergi_io::export::{Sheet, Value, xlsx_book};
use sinergi_io::pdf::Column;
use sinergi_store::programmes::{Programme, ProgrammeReport};

use super::exports::{PDF, XLSX, download, letterhead, pdf_document};
use super::programmes::{programme_id, status_label, when_where};
use super::umkm::{region_name, tenant_of};
use super::{Shell, render};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

pub struct WaveLine {
    pub id: String,
    pub number: u32,
    pub status: String,
    pub when_where: String,
    pub applicants: u32,
    pub selected: u32,
    pub certified: u32,
    pub completion: String,
    pub follow_ups: String,
    pub kecamatan: Vec<(String, u32, u32)>,
}

pub struct GroupLine {
    pub label: String,
    pub businesses: usize,
    pub measured: usize,
    pub median: String,
    pub naik_kelas: String,
}

pub struct AlumnusLine {
    pub business: String,
    pub name: String,
    pub wave: u32,
    pub base_year: i32,
    pub before: String,
    pub after: String,
    pub peers: u32,
}

#[derive(Template)]
#[template(path = "programme_report.html")]
struct ReportPage {
    shell: Shell,
    p: Programme,
    waves: Vec<WaveLine>,
    groups: Vec<GroupLine>,
    alumni: Vec<AlumnusLine>,
    verdict: String,
}

fn percent(tr: Tr, v: Option<f64>) -> String {
    v.map(|v| format!("{}%", tr.decimal((v * 10.0).round() / 10.0))).unwrap_or_else(|| "—".into())
}

fn group_line(tr: Tr, key: &str, g: &GroupOutcome) -> GroupLine {
    GroupLine {
        label: tr.t(key),
        businesses: g.businesses,
        measured: g.measured,
        median: percent(tr, g.median_growth_percent),
        naik_kelas: percent(tr, g.naik_kelas_percent()),
    }
}

/// One sentence for the leaders: did alumni grow more than their peers?
fn verdict(tr: Tr, r: &ProgrammeReport) -> String {
    match (r.alumni.median_growth_percent, r.peers.median_growth_percent) {
        (Some(a), Some(p)) => tr.targs(
            if a > p { "report-verdict-better" } else { "report-verdict-not-better" },
            &[("alumni", percent(tr, Some(a))), ("peers", percent(tr, Some(p)))],
        ),
        _ => tr.t("report-verdict-unknown"),
    }
}

fn lines(tr: Tr, r: &ProgrammeReport) -> (Vec<WaveLine>, Vec<GroupLine>, Vec<AlumnusLine>) {
    let waves = r
        .waves
        .iter()
        .map(|w| WaveLine {
            id: w.wave.id.to_string(),
            number: w.wave.number,
            status: status_label(tr, w.wave.status),
            when_where: when_where(tr, &w.wave),
            applicants: w.applicants,
            selected: w.selected,
            certified: w.certified,
            completion: percent(tr, (w.selected > 0).then(|| f64::from(w.certified) * 100.0 / f64::from(w.selected))),
            follow_ups: w
                .follow_ups
                .iter()
                .map(|(m, n)| format!("{}: {n}", tr.t1("follow-up-months", "n", m)))
                .collect::<Vec<_>>()
                .join(" · "),
            kecamatan: w.by_kecamatan.iter().map(|(k, n, s)| (region_name(k.as_ref()), *n, *s)).collect(),
        })
        .collect();
    let groups = vec![group_line(tr, "report-alumni", &r.alumni), group_line(tr, "report-peers", &r.peers)];
    let money = |v: Option<i64>| v.map(|v| tr.rupiah(v)).unwrap_or_else(|| "—".into());
    let alumni = r
        .alumni_rows
        .iter()
        .map(|a| AlumnusLine {
            business: a.business.to_string(),
            name: a.business_name.clone(),
            wave: a.wave_number,
            base_year: a.base_year,
            before: money(a.before),
            after: money(a.after),
            peers: a.peers,
        })
        .collect();
    (waves, groups, alumni)
}

pub async fn report(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let p = state.store.programme(&auth.actor, &tenant, programme_id(&id)?).await?;
    let r = state.store.programme_report(&auth.actor, &tenant, p.id).await?;
    let (waves, groups, alumni) = lines(tr, &r);
    Ok(render(&ReportPage {
        shell: Shell::new(&auth.ctx, "report-title"),
        verdict: verdict(tr, &r),
        p,
        waves,
        groups,
        alumni,
    }))
}

pub async fn report_xlsx(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let p = state.store.programme(&auth.actor, &tenant, programme_id(&id)?).await?;
    let r = state.store.programme_report(&auth.actor, &tenant, p.id).await?;
    let (waves, groups, _) = lines(tr, &r);
    let h = |keys: &[&str]| keys.iter().map(|k| tr.t(k)).collect::<Vec<String>>();
    let wave_headers = h(&[
        "wave",
        "wave-status",
        "wave-when",
        "report-applicants",
        "report-selected",
        "report-certified",
        "report-completion",
        "report-follow-ups",
    ]);
    let wave_rows: Vec<Vec<Value>> = waves
        .iter()
        .map(|w| {
            vec![
                Value::Number(f64::from(w.number)),
                Value::Text(w.status.clone()),
                Value::Text(w.when_where.clone()),
                Value::Number(f64::from(w.applicants)),
                Value::Number(f64::from(w.selected)),
                Value::Number(f64::from(w.certified)),
                Value::Text(w.completion.clone()),
                Value::Text(w.follow_ups.clone()),
            ]
        })
        .collect();
    let kec_headers = h(&["wave", "umkm-field-kecamatan", "report-applicants", "report-selected"]);
    let kec_rows: Vec<Vec<Value>> = waves
        .iter()
        .flat_map(|w| {
            w.kecamatan.iter().map(move |(k, n, s)| {
                vec![
                    Value::Number(f64::from(w.number)),
                    Value::Text(k.clone()),
                    Value::Number(f64::from(*n)),
                    Value::Number(f64::from(*s)),
                ]
            })
        })
        .collect();
    let group_headers =
        h(&["report-group", "report-businesses", "report-measured", "report-median-growth", "report-naik-kelas"]);
    let group_rows: Vec<Vec<Value>> = groups
        .iter()
        .map(|g| {
            vec![
                Value::Text(g.label.clone()),
                Value::Number(g.businesses as f64),
                Value::Number(g.measured as f64),
                Value::Text(g.median.clone()),
                Value::Text(g.naik_kelas.clone()),
            ]
        })
        .collect();
    let alumni_headers = h(&[
        "umkm-field-name",
        "wave",
        "report-base-year",
        "report-sales-before",
        "report-sales-after",
        "report-peers-found",
    ]);
    let alumni_rows: Vec<Vec<Value>> = r
        .alumni_rows
        .iter()
        .map(|a| {
            vec![
                Value::Text(a.business_name.clone()),
                Value::Number(f64::from(a.wave_number)),
                Value::Number(f64::from(a.base_year)),
                a.before.map(Value::Rupiah).unwrap_or(Value::Empty),
                a.after.map(Value::Rupiah).unwrap_or(Value::Empty),
                Value::Number(f64::from(a.peers)),
            ]
        })
        .collect();
    let v = verdict(tr, &r);
    let (s1, s2, s3, s4) = (
        tr.t("report-sheet-waves"),
        tr.t("report-sheet-kecamatan"),
        tr.t("report-sheet-outcomes"),
        tr.t("report-sheet-alumni"),
    );
    let bytes = xlsx_book(&[
        Sheet { name: &s1, title: &p.title, subtitle: &v, headers: &wave_headers, rows: &wave_rows },
        Sheet { name: &s2, title: &p.title, subtitle: &v, headers: &kec_headers, rows: &kec_rows },
        Sheet { name: &s3, title: &p.title, subtitle: &v, headers: &group_headers, rows: &group_rows },
        Sheet { name: &s4, title: &p.title, subtitle: &v, headers: &alumni_headers, rows: &alumni_rows },
    ])
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    let (_, slug) = letterhead(&auth);
    Ok(download(bytes, XLSX, &format!("laporan-program-{slug}.xlsx")))
}

/// The same lines as the page and the workbook, as a PDF for the head of the agency.
pub async fn report_pdf(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let p = state.store.programme(&auth.actor, &tenant, programme_id(&id)?).await?;
    let r = state.store.programme_report(&auth.actor, &tenant, p.id).await?;
    let (waves, groups, alumni) = lines(tr, &r);
    let title = tr.t("report-title");
    let mut doc = pdf_document(&auth, sinergi_io::pdf::Orientation::Landscape, &title, Some(&p.title));
    doc.paragraph(&verdict(tr, &r));
    doc.heading(&tr.t("report-outcomes"));
    doc.paragraph(&tr.t("report-method"));
    let (g, b, m, med, nk) = (
        tr.t("report-group"),
        tr.t("report-businesses"),
        tr.t("report-measured"),
        tr.t("report-median-growth"),
        tr.t("report-naik-kelas"),
    );
    let columns = [
        Column::new(&g, 3.0),
        Column::new(&b, 1.0).right(),
        Column::new(&m, 1.0).right(),
        Column::new(&med, 1.5).right(),
        Column::new(&nk, 1.2).right(),
    ];
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|x| {
            vec![
                x.label.clone(),
                x.businesses.to_string(),
                x.measured.to_string(),
                x.median.clone(),
                x.naik_kelas.clone(),
            ]
        })
        .collect();
    let empty = tr.t("empty-list");
    doc.table(&columns, &rows, &empty);
    doc.heading(&tr.t("report-by-wave"));
    let (wv, when, ap, se, ce, co, fu) = (
        tr.t("wave"),
        tr.t("wave-when"),
        tr.t("report-applicants"),
        tr.t("report-selected"),
        tr.t("report-certified"),
        tr.t("report-completion"),
        tr.t("report-follow-ups"),
    );
    let columns = [
        Column::new(&wv, 1.2),
        Column::new(&when, 3.5),
        Column::new(&ap, 1.0).right(),
        Column::new(&se, 1.0).right(),
        Column::new(&ce, 1.0).right(),
        Column::new(&co, 1.0).right(),
        Column::new(&fu, 2.5),
    ];
    let rows: Vec<Vec<String>> = waves
        .iter()
        .map(|w| {
            vec![
                format!("{} · {}", w.number, w.status),
                w.when_where.clone(),
                w.applicants.to_string(),
                w.selected.to_string(),
                w.certified.to_string(),
                w.completion.clone(),
                w.follow_ups.clone(),
            ]
        })
        .collect();
    doc.table(&columns, &rows, &empty);
    if !alumni.is_empty() {
        doc.heading(&tr.t("report-alumni"));
        let (n, w, before, after, peers) = (
            tr.t("umkm-field-name"),
            tr.t("wave"),
            tr.t("report-sales-before"),
            tr.t("report-sales-after"),
            tr.t("report-peers-found"),
        );
        let columns = [
            Column::new(&n, 3.0),
            Column::new(&w, 0.8).right(),
            Column::new(&before, 1.8).right(),
            Column::new(&after, 1.8).right(),
            Column::new(&peers, 1.0).right(),
        ];
        let rows: Vec<Vec<String>> = alumni
            .iter()
            .map(|a| {
                vec![
                    a.name.clone(),
                    a.wave.to_string(),
                    format!("{} ({})", a.before, a.base_year),
                    a.after.clone(),
                    a.peers.to_string(),
                ]
            })
            .collect();
        doc.table(&columns, &rows, &empty);
    }
    let bytes = doc.finish();
    let (_, slug) = letterhead(&auth);
    Ok(download(bytes, PDF, &format!("laporan-program-{slug}.pdf")))
}
