//! Markets for the registry's businesses: channel pipelines (modern retail, MBG/SPPG kitchens,
//! Koperasi Merah Putih, the e-catalogue) and financing referrals to partner banks (KUR).
//!
//! The rules are the domain's (`sinergi_domain::market`): the checklist gates the pipeline, the
//! kitchen supply rule, the referral's steps and the schemes' ceilings. The store gathers what
//! the registry knows (NIB, NPWP, permits valid today), scopes every read and write to the
//! actor's Pemda (and a bank's user to its own referrals), and audits every write in its
//! transaction.

pub mod channels;
pub mod financing;

use sinergi_domain::auth::FieldError;
use sinergi_domain::{Actor, Permission, RegionCode};
use time::Date;

use crate::agencies::target_tenant;
use crate::audit::{Change, RecordType, record};
use crate::db::Tx;
use crate::{Result, StoreError};

pub use channels::{
    Channel, ChannelInput, ChannelSummary, EntryRow, Funnel, KitchenHealth, Suggestion, kitchen_health,
};
pub use financing::{ReferralEvent, ReferralFilter, ReferralInput, ReferralMove, ReferralRow, SchemeInput, SchemeRow};

fn market_tenant(actor: &Actor, permission: Permission, tenant: &RegionCode) -> Result<RegionCode> {
    if !actor.can(permission) {
        return Err(StoreError::Forbidden);
    }
    target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)
}

/// The actor's own Pemda, whatever the role: rows are looked up in it before the role is
/// judged, so that another Pemda's id is "not found" to everyone, never "forbidden".
fn own_tenant(actor: &Actor, tenant: &RegionCode) -> Result<RegionCode> {
    target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)
}

fn clean(s: &str, field: &'static str, max: usize) -> Result<String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Err(StoreError::Invalid(FieldError::new(field, "required")));
    }
    if t.chars().count() > max {
        return Err(StoreError::Invalid(FieldError::new(field, "too-long")));
    }
    Ok(t)
}

fn optional(s: Option<&str>, field: &'static str, max: usize) -> Result<Option<String>> {
    match s.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => clean(t, field, max).map(Some),
    }
}

fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, &time::format_description::well_known::Iso8601::DATE).ok()
}

/// A date an officer records for a step: not in the future (the step happened), and not
/// before the step it follows.
fn check_on(on: Date, today: Date, after: Option<Date>, field: &'static str) -> Result<()> {
    if on > today {
        return Err(StoreError::Invalid(FieldError::new(field, "date-in-future")));
    }
    if after.is_some_and(|a| on < a) {
        return Err(StoreError::Invalid(FieldError::new(field, "date-before-previous")));
    }
    Ok(())
}

/// A market record's audit event: channels, financing and demand matching alike.
pub(crate) async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    id: String,
    action: &'static str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> Result<()> {
    record(
        tx,
        actor,
        Change {
            tenant: Some(tenant),
            action,
            record_type: RecordType::Market,
            record_id: id,
            before,
            after: Some(after),
        },
    )
    .await
}

/// Whole rupiah from an optional number an officer typed; zero and below are refused.
fn positive(v: Option<i64>, field: &'static str) -> Result<Option<i64>> {
    match v {
        Some(n) if n <= 0 => Err(StoreError::Invalid(FieldError::new(field, "invalid-amount"))),
        other => Ok(other),
    }
}
