//! Money kept local (issue 7, part 4): one page for what stays in the region because a buyer
//! found a local seller: the Labkesda's retribution (PAD), with the partner Pemda's share that
//! the cooperation agreement counts, and the deals of demand matching. By month, each month
//! opening onto the payments behind it; the XLSX and the PDF hold the same lines.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_io::export::{Sheet, Value, xlsx_book};
use sinergi_io::pdf::{Column, Orientation};
use sinergi_store::local_value::{LocalLine, LocalMonth, LocalSource, LocalValue};

use super::exports::{PDF, XLSX, download, letterhead, pdf_document};
use super::lab_report::region_label;
use super::umkm::tenant_of;
use super::{Shell, render};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

/// `?tahun=2026&bulan=2026-11`: a year, and a month whose payments are listed.
#[derive(Debug, Default, Deserialize)]
pub struct LocalQuery {
    #[serde(default)]
    tahun: String,
    #[serde(default)]
    bulan: String,
}

impl LocalQuery {
    /// A year the page can show; anything else means every year.
    fn year(&self) -> Option<i32> {
        sinergi_store::cooperation::parse_year(&self.tahun).ok()
    }

    /// The month asked for, as "YYYY-MM", when well formed.
    fn month(&self) -> Option<&str> {
        let m = self.bulan.trim();
        let ok = m.len() == 7
            && m.as_bytes()[4] == b'-'
            && m[..4].bytes().all(|b| b.is_ascii_digit())
            && m[5..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n));
        ok.then_some(m)
    }

    fn year_param(&self) -> String {
        self.year().map(|y| format!("tahun={y}&")).unwrap_or_default()
    }
}

pub struct MonthLine {
    pub key: String,
    pub label: String,
    pub retribution: String,
    pub cooperation: String,
    pub has_cooperation: bool,
    pub deals: String,
    pub total: String,
    pub total_value: i64,
    pub max: i64,
    pub lab_orders: u32,
    pub deal_count: u32,
    pub href: String,
    pub open: bool,
}

pub struct PaymentLine {
    pub date: String,
    pub source: String,
    pub href: String,
    pub reference: String,
    pub payer: String,
    pub payee: String,
    pub amount: String,
    pub in_cooperation: bool,
}

#[derive(Template)]
#[template(path = "local_value.html")]
struct LocalPage {
    shell: Shell,
    total: String,
    retribution: String,
    cooperation: String,
    deals: String,
    lab_orders: u32,
    deal_count: u32,
    /// Whether the months show the source at all: a Pemda without a laboratory, or without
    /// deals yet, is not shown a column of zeros.
    has_lab: bool,
    has_deals: bool,
    /// The lab's cooperation agreement: (id, title).
    agreement: Option<(String, String)>,
    years: Vec<(i32, bool)>,
    all_years: bool,
    months: Vec<MonthLine>,
    /// The month whose payments are listed, or the latest payments when none is chosen.
    detail_title: String,
    payments: Vec<PaymentLine>,
    more: usize,
    export_query: String,
}

fn source_label(tr: Tr, s: LocalSource) -> String {
    tr.t(match s {
        LocalSource::LabRetribution => "local-source-lab",
        LocalSource::Deal => "local-source-deal",
    })
}

fn month_line(tr: Tr, q: &LocalQuery, m: &LocalMonth, max: i64) -> MonthLine {
    MonthLine {
        key: m.month.clone(),
        label: tr.month(&m.month),
        retribution: tr.rupiah(m.retribution),
        cooperation: tr.rupiah(m.retribution_cooperation),
        has_cooperation: m.retribution_cooperation > 0,
        deals: tr.rupiah(m.deals),
        total: tr.rupiah(m.total()),
        total_value: m.total(),
        max,
        lab_orders: m.lab_orders,
        deal_count: m.deal_count,
        href: format!("/nilai-lokal?{}bulan={}#rincian", q.year_param(), m.month),
        open: q.month() == Some(m.month.as_str()),
    }
}

fn payment_line(tr: Tr, l: &LocalLine) -> PaymentLine {
    let payer = match l.payer_region.as_deref() {
        Some(code) => format!("{} ({})", l.payer, region_label(code)),
        None => l.payer.clone(),
    };
    PaymentLine {
        date: tr.date(l.on),
        source: source_label(tr, l.source),
        href: match l.source {
            LocalSource::LabRetribution => format!("/lab/order/{}", l.record_id),
            LocalSource::Deal => format!("/permintaan/{}", l.record_id),
        },
        reference: l.reference.clone(),
        payer,
        payee: l.payee.clone().unwrap_or_else(|| tr.t("local-payee-lab")),
        amount: tr.rupiah(l.amount),
        in_cooperation: l.in_cooperation,
    }
}

/// The lines a month (or, with none chosen, the whole period) lists.
fn lines_of<'a>(v: &'a LocalValue, month: Option<&str>) -> Vec<&'a LocalLine> {
    v.lines
        .iter()
        .filter(|l| month.is_none_or(|m| format!("{:04}-{:02}", l.on.year(), u8::from(l.on.month())) == m))
        .collect()
}

/// Payments listed on the page without a month chosen; the exports hold them all.
const LATEST: usize = 20;

pub async fn page(State(state): State<AppState>, auth: Authed, Query(q): Query<LocalQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let v = state.store.money_kept_local(&auth.actor, &tenant, q.year()).await?;
    let max = v.months.iter().map(LocalMonth::total).max().unwrap_or(0).max(1);
    let month = q.month().filter(|m| v.months.iter().any(|x| x.month == *m));
    let listed = lines_of(&v, month);
    let shown = if month.is_some() { listed.len() } else { listed.len().min(LATEST) };
    let page = LocalPage {
        shell: Shell::new(&auth.ctx, "local-title"),
        total: tr.rupiah(v.totals.total()),
        retribution: tr.rupiah(v.totals.retribution),
        cooperation: tr.rupiah(v.totals.retribution_cooperation),
        deals: tr.rupiah(v.totals.deals),
        lab_orders: v.totals.lab_orders,
        deal_count: v.totals.deal_count,
        has_lab: v.totals.lab_orders > 0,
        has_deals: v.totals.deal_count > 0,
        agreement: v.agreement.as_ref().map(|(id, title)| (id.to_string(), title.clone())),
        years: v.years.iter().map(|y| (*y, q.year() == Some(*y))).collect(),
        all_years: q.year().is_none(),
        months: v.months.iter().map(|m| month_line(tr, &q, m, max)).collect(),
        detail_title: match month {
            Some(m) => tr.targs("local-detail-month", &[("month", tr.month(m))]),
            None => tr.t("local-detail-latest"),
        },
        payments: listed.iter().take(shown).map(|l| payment_line(tr, l)).collect(),
        more: listed.len() - shown,
        export_query: q.year().map(|y| format!("?tahun={y}")).unwrap_or_default(),
    };
    Ok(render(&page))
}

fn period(tr: Tr, q: &LocalQuery) -> String {
    match q.year() {
        Some(y) => tr.targs("local-period-year", &[("year", y.to_string())]),
        None => tr.t("local-period-all"),
    }
}

pub async fn xlsx(State(state): State<AppState>, auth: Authed, Query(q): Query<LocalQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let v = state.store.money_kept_local(&auth.actor, &tenant, q.year()).await?;
    let month_headers = h_all(
        tr,
        &[
            "local-month",
            "local-retribution",
            "local-cooperation",
            "local-deals",
            "local-total",
            "local-lab-orders",
            "local-deal-count",
        ],
    );
    let month_row = |label: String, m: &LocalMonth| {
        vec![
            Value::Text(label),
            Value::Rupiah(m.retribution),
            Value::Rupiah(m.retribution_cooperation),
            Value::Rupiah(m.deals),
            Value::Rupiah(m.total()),
            Value::Number(f64::from(m.lab_orders)),
            Value::Number(f64::from(m.deal_count)),
        ]
    };
    let mut months: Vec<Vec<Value>> = v.months.iter().map(|m| month_row(tr.month(&m.month), m)).collect();
    months.push(month_row(tr.t("local-total"), &v.totals));
    let line_headers = h_all(
        tr,
        &[
            "local-date",
            "local-source",
            "local-reference",
            "local-payer",
            "local-payee",
            "local-amount",
            "local-in-cooperation",
        ],
    );
    let lines: Vec<Vec<Value>> = v
        .lines
        .iter()
        .map(|l| {
            let p = payment_line(tr, l);
            vec![
                Value::Text(p.date),
                Value::Text(p.source),
                Value::Text(p.reference),
                Value::Text(p.payer),
                Value::Text(p.payee),
                Value::Rupiah(l.amount),
                Value::Text(if l.in_cooperation { tr.t("local-in-cooperation") } else { String::new() }),
            ]
        })
        .collect();
    let title = tr.t("local-title");
    let subtitle = format!("{} · {} {}", period(tr, &q), tr.t("local-total"), tr.rupiah(v.totals.total()));
    let names = [tr.t("local-sheet-months"), tr.t("local-sheet-payments")];
    let bytes = xlsx_book(&[
        Sheet { name: &names[0], title: &title, subtitle: &subtitle, headers: &month_headers, rows: &months },
        Sheet { name: &names[1], title: &title, subtitle: &subtitle, headers: &line_headers, rows: &lines },
    ])
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    let (_, slug) = letterhead(&auth);
    Ok(download(bytes, XLSX, &format!("nilai-lokal-{slug}.xlsx")))
}

pub async fn pdf(State(state): State<AppState>, auth: Authed, Query(q): Query<LocalQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let v = state.store.money_kept_local(&auth.actor, &tenant, q.year()).await?;
    let title = tr.t("local-title");
    let mut doc = pdf_document(&auth, Orientation::Landscape, &title, Some(&period(tr, &q)));
    let mut facts = vec![
        (tr.t("local-total"), tr.rupiah(v.totals.total())),
        (tr.t("local-retribution"), tr.rupiah(v.totals.retribution)),
        (tr.t("local-cooperation"), tr.rupiah(v.totals.retribution_cooperation)),
        (tr.t("local-deals"), tr.rupiah(v.totals.deals)),
    ];
    if let Some((_, t)) = &v.agreement {
        facts.push((tr.t("local-agreement"), t.clone()));
    }
    doc.key_values(&facts);
    let empty = tr.t("empty-list");
    doc.heading(&tr.t("local-by-month"));
    let heads = h_all(tr, &["local-month", "local-retribution", "local-cooperation", "local-deals", "local-total"]);
    let columns = [
        Column::new(&heads[0], 1.6),
        Column::new(&heads[1], 1.5).right(),
        Column::new(&heads[2], 1.5).right(),
        Column::new(&heads[3], 1.5).right(),
        Column::new(&heads[4], 1.5).right(),
    ];
    let rows: Vec<Vec<String>> = v
        .months
        .iter()
        .map(|m| {
            vec![
                tr.month(&m.month),
                tr.rupiah(m.retribution),
                tr.rupiah(m.retribution_cooperation),
                tr.rupiah(m.deals),
                tr.rupiah(m.total()),
            ]
        })
        .collect();
    doc.table(&columns, &rows, &empty);
    doc.heading(&tr.t("local-payments"));
    let heads =
        h_all(tr, &["local-date", "local-source", "local-reference", "local-payer", "local-payee", "local-amount"]);
    let columns = [
        Column::new(&heads[0], 1.3),
        Column::new(&heads[1], 1.3),
        Column::new(&heads[2], 2.0),
        Column::new(&heads[3], 2.2),
        Column::new(&heads[4], 1.8),
        Column::new(&heads[5], 1.3).right(),
    ];
    let rows: Vec<Vec<String>> = v
        .lines
        .iter()
        .map(|l| {
            let p = payment_line(tr, l);
            let payer =
                if l.in_cooperation { format!("{} · {}", p.payer, tr.t("local-in-cooperation")) } else { p.payer };
            vec![p.date, p.source, p.reference, payer, p.payee, p.amount]
        })
        .collect();
    doc.table(&columns, &rows, &empty);
    let (_, slug) = letterhead(&auth);
    Ok(download(doc.finish(), PDF, &format!("nilai-lokal-{slug}.pdf")))
}

fn h_all(tr: Tr, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| tr.t(k)).collect()
}
