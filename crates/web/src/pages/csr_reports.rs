//! The annual CSR report for the Pemda's officers, as PDF and XLSX: what was received by
//! company, category and kecamatan, each pledge against what was realised, and the needs
//! still without a company.
//!
//! As in [`super::exports`], the lines are gathered once ([`annual`]) and rendered twice. In
//! this internal report, a report counts as received once a verifier approved it (approved
//! and published both count); the public page counts published reports only. Unreported
//! values are written as such and never summed as zero.

use axum::extract::{Query, State};
use axum::response::Response;
use sinergi_domain::csr::{ReportStatus, ReportedTotal};
use sinergi_io::export::{Sheet, Value, xlsx_book};
use sinergi_io::pdf::{Column, Orientation};
use sinergi_store::csr::{CsrBook, Realisation, totals_by};

use super::csr_public::{category_label, location_label, region_name, total_text};
use super::exports::{XLSX, YearQuery, download, labels, letterhead, pdf_document, pdf_download, rupiah};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

/// One group of a "received by …" section.
struct GroupLine {
    label: String,
    reports: usize,
    total: ReportedTotal,
}

struct PledgeLine {
    company: String,
    programme: String,
    pledged: Option<i64>,
    realised: ReportedTotal,
    status: String,
}

struct NeedLine {
    title: String,
    category: String,
    location: String,
    agency: String,
    estimated_cost: Option<i64>,
}

struct Annual {
    total: ReportedTotal,
    by_company: Vec<GroupLine>,
    by_category: Vec<GroupLine>,
    by_kecamatan: Vec<GroupLine>,
    pledges: Vec<PledgeLine>,
    unfunded: Vec<NeedLine>,
}

/// Received reports of `year`, flattened like the public realisation rows.
fn received(book: &CsrBook, year: i32) -> Vec<Realisation> {
    book.realisations(&ReportStatus::RECEIVED).into_iter().filter(|r| r.window.year == year).collect()
}

fn groups<K: Ord + Clone>(
    rows: &[Realisation],
    key: impl Fn(&Realisation) -> K,
    label: impl Fn(&K, &Realisation) -> String,
) -> Vec<GroupLine> {
    totals_by(rows, &key)
        .into_iter()
        .map(|(k, total)| {
            let members: Vec<&Realisation> = rows.iter().filter(|r| key(r) == k).collect();
            GroupLine {
                label: members.first().map(|r| label(&k, r)).unwrap_or_default(),
                reports: members.len(),
                total,
            }
        })
        .collect()
}

fn annual(tr: Tr, book: &CsrBook, year: i32) -> Annual {
    let rows = received(book, year);
    let by_company = groups(&rows, |r| r.partner_id, |_, r| r.partner_name.clone());
    let by_category = groups(&rows, |r| r.category.slug(), |_, r| category_label(tr, r.category));
    let by_kecamatan = groups(
        &rows,
        |r| r.kecamatan(),
        |k, _| k.as_ref().map(region_name).unwrap_or_else(|| tr.t("csrpub-unknown-kecamatan")),
    );
    let mut pledges = Vec::new();
    for n in &book.needs {
        for p in &n.pledges {
            let period = p.pledge.period_start.year()..=p.pledge.period_end.year();
            if !period.contains(&year) {
                continue;
            }
            pledges.push(PledgeLine {
                company: p.pledge.partner_name.clone(),
                programme: n.need.title.clone(),
                pledged: p.pledge.value.known(),
                realised: p.realised(&ReportStatus::RECEIVED),
                status: super::csr::need_status_label(tr, n.need.status),
            });
        }
    }
    pledges.sort_by(|a, b| a.company.cmp(&b.company).then_with(|| a.programme.cmp(&b.programme)));
    let unfunded = book
        .needs
        .iter()
        .filter(|n| n.is_unfunded())
        .map(|n| NeedLine {
            title: n.need.title.clone(),
            category: category_label(tr, n.need.category),
            location: location_label(&n.need.location),
            agency: n.need.agency_name.clone().unwrap_or_else(|| tr.t("csrrep-company-proposed")),
            estimated_cost: n.need.estimated_cost,
        })
        .collect();
    Annual {
        total: ReportedTotal::of(rows.iter().map(|r| r.value)),
        by_company,
        by_category,
        by_kecamatan,
        pledges,
        unfunded,
    }
}

async fn load(state: &AppState, auth: &Authed, year: i32) -> AppResult<Annual> {
    // The platform belongs to no Pemda: it has no CSR book of its own.
    let tenant = auth.actor.scope.tenant().ok_or(AppError::NotFound)?;
    let book = state.store.csr_book(&auth.actor, tenant).await?;
    Ok(annual(auth.ctx.tr(), &book, year))
}

const GROUP_COLUMNS: [&str; 3] = ["csrrep-col-group", "csrrep-col-reports", "csrrep-col-value"];
const PLEDGE_COLUMNS: [&str; 5] =
    ["csrrep-col-company", "csrrep-col-programme", "csrrep-col-pledged", "csrrep-col-realised", "csrrep-col-status"];
const NEED_COLUMNS: [&str; 5] = [
    "csrrep-col-programme",
    "csrrep-col-category",
    "csrrep-col-location",
    "csrrep-col-agency",
    "csrrep-col-estimated-cost",
];

/// The three "received by" sections with their title keys.
/// The three "received by" sections: title key, sheet-name key (Excel allows 31 characters)
/// and lines.
fn group_sections(a: &Annual) -> [(&'static str, &'static str, &Vec<GroupLine>); 3] {
    [
        ("csrrep-by-company", "csrrep-sheet-company", &a.by_company),
        ("csrrep-by-category", "csrrep-sheet-category", &a.by_category),
        ("csrrep-by-kecamatan", "csrrep-sheet-kecamatan", &a.by_kecamatan),
    ]
}

/// A total as a sheet cell: the known sum as a number when it is complete, words otherwise
/// (a partial sum typed as a plain number would be summed on as if complete).
fn total_cell(tr: Tr, t: &ReportedTotal) -> Value {
    if t.is_unknown() || t.is_partial() { Value::Text(total_text(tr, t)) } else { Value::Rupiah(t.known) }
}

/// `GET /csr/laporan-tahunan.xlsx?year=`: one sheet per section.
pub async fn annual_xlsx(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let year = q.year();
    let a = load(&state, &auth, year).await?;
    let (name, slug) = letterhead(&auth);
    let title = format!("{} {year}", tr.t("csrrep-title"));
    let not_reported = || Value::Text(tr.t("csrpub-not-reported"));

    let summary_headers = vec![tr.t("csrrep-col-group"), tr.t("csrrep-col-value")];
    let summary = vec![
        vec![Value::Text(tr.t("csrrep-received-total")), total_cell(tr, &a.total)],
        vec![Value::Text(tr.t1("csrrep-received-note", "year", year)), Value::Empty],
    ];
    let group_headers = labels(tr, &GROUP_COLUMNS);
    let group_rows: Vec<(String, String, Vec<Vec<Value>>)> = group_sections(&a)
        .into_iter()
        .map(|(key, sheet, lines)| {
            let rows = lines
                .iter()
                .map(|g| vec![Value::Text(g.label.clone()), Value::Number(g.reports as f64), total_cell(tr, &g.total)])
                .collect();
            (tr.t(sheet), tr.t(key), rows)
        })
        .collect();
    let pledge_headers = labels(tr, &PLEDGE_COLUMNS);
    let pledge_rows: Vec<Vec<Value>> = a
        .pledges
        .iter()
        .map(|p| {
            vec![
                Value::Text(p.company.clone()),
                Value::Text(p.programme.clone()),
                p.pledged.map(Value::Rupiah).unwrap_or_else(not_reported),
                // No received report yet is "none yet", not a realisation of Rp 0.
                if p.realised.known_count + p.realised.unknown_count == 0 {
                    Value::Text(tr.t("csrrep-no-report-yet"))
                } else {
                    total_cell(tr, &p.realised)
                },
                Value::Text(p.status.clone()),
            ]
        })
        .collect();
    let need_headers = labels(tr, &NEED_COLUMNS);
    let need_rows: Vec<Vec<Value>> = a
        .unfunded
        .iter()
        .map(|n| {
            vec![
                Value::Text(n.title.clone()),
                Value::Text(n.category.clone()),
                Value::Text(n.location.clone()),
                Value::Text(n.agency.clone()),
                n.estimated_cost.map(Value::Rupiah).unwrap_or_else(|| Value::Text(tr.t("csrpub-not-estimated"))),
            ]
        })
        .collect();

    let summary_name = tr.t("csrrep-sheet-summary");
    let (pledges_name, pledges_title) = (tr.t("csrrep-sheet-pledges"), tr.t("csrrep-pledges"));
    let (unfunded_name, unfunded_title) = (tr.t("csrrep-sheet-unfunded"), tr.t("csrrep-unfunded"));
    let mut sheets =
        vec![Sheet { name: &summary_name, title: &title, subtitle: &name, headers: &summary_headers, rows: &summary }];
    for (sheet, section, rows) in &group_rows {
        sheets.push(Sheet { name: sheet, title: &title, subtitle: section, headers: &group_headers, rows });
    }
    sheets.push(Sheet {
        name: &pledges_name,
        title: &title,
        subtitle: &pledges_title,
        headers: &pledge_headers,
        rows: &pledge_rows,
    });
    sheets.push(Sheet {
        name: &unfunded_name,
        title: &title,
        subtitle: &unfunded_title,
        headers: &need_headers,
        rows: &need_rows,
    });
    let bytes = xlsx_book(&sheets).map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(download(bytes, XLSX, &format!("laporan-tahunan-csr-{slug}-{year}.xlsx")))
}

/// `GET /csr/laporan-tahunan.pdf?year=`: the same sections on portrait pages.
pub async fn annual_pdf(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let year = q.year();
    let a = load(&state, &auth, year).await?;
    let subtitle = tr.t1("pdf-year", "year", year);
    let mut doc = pdf_document(&auth, Orientation::Portrait, &tr.t("csrrep-title"), Some(&subtitle));
    let empty = tr.t("empty-list");
    // Amounts keep "Rp" and the number on one line, as in the other exports.
    let money = |t: &ReportedTotal| total_text(tr, t).replacen("Rp ", "Rp\u{a0}", 1);

    doc.paragraph(&tr.t1("csrrep-received-note", "year", year));
    doc.key_values(&[(tr.t("csrrep-received-total"), money(&a.total))]);

    let group_headers = labels(tr, &GROUP_COLUMNS);
    let group_columns = [
        Column::new(&group_headers[0], 3.0),
        Column::new(&group_headers[1], 1.0).right(),
        Column::new(&group_headers[2], 2.4).right(),
    ];
    for (key, _, lines) in group_sections(&a) {
        doc.heading(&tr.t(key));
        let rows: Vec<Vec<String>> =
            lines.iter().map(|g| vec![g.label.clone(), tr.number(g.reports as i64), money(&g.total)]).collect();
        doc.table(&group_columns, &rows, &empty);
    }

    doc.heading(&tr.t("csrrep-pledges"));
    doc.paragraph(&tr.t1("csrrep-pledges-note", "year", year));
    let pledge_headers = labels(tr, &PLEDGE_COLUMNS);
    let pledge_columns = [
        Column::new(&pledge_headers[0], 1.8),
        Column::new(&pledge_headers[1], 2.4),
        Column::new(&pledge_headers[2], 1.7).right(),
        Column::new(&pledge_headers[3], 1.9).right(),
        Column::new(&pledge_headers[4], 1.1),
    ];
    let rows: Vec<Vec<String>> = a
        .pledges
        .iter()
        .map(|p| {
            vec![
                p.company.clone(),
                p.programme.clone(),
                p.pledged.map(|v| rupiah(tr, v)).unwrap_or_else(|| tr.t("csrpub-not-reported")),
                if p.realised.known_count + p.realised.unknown_count == 0 {
                    tr.t("csrrep-no-report-yet")
                } else {
                    money(&p.realised)
                },
                p.status.clone(),
            ]
        })
        .collect();
    doc.table(&pledge_columns, &rows, &empty);

    doc.heading(&tr.t("csrrep-unfunded"));
    let need_headers = labels(tr, &NEED_COLUMNS);
    let need_columns = [
        Column::new(&need_headers[0], 2.4),
        Column::new(&need_headers[1], 1.4),
        Column::new(&need_headers[2], 1.8),
        Column::new(&need_headers[3], 1.6),
        Column::new(&need_headers[4], 1.5).right(),
    ];
    let rows: Vec<Vec<String>> = a
        .unfunded
        .iter()
        .map(|n| {
            vec![
                n.title.clone(),
                n.category.clone(),
                n.location.clone(),
                n.agency.clone(),
                n.estimated_cost.map(|c| rupiah(tr, c)).unwrap_or_else(|| tr.t("csrpub-not-estimated")),
            ]
        })
        .collect();
    doc.table(&need_columns, &rows, &empty);

    let (_, slug) = letterhead(&auth);
    pdf_download(doc, &format!("laporan-tahunan-csr-{slug}-{year}.pdf")).await
}
