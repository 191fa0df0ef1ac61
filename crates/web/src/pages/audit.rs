//! The audit trail page: events with filters, and one record's history.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::UserId;
use sinergi_store::audit::{AuditEvent, AuditFilter, RecordType};
use sinergi_store::users::UserFilter;
use time::macros::format_description;
use time::{Date, PrimitiveDateTime, UtcOffset};

use super::{Shell, render};
use crate::AppState;
use crate::auth::Authed;
use crate::error::AppResult;
use crate::i18n::Tr;

pub struct EventRow {
    pub when: String,
    pub who: String,
    pub what: String,
    pub record_type: String,
    pub record_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// "Membuat Perangkat Daerah: Dinas Kesehatan".
pub fn event_row(tr: Tr, e: &AuditEvent) -> EventRow {
    let name = [&e.after, &e.before]
        .into_iter()
        .flatten()
        .find_map(|v| v.get("name").or_else(|| v.get("email")).and_then(|n| n.as_str()).map(str::to_owned));
    let action = tr.t(&format!("audit-action-{}", e.action.replace('_', "-")));
    let record = tr.t(&format!("record-{}", e.record_type));
    // A login or logout is about the person in "who"; naming the session adds nothing.
    let what = match (name, e.record_type.as_str()) {
        (_, "session") => action,
        (Some(n), _) => format!("{action} {record}: {n}"),
        (None, _) => format!("{action} {record}"),
    };
    let pretty = |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| serde_json::to_string_pretty(v).ok());
    EventRow {
        when: tr.datetime_ms(e.at_ms),
        who: e.actor_label.clone(),
        what,
        record_type: e.record_type.clone(),
        record_id: e.record_id.clone(),
        before: pretty(&e.before),
        after: pretty(&e.after),
    }
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    user: String,
    #[serde(default)]
    record_type: String,
    #[serde(default)]
    record_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    shell: Shell,
    filter: AuditQuery,
    users: Vec<(String, String)>,
    record_types: Vec<(String, String)>,
    rows: Vec<EventRow>,
    error: Option<String>,
}

/// The start of a calendar day in WIB (UTC+7), where Banten's officials read their dates.
fn day_start_ms(date: Date) -> i64 {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let t = PrimitiveDateTime::new(date, time::Time::MIDNIGHT).assume_offset(offset);
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

fn parse_day(s: &str) -> Result<Option<Date>, ()> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    Date::parse(s.trim(), format_description!("[year]-[month]-[day]")).map(Some).map_err(|_| ())
}

pub async fn audit_page(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<AuditQuery>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let mut error = None;
    let mut filter = AuditFilter { limit: 200, ..Default::default() };
    filter.actor = q.user.parse::<UserId>().ok();
    filter.record_type = RecordType::parse(&q.record_type);
    filter.record_id = Some(q.record_id.trim().to_owned()).filter(|s| !s.is_empty());
    match (parse_day(&q.from), parse_day(&q.until)) {
        (Ok(from), Ok(until)) => {
            filter.from_ms = from.map(day_start_ms);
            filter.until_ms = until.and_then(|d| d.next_day()).map(day_start_ms);
        }
        _ => error = Some(tr.t("error-invalid-date")),
    }
    let events = state.store.audit_events(&auth.actor, &filter).await?;
    let users = state
        .store
        .users(&auth.actor, &UserFilter::default())
        .await?
        .into_iter()
        .map(|u| (u.id.to_string(), format!("{} <{}>", u.name, u.email)))
        .collect();
    let record_types =
        RecordType::ALL.into_iter().map(|t| (t.as_str().to_owned(), tr.t(&format!("record-{}", t.as_str())))).collect();
    Ok(render(&AuditPage {
        shell: Shell::new(&auth.ctx, "audit-title"),
        rows: events.iter().map(|e| event_row(tr, e)).collect(),
        filter: q,
        users,
        record_types,
        error,
    }))
}
