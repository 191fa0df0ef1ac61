//! The daily job and the mail sender. They live next to the translations because reminders are
//! written in the Pemda's language (Bahasa Indonesia).
//!
//! `run_daily` finds agreements that stopped on paper, agreements nearing their end (90, 30 and
//! 7 days), overdue activities and overdue meeting action items, and raises each once (the store dedupes by key, so running
//! the job twice a day sends nothing twice). `deliver_mail` sends what the outbox holds.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::client::Tls;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sinergi_domain::cooperation::dormancy::{DEFAULT_REMINDER_DAYS, expiry_reminder, is_overdue};
use sinergi_domain::format::{Locale, format_date};
use sinergi_domain::{Actor, Scope};
use sinergi_store::Store;
use sinergi_store::reminders::Reminder;

use crate::i18n::Tr;

/// Where mail goes. `smtp://host:port` (plain, for a local relay) or `smtps://host:port`
/// (TLS); `SINERGI_SMTP_URL`. Without it reminders stay in the app and the outbox waits.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    pub tls: bool,
    pub from: Mailbox,
}

impl MailConfig {
    pub fn parse(url: &str, from: &str) -> Result<Self, String> {
        let (tls, rest) = if let Some(r) = url.strip_prefix("smtps://") {
            (true, r)
        } else if let Some(r) = url.strip_prefix("smtp://") {
            (false, r)
        } else {
            return Err("SMTP URL must start with smtp:// or smtps://".into());
        };
        let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), p.parse::<u16>().map_err(|_| "bad SMTP port".to_owned())?),
            None => (rest.trim_end_matches('/').to_owned(), if tls { 465 } else { 25 }),
        };
        let from = from.parse::<Mailbox>().map_err(|e| format!("bad sender address: {e}"))?;
        Ok(Self { host, port, tls, from })
    }
}

/// Today in WIB.
pub fn today_wib() -> time::Date {
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::now_utc().to_offset(offset).date()
}

/// Compute and raise the day's reminders for every tenant. Returns how many were new.
pub async fn run_daily(store: &Store, today: time::Date, base_url: &str) -> Result<usize, sinergi_store::StoreError> {
    let system = Actor::system("daily job");
    let tr = Tr::new(Locale::Id);
    let mut reminders = Vec::new();
    for tenant in store.tenants(&system).await? {
        let actor = Actor { scope: Scope::Tenant(tenant.code.clone()), ..system.clone() };
        let p = store.portfolio(&actor).await?;
        for a in &p.agreements {
            let link = format!("/cooperation/agreements/{}", a.id);
            let mail = |message: &str| format!("{message}\n\n{base_url}{link}\n\n— Sinergi");
            if let Some(d) = p.dormancy(a, tenant.dormancy, today) {
                reminders.push(Reminder {
                    to_partner: None,
                    tenant: tenant.code.clone(),
                    dedupe_key: format!("dormant:{}:{}", a.id, d.since),
                    kind: "dormant".into(),
                    message: tr.t1("reminder-dormant", "title", &a.title),
                    mail_body: mail(&tr.t1("reminder-dormant", "title", &a.title)),
                    subject: tr.t1("reminder-dormant-subject", "title", &a.title),
                    link: link.clone(),
                });
            }
            if let Some(end) = a.ends_on
                && !a.stage.is_terminal()
                && let Some(threshold) = expiry_reminder(end, today, &DEFAULT_REMINDER_DAYS)
            {
                let days_left = (end - today).whole_days();
                let message = tr.targs(
                    "reminder-expiry",
                    &[
                        ("title", a.title.clone()),
                        ("date", format_date(end, Locale::Id)),
                        ("days", days_left.to_string()),
                    ],
                );
                reminders.push(Reminder {
                    to_partner: None,
                    tenant: tenant.code.clone(),
                    // Once per threshold (90, 30, 7 days), whatever day the job ran.
                    dedupe_key: format!("expiry:{}:{threshold}", a.id),
                    kind: "expiry".into(),
                    subject: tr.t1("reminder-expiry-subject", "title", &a.title),
                    mail_body: mail(&message),
                    message,
                    link: link.clone(),
                });
            }
            for x in p.activities_of(a.id) {
                if let Some(planned) = x.planned_on
                    && is_overdue(planned, x.done_on.is_some(), today)
                {
                    let message = tr.targs(
                        "reminder-overdue",
                        &[("title", x.title.clone()), ("date", format_date(planned, Locale::Id))],
                    );
                    reminders.push(Reminder {
                        to_partner: None,
                        tenant: tenant.code.clone(),
                        dedupe_key: format!("overdue:{}:{}:{planned}", a.id, x.title),
                        kind: "overdue".into(),
                        mail_body: mail(&message),
                        message,
                        subject: tr.t1("reminder-overdue-subject", "title", &x.title),
                        link: link.clone(),
                    });
                }
            }
        }
        for o in store.overdue_action_items(&actor, today).await? {
            let Some(due) = o.item.due_on else { continue };
            let link = format!("/meetings/{}", o.meeting_id);
            let message = tr.targs(
                "reminder-action-overdue",
                &[
                    ("title", o.item.title.clone()),
                    ("meeting", o.meeting_title.clone()),
                    ("date", format_date(due, Locale::Id)),
                ],
            );
            reminders.push(Reminder {
                to_partner: None,
                tenant: tenant.code.clone(),
                // Once per item and due date: moving the date makes a new reminder.
                dedupe_key: format!("action-overdue:{}:{due}", o.item.id),
                kind: "action-overdue".into(),
                subject: tr.t1("reminder-action-overdue-subject", "title", &o.item.title),
                mail_body: format!("{message}\n\n{base_url}{link}\n\n— Sinergi"),
                message,
                link,
            });
        }
        reminders.extend(csr_reports_late(store, &actor, &tenant, today, base_url).await?);
        reminders.extend(permits_expiring(store, &actor, &tenant.code, today, base_url).await?);
    }
    store.raise_reminders(&reminders).await
}

/// Days before a UMKM permit ends when the UMKM office is reminded: a P-IRT or halal renewal
/// takes weeks, so the first reminder comes two months ahead.
const PERMIT_REMINDER_DAYS: [u16; 3] = [60, 30, 7];

/// Permits of the registry's businesses that end soon, once per permit and threshold.
async fn permits_expiring(
    store: &Store,
    actor: &Actor,
    tenant: &sinergi_domain::RegionCode,
    today: time::Date,
    base_url: &str,
) -> Result<Vec<Reminder>, sinergi_store::StoreError> {
    let tr = Tr::new(Locale::Id);
    let until = today + time::Duration::days(i64::from(PERMIT_REMINDER_DAYS[0]));
    let permits = store.umkm_permits_expiring(actor, tenant, today, until).await?;
    Ok(permits
        .into_iter()
        .filter_map(|p| {
            let threshold = expiry_reminder(p.expires, today, &PERMIT_REMINDER_DAYS)?;
            let link = format!("/umkm/{}", p.business);
            let args = [
                ("name", p.business_name.clone()),
                ("kind", tr.t(&format!("umkm-permit-{}", p.kind.slug()))),
                ("number", p.number.clone()),
                ("date", format_date(p.expires, Locale::Id)),
                ("days", (p.expires - today).whole_days().to_string()),
            ];
            let message = tr.targs("reminder-permit-expiry", &args);
            Some(Reminder {
                to_partner: None,
                tenant: tenant.clone(),
                dedupe_key: format!("permit:{}:{threshold}", p.permit),
                kind: "permit-expiry".into(),
                subject: tr.targs("reminder-permit-expiry-subject", &args),
                mail_body: format!("{message}\n\n{base_url}{link}\n\n— Sinergi"),
                message,
                link,
            })
        })
        .collect())
}

/// Days after a reporting window ends before a missing CSR report counts as late.
const CSR_GRACE_DAYS: i64 = 30;

/// A company's realisation report that is late: mailed to the company's own users, once per
/// pledge and window, and listed for the Pemda with the other reminders.
async fn csr_reports_late(
    store: &Store,
    actor: &Actor,
    tenant: &sinergi_store::tenants::Tenant,
    today: time::Date,
    base_url: &str,
) -> Result<Vec<Reminder>, sinergi_store::StoreError> {
    let tr = Tr::new(Locale::Id);
    let book = store.csr_book(actor, &tenant.code).await?;
    let mut out = Vec::new();
    for n in &book.needs {
        if n.need.status == sinergi_domain::csr::CsrNeedStatus::Closed {
            continue;
        }
        for p in &n.pledges {
            for w in p.due(book.windows, today) {
                if !book.windows.is_late(w, today, CSR_GRACE_DAYS) {
                    continue;
                }
                let link = format!("/csr/pledges/{}/report?window={}", p.pledge.id, w.key());
                let message = tr.targs(
                    "reminder-csr-late",
                    &[
                        ("company", p.pledge.partner_name.clone()),
                        ("window", crate::pages::csr::window_label(tr, book.windows, w)),
                        ("title", n.need.title.clone()),
                    ],
                );
                out.push(Reminder {
                    tenant: tenant.code.clone(),
                    dedupe_key: format!("csr-late:{}:{}", p.pledge.id, w.key()),
                    kind: "csr-late".into(),
                    subject: tr.t1("reminder-csr-late-subject", "title", &n.need.title),
                    mail_body: format!("{message}\n\n{base_url}{link}\n\n— Sinergi"),
                    message,
                    link,
                    to_partner: Some(p.pledge.partner_id),
                });
            }
        }
    }
    Ok(out)
}

/// Send what the outbox holds. Each mail is marked sent, or failed with a later retry; an
/// unreachable server loses nothing.
pub async fn deliver_mail(store: &Store, config: &MailConfig) -> Result<(usize, usize), sinergi_store::StoreError> {
    let builder = if config.tls {
        AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host).map(|b| b.port(config.port))
    } else {
        Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host).port(config.port).tls(Tls::None))
    };
    let mailer = match builder {
        Ok(b) => b.timeout(Some(Duration::from_secs(20))).build(),
        Err(e) => {
            tracing::error!(error = %e, "SMTP configuration");
            return Ok((0, 0));
        }
    };
    let (mut sent, mut failed) = (0, 0);
    for mail in store.due_mail(100).await? {
        let message = mail.to.parse::<Mailbox>().map_err(|e| e.to_string()).and_then(|to| {
            Message::builder()
                .from(config.from.clone())
                .to(to)
                .subject(&mail.subject)
                .body(mail.body.clone())
                .map_err(|e| e.to_string())
        });
        let result = match message {
            Ok(m) => mailer.send(m).await.map(drop).map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                store.mail_sent(&mail).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(error = %e, attempts = mail.attempts + 1, "mail not sent; will retry");
                store.mail_failed(&mail, &e).await?;
                failed += 1;
            }
        }
    }
    Ok((sent, failed))
}
