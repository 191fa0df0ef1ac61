//! The Labkesda's dashboard: retribution revenue (PAD) by month, test, customer and the
//! customer's kab/kota; turnaround from order to published certificate (median and p90);
//! pass and fail by parameter. The XLSX and the PDF hold the same lines as the page.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use sinergi_io::export::{Sheet, Value, xlsx_book};
use sinergi_io::pdf::{Column, Orientation};
use sinergi_store::lab::{LabReport, RevenueRow};

use super::exports::{PDF, XLSX, download, letterhead, pdf_document};
use super::umkm::tenant_of;
use super::{Shell, render};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

pub struct BarLine {
    pub label: String,
    pub orders: u32,
    pub amount: String,
    pub value: i64,
    pub max: i64,
}

pub struct VerdictLine {
    pub name: String,
    pub pass: u32,
    pub fail: u32,
    pub no_limit: u32,
    pub fail_share: String,
}

#[derive(Template)]
#[template(path = "lab_dashboard.html")]
struct DashboardPage {
    shell: Shell,
    total: String,
    paid_orders: u32,
    open_orders: u32,
    turnaround: String,
    /// (title key, lines): by month, kab/kota, test, customer.
    sections: Vec<(&'static str, Vec<BarLine>)>,
    verdicts: Vec<VerdictLine>,
    /// The cooperation the laboratory serves, whose PAD outcome its payments feed: (id, title,
    /// PAD recorded there).
    agreement: Option<(String, String, String)>,
}

pub(crate) fn region_label(code: &str) -> String {
    sinergi_domain::RegionCode::parse(code)
        .ok()
        .and_then(|c| sinergi_reference::region(&c).map(|r| r.name.clone()))
        .unwrap_or_else(|| code.to_owned())
}

fn bars(tr: Tr, rows: &[RevenueRow], label: impl Fn(&RevenueRow) -> String, limit: usize) -> Vec<BarLine> {
    let max = rows.iter().map(|r| r.amount).max().unwrap_or(0).max(1);
    rows.iter()
        .take(limit)
        .map(|r| BarLine { label: label(r), orders: r.orders, amount: tr.rupiah(r.amount), value: r.amount, max })
        .collect()
}

struct Lines {
    months: Vec<BarLine>,
    tests: Vec<BarLine>,
    customers: Vec<BarLine>,
    regions: Vec<BarLine>,
    verdicts: Vec<VerdictLine>,
    turnaround: String,
}

fn lines(tr: Tr, r: &LabReport) -> Lines {
    let max = r.by_month.iter().map(|m| m.amount).max().unwrap_or(0).max(1);
    Lines {
        months: r
            .by_month
            .iter()
            .map(|m| BarLine {
                label: tr.month(&m.month),
                orders: m.orders,
                amount: tr.rupiah(m.amount),
                value: m.amount,
                max,
            })
            .collect(),
        tests: bars(tr, &r.by_test, |x| x.label.clone(), 20),
        customers: bars(tr, &r.by_customer, |x| x.label.clone(), 20),
        regions: bars(tr, &r.by_region, |x| region_label(&x.key), 20),
        verdicts: r
            .verdicts
            .iter()
            .map(|v| {
                let judged = v.pass + v.fail;
                VerdictLine {
                    name: match v.medium {
                        Some(m) => format!("{} — {}", v.name, super::lab::medium_label(tr, m)),
                        None => v.name.clone(),
                    },
                    pass: v.pass,
                    fail: v.fail,
                    no_limit: v.no_limit,
                    fail_share: if judged == 0 {
                        "—".into()
                    } else {
                        super::umkm::percent(tr, f64::from(v.fail) / f64::from(judged))
                    },
                }
            })
            .collect(),
        turnaround: match &r.turnaround {
            Some(t) => tr.targs(
                "lab-turnaround-line",
                &[
                    ("median", tr.decimal((t.median_days * 10.0).round() / 10.0)),
                    ("p90", tr.decimal((t.p90_days * 10.0).round() / 10.0)),
                    ("count", t.published.to_string()),
                ],
            ),
            None => "—".into(),
        },
    }
}

pub async fn dashboard(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let r = state.store.lab_report(&auth.actor, &tenant).await?;
    let l = lines(tr, &r);
    let settings = state.store.lab_settings(&auth.actor, &tenant).await?;
    let agreement = match settings.agreement_id {
        // A reader who may not open the agreement still sees the laboratory's own figures.
        Some(id) => state.store.agreement(&auth.actor, id).await.ok().map(|d| {
            let pad: i64 = d
                .outcomes
                .iter()
                .filter(|o| o.kind == sinergi_domain::cooperation::outcomes::OutcomeKind::PadEarned)
                .map(|o| o.value)
                .sum();
            (id.to_string(), d.agreement.title, tr.rupiah(pad))
        }),
        None => None,
    };
    let page = DashboardPage {
        shell: Shell::new(&auth.ctx, "lab-dashboard-title"),
        total: tr.rupiah(r.total_revenue),
        paid_orders: r.paid_orders,
        open_orders: r.open_orders,
        turnaround: l.turnaround,
        sections: vec![
            ("lab-by-month", l.months),
            ("lab-by-region", l.regions),
            ("lab-by-test", l.tests),
            ("lab-by-customer", l.customers),
        ],
        verdicts: l.verdicts,
        agreement,
    };
    Ok(render(&page))
}

pub async fn dashboard_xlsx(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let r = state.store.lab_report(&auth.actor, &tenant).await?;
    let l = lines(tr, &r);
    let h = |keys: &[&str]| keys.iter().map(|k| tr.t(k)).collect::<Vec<String>>();
    let revenue_headers = h(&["lab-group", "lab-orders-count", "lab-revenue"]);
    let revenue_rows = |v: &[BarLine]| -> Vec<Vec<Value>> {
        v.iter()
            .map(|b| vec![Value::Text(b.label.clone()), Value::Number(f64::from(b.orders)), Value::Rupiah(b.value)])
            .collect()
    };
    let (m, t, c, g) =
        (revenue_rows(&l.months), revenue_rows(&l.tests), revenue_rows(&l.customers), revenue_rows(&l.regions));
    let verdict_headers =
        h(&["lab-parameter", "lab-verdict-memenuhi", "lab-verdict-tidak-memenuhi", "lab-verdict-tanpa-baku-mutu"]);
    let v: Vec<Vec<Value>> = l
        .verdicts
        .iter()
        .map(|x| {
            vec![
                Value::Text(x.name.clone()),
                Value::Number(f64::from(x.pass)),
                Value::Number(f64::from(x.fail)),
                Value::Number(f64::from(x.no_limit)),
            ]
        })
        .collect();
    let title = tr.t("lab-dashboard-title");
    let subtitle =
        format!("{} {} · {} {}", tr.t("lab-revenue"), tr.rupiah(r.total_revenue), tr.t("lab-turnaround"), l.turnaround);
    // Sheet names are short and without a slash: Excel refuses both.
    let names = ["lab-sheet-month", "lab-sheet-test", "lab-sheet-customer", "lab-sheet-region", "lab-sheet-verdicts"]
        .map(|k| tr.t(k));
    let bytes = xlsx_book(&[
        Sheet { name: &names[0], title: &title, subtitle: &subtitle, headers: &revenue_headers, rows: &m },
        Sheet { name: &names[1], title: &title, subtitle: &subtitle, headers: &revenue_headers, rows: &t },
        Sheet { name: &names[2], title: &title, subtitle: &subtitle, headers: &revenue_headers, rows: &c },
        Sheet { name: &names[3], title: &title, subtitle: &subtitle, headers: &revenue_headers, rows: &g },
        Sheet { name: &names[4], title: &title, subtitle: &subtitle, headers: &verdict_headers, rows: &v },
    ])
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    let (_, slug) = letterhead(&auth);
    Ok(download(bytes, XLSX, &format!("labkesda-{slug}.xlsx")))
}

pub async fn dashboard_pdf(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let r = state.store.lab_report(&auth.actor, &tenant).await?;
    let l = lines(tr, &r);
    let title = tr.t("lab-dashboard-title");
    let mut doc = pdf_document(&auth, Orientation::Portrait, &title, Some(&tr.t("lab-issuer")));
    doc.key_values(&[
        (tr.t("lab-revenue"), tr.rupiah(r.total_revenue)),
        (tr.t("lab-paid-orders"), r.paid_orders.to_string()),
        (tr.t("lab-open-orders"), r.open_orders.to_string()),
        (tr.t("lab-turnaround"), l.turnaround.clone()),
    ]);
    let (g, n, a) = (tr.t("lab-group"), tr.t("lab-orders-count"), tr.t("lab-revenue"));
    let columns = [Column::new(&g, 3.0), Column::new(&n, 1.0).right(), Column::new(&a, 1.5).right()];
    let empty = tr.t("empty-list");
    for (heading, v) in [
        ("lab-by-month", &l.months),
        ("lab-by-test", &l.tests),
        ("lab-by-customer", &l.customers),
        ("lab-by-region", &l.regions),
    ] {
        doc.heading(&tr.t(heading));
        let rows: Vec<Vec<String>> =
            v.iter().map(|b| vec![b.label.clone(), b.orders.to_string(), b.amount.clone()]).collect();
        doc.table(&columns, &rows, &empty);
    }
    doc.heading(&tr.t("lab-pass-fail"));
    let (p, ok, bad, share) = (
        tr.t("lab-parameter"),
        tr.t("lab-verdict-memenuhi"),
        tr.t("lab-verdict-tidak-memenuhi"),
        tr.t("lab-fail-share"),
    );
    let columns = [
        Column::new(&p, 2.5),
        Column::new(&ok, 1.0).right(),
        Column::new(&bad, 1.0).right(),
        Column::new(&share, 1.0).right(),
    ];
    let rows: Vec<Vec<String>> = l
        .verdicts
        .iter()
        .map(|v| vec![v.name.clone(), v.pass.to_string(), v.fail.to_string(), v.fail_share.clone()])
        .collect();
    doc.table(&columns, &rows, &empty);
    let (_, slug) = letterhead(&auth);
    Ok(download(doc.finish(), PDF, &format!("labkesda-{slug}.pdf")))
}
