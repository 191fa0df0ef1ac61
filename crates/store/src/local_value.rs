//! Money kept local (issue 7, part 4): what stays in the region because a buyer found a local
//! seller. Two sources, one page: the Labkesda's retribution (PAD), paid by companies that
//! would otherwise send their samples to Tangerang or Jakarta, and the deals of demand
//! matching, paid to local suppliers. Each month's sums come with the lines behind them.

use std::collections::BTreeMap;

use serde::Serialize;
use sinergi_domain::{Actor, AgreementId, RegionCode};
use time::Date;
use uuid::Uuid;

use crate::{Result, Store};

/// Where a line's money comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LocalSource {
    /// A laboratory order's retribution, paid to the Pemda.
    LabRetribution,
    /// A deal from demand matching, paid to a local supplier.
    Deal,
}

/// One payment behind the sums.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocalLine {
    pub source: LocalSource,
    pub on: Date,
    pub amount: i64,
    /// The lab order or the demand, for the link.
    pub record_id: Uuid,
    /// The order's number with the invoice, or the demand's title.
    pub reference: String,
    /// The company that ordered the test, or the buyer.
    pub payer: String,
    /// The customer's kab/kota code (lab orders).
    pub payer_region: Option<String>,
    /// The supplier paid (deals); the lab itself for retribution.
    pub payee: Option<String>,
    /// On the cooperation agreement's PAD outcome: a customer from its partner Pemda.
    pub in_cooperation: bool,
}

/// One month's sums.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LocalMonth {
    /// "2026-11".
    pub month: String,
    pub retribution: i64,
    pub lab_orders: u32,
    /// The part of `retribution` paid by the partner Pemda's companies.
    pub retribution_cooperation: i64,
    pub deals: i64,
    pub deal_count: u32,
}

impl LocalMonth {
    pub fn total(&self) -> i64 {
        self.retribution + self.deals
    }
}

/// The page's figures for one year, or every year.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LocalValue {
    /// The agreement the lab serves, whose PAD outcome counts the partner's orders.
    pub agreement: Option<(AgreementId, String)>,
    /// Newest first.
    pub months: Vec<LocalMonth>,
    /// Newest first.
    pub lines: Vec<LocalLine>,
    /// The years with any line, newest first, for the year filter.
    pub years: Vec<i32>,
    pub totals: LocalMonth,
}

/// Sums by month, newest first, and the sum of them all (whose `month` is empty).
pub fn by_month(lines: &[LocalLine]) -> (Vec<LocalMonth>, LocalMonth) {
    let mut months: BTreeMap<String, LocalMonth> = BTreeMap::new();
    let mut totals = LocalMonth::default();
    for l in lines {
        let month = format!("{:04}-{:02}", l.on.year(), u8::from(l.on.month()));
        let m = months.entry(month.clone()).or_insert_with(|| LocalMonth { month, ..Default::default() });
        for m in [m, &mut totals] {
            match l.source {
                LocalSource::LabRetribution => {
                    m.retribution += l.amount;
                    m.lab_orders += 1;
                    if l.in_cooperation {
                        m.retribution_cooperation += l.amount;
                    }
                }
                LocalSource::Deal => {
                    m.deals += l.amount;
                    m.deal_count += 1;
                }
            }
        }
    }
    (months.into_values().rev().collect(), totals)
}

impl Store {
    /// The Pemda's money kept local in `year` (every year when `None`): internal users.
    pub async fn money_kept_local(&self, actor: &Actor, tenant: &RegionCode, year: Option<i32>) -> Result<LocalValue> {
        let lab = self.lab_payments(actor, tenant).await?;
        let deals = self.demand_deals(actor, tenant).await?;
        let mut lines: Vec<LocalLine> = lab
            .payments
            .into_iter()
            .map(|p| LocalLine {
                source: LocalSource::LabRetribution,
                on: p.paid_on,
                amount: p.amount,
                record_id: p.order_id.as_uuid(),
                reference: if p.invoice.is_empty() { p.number } else { format!("{} · {}", p.number, p.invoice) },
                payer: p.customer,
                payer_region: p.customer_region,
                payee: None,
                in_cooperation: p.in_cooperation,
            })
            .chain(deals.into_iter().map(|d| LocalLine {
                source: LocalSource::Deal,
                on: d.on,
                amount: d.value,
                record_id: d.demand.id.as_uuid(),
                reference: d.demand.title,
                payer: d.demand.buyer_name,
                payer_region: None,
                payee: Some(d.supplier),
                in_cooperation: false,
            }))
            .collect();
        let mut years: Vec<i32> = lines.iter().map(|l| l.on.year()).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        if let Some(y) = year {
            lines.retain(|l| l.on.year() == y);
        }
        lines.sort_by(|a, b| b.on.cmp(&a.on).then_with(|| a.reference.cmp(&b.reference)));
        let (months, totals) = by_month(&lines);
        Ok(LocalValue { agreement: lab.agreement, months, lines, years, totals })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn line(source: LocalSource, on: Date, amount: i64, in_cooperation: bool) -> LocalLine {
        LocalLine {
            source,
            on,
            amount,
            record_id: Uuid::nil(),
            reference: String::new(),
            payer: String::new(),
            payer_region: None,
            payee: None,
            in_cooperation,
        }
    }

    #[test]
    fn months_sum_both_sources_newest_first() {
        let lines = [
            line(LocalSource::LabRetribution, date!(2026 - 10 - 02), 1_500_000, true),
            line(LocalSource::LabRetribution, date!(2026 - 10 - 30), 400_000, false),
            line(LocalSource::Deal, date!(2026 - 11 - 05), 2_850_000, false),
            line(LocalSource::Deal, date!(2025 - 12 - 31), 100, false),
        ];
        let (months, totals) = by_month(&lines);
        assert_eq!(months.iter().map(|m| m.month.as_str()).collect::<Vec<_>>(), ["2026-11", "2026-10", "2025-12"]);
        assert_eq!(
            months[1],
            LocalMonth {
                month: "2026-10".into(),
                retribution: 1_900_000,
                lab_orders: 2,
                retribution_cooperation: 1_500_000,
                deals: 0,
                deal_count: 0
            }
        );
        assert_eq!((months[0].deals, months[0].deal_count, months[0].total()), (2_850_000, 1, 2_850_000));
        assert_eq!(
            (totals.total(), totals.retribution_cooperation, totals.lab_orders, totals.deal_count),
            (4_750_100, 1_500_000, 2, 2)
        );
        assert!(totals.month.is_empty());
    }
}
