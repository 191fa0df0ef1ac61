//! Meetings (rapat, FGD, the mapping meeting, the CSR forum) and the action items they leave
//! behind. "MoUs stop as documents": what a meeting decides is only worth something if each
//! follow-up has an owner and a date, and a late one is flagged.
//!
//! The parsed drafts here are what the store accepts; the store adds what needs the database
//! (the tenant, who a user or contact is, which needs and agreements exist).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;

use super::dormancy::is_overdue;
use crate::auth::{FieldError, required_text};
use crate::{ContactId, UserId};

/// What kind of meeting. Kept general on purpose: the CSR forum of a later issue is a meeting
/// with the same attendees, decisions and follow-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MeetingKind {
    /// A coordination or technical meeting (rapat koordinasi, rapat teknis, a courtesy visit).
    Rapat,
    /// Focus group discussion with stakeholders from outside the Pemda.
    Fgd,
    /// Rapat pemetaan kerja sama: where agencies set their priority cooperation needs.
    RapatPemetaan,
    /// The forum where companies hear the Pemda's CSR needs and pledge.
    ForumCsr,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 4] =
        [MeetingKind::Rapat, MeetingKind::Fgd, MeetingKind::RapatPemetaan, MeetingKind::ForumCsr];

    pub fn slug(self) -> &'static str {
        match self {
            MeetingKind::Rapat => "rapat",
            MeetingKind::Fgd => "fgd",
            MeetingKind::RapatPemetaan => "rapat-pemetaan",
            MeetingKind::ForumCsr => "forum-csr",
        }
    }
}

impl fmt::Display for MeetingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for MeetingKind {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.slug() == s.trim()).ok_or(FieldError::new("kind", "invalid-choice"))
    }
}

/// Where an action item stands: open → in progress → done, or cancelled at any point before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    /// No longer needed (overtaken by events, merged into another item). Never overdue.
    Cancelled,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] =
        [ActionStatus::Open, ActionStatus::InProgress, ActionStatus::Done, ActionStatus::Cancelled];

    pub fn slug(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in-progress",
            ActionStatus::Done => "done",
            ActionStatus::Cancelled => "cancelled",
        }
    }

    /// Done and cancelled items are closed: they are never overdue and do not move again, so
    /// the record of who closed what, when, stays as it was (a mistake is a new item).
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::Cancelled)
    }

    /// The statuses an item may move to next. An item may be finished straight from open:
    /// small follow-ups ("send the minutes") are done before anyone marks them started.
    pub fn next(self) -> &'static [ActionStatus] {
        use ActionStatus::*;
        match self {
            Open => &[InProgress, Done, Cancelled],
            InProgress => &[Done, Cancelled],
            Done | Cancelled => &[],
        }
    }

    pub fn check_move(self, to: ActionStatus) -> Result<(), FieldError> {
        if self.next().contains(&to) { Ok(()) } else { Err(FieldError::new("status", "status-not-allowed")) }
    }
}

impl fmt::Display for ActionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for ActionStatus {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.slug() == s.trim()).ok_or(FieldError::new("status", "invalid-choice"))
    }
}

/// An action item is overdue from the day after its due date until it is done or cancelled.
/// One without a due date is never overdue: the meeting did not set one.
pub fn action_overdue(due: Option<Date>, status: ActionStatus, today: Date) -> bool {
    due.is_some_and(|d| is_overdue(d, status.is_closed(), today))
}

/// The fields of a meeting, parsed from a form or a JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDraft {
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: Date,
    pub place: Option<String>,
    pub agenda: Option<String>,
    pub minutes: Option<String>,
    /// One decision per line.
    pub decisions: Option<String>,
}

impl MeetingDraft {
    /// Every field from text, every error collected so that a form shows them all at once.
    pub fn parse(
        kind: &str,
        title: &str,
        held_on: &str,
        place: &str,
        agenda: &str,
        minutes: &str,
        decisions: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut e = Vec::new();
        let kind = keep(&mut e, kind.parse::<MeetingKind>());
        let title = keep(&mut e, required_text("title", title, 200));
        let held_on = keep(&mut e, parse_date("held_on", held_on).and_then(|d| d.ok_or(required("held_on"))));
        let place = keep(&mut e, optional_line("place", place, 200));
        let agenda = keep(&mut e, optional_lines("agenda", agenda, 4_000));
        let minutes = keep(&mut e, optional_lines("minutes", minutes, 20_000));
        let decisions = keep(&mut e, optional_lines("decisions", decisions, 8_000));
        match (kind, title, held_on, place, agenda, minutes, decisions) {
            (Some(kind), Some(title), Some(held_on), Some(place), Some(agenda), Some(minutes), Some(decisions))
                if e.is_empty() =>
            {
                Ok(Self { kind, title, held_on, place, agenda, minutes, decisions })
            }
            _ => Err(e),
        }
    }
}

/// Who attended: a user of the Pemda, a contact person from the partner registry, or someone
/// who is in neither (a guest speaker, a representative whose name was not taken).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AttendeeRef {
    User(UserId),
    Contact(ContactId),
    Guest { name: String, organisation: Option<String> },
}

impl AttendeeRef {
    /// `who` is what the attendee picker sends: `user:<id>`, `contact:<id>`, or empty for a
    /// guest named in `name` (and `organisation`). Picking someone and also typing a name is
    /// refused rather than guessed at.
    pub fn parse(who: &str, name: &str, organisation: &str) -> Result<Self, FieldError> {
        let typed = !name.trim().is_empty() || !organisation.trim().is_empty();
        let invalid = || FieldError::new("who", "invalid-choice");
        match who.trim().split_once(':') {
            Some(_) if typed => Err(FieldError::new("who", "attendee-choose-one")),
            Some(("user", id)) => id.trim().parse().map(AttendeeRef::User).map_err(|_| invalid()),
            Some(("contact", id)) => id.trim().parse().map(AttendeeRef::Contact).map_err(|_| invalid()),
            Some(_) => Err(invalid()),
            None if !who.trim().is_empty() => Err(invalid()),
            None => Ok(AttendeeRef::Guest {
                name: required_text("name", name, 120)?,
                organisation: optional_line("organisation", organisation, 200)?,
            }),
        }
    }
}

/// A follow-up agreed in a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItemDraft {
    pub title: String,
    /// A user of the Pemda who answers for it, when there is one.
    pub owner_user: Option<UserId>,
    /// Who answers for it in words ("Bagian Kerja Sama", "Diskominfo"); for a user, their name
    /// is used when this is left empty.
    pub owner_label: Option<String>,
    pub due_on: Option<Date>,
}

impl ActionItemDraft {
    pub fn parse(title: &str, owner_user: &str, owner_label: &str, due_on: &str) -> Result<Self, Vec<FieldError>> {
        let mut e = Vec::new();
        let title = keep(&mut e, required_text("item_title", title, 300));
        let owner_user = keep(
            &mut e,
            match owner_user.trim() {
                "" => Ok(None),
                id => id.parse::<UserId>().map(Some).map_err(|_| FieldError::new("owner_user_id", "invalid-choice")),
            },
        );
        let owner_label = keep(&mut e, optional_line("owner_label", owner_label, 200));
        let due_on = keep(&mut e, parse_date("due_on", due_on));
        match (title, owner_user, owner_label, due_on) {
            (Some(title), Some(owner_user), Some(owner_label), Some(due_on)) if e.is_empty() => {
                Ok(Self { title, owner_user, owner_label, due_on })
            }
            _ => Err(e),
        }
    }
}

/// The decisions of a meeting as a list: one per line, with the bullets and numbers people
/// type in front of them ("- ", "• ", "1. ", "2) ") taken off.
pub fn decision_lines(decisions: &str) -> Vec<&str> {
    decisions.lines().map(|l| strip_bullet(l.trim())).filter(|l| !l.is_empty()).collect()
}

fn strip_bullet(line: &str) -> &str {
    if let Some(rest) = line.strip_prefix(['-', '•', '*']) {
        return rest.trim_start();
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = line[digits..].strip_prefix(['.', ')'])
    {
        return rest.trim_start();
    }
    line
}

/// A calendar date as typed in a date field: ISO `YYYY-MM-DD`; empty is `None`.
fn parse_date(field: &'static str, s: &str) -> Result<Option<Date>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        t => Date::parse(t, format_description!("[year]-[month]-[day]"))
            .map(Some)
            .map_err(|_| FieldError::new(field, "invalid-date")),
    }
}

fn required(field: &'static str) -> FieldError {
    FieldError::new(field, "required")
}

/// One line of optional text (a place, an organisation): whitespace collapsed.
fn optional_line(field: &'static str, s: &str, max_chars: usize) -> Result<Option<String>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        t => required_text(field, t, max_chars).map(Some),
    }
}

/// Optional text kept in its lines (an agenda, minutes, decisions): line breaks are the
/// structure people gave it, so only trailing spaces and blank edges are removed.
fn optional_lines(field: &'static str, s: &str, max_chars: usize) -> Result<Option<String>, FieldError> {
    let text = s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    let text = text.trim_matches('\n').trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > max_chars {
        return Err(FieldError::new(field, "too-long"));
    }
    Ok(Some(text.to_owned()))
}

/// Collect a field error and carry on, so that a form reports every bad field at once.
fn keep<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn kinds_and_statuses_round_trip() {
        for k in MeetingKind::ALL {
            assert_eq!(k.slug().parse::<MeetingKind>(), Ok(k));
        }
        for s in ActionStatus::ALL {
            assert_eq!(s.slug().parse::<ActionStatus>(), Ok(s));
            assert_eq!(s.is_closed(), s.next().is_empty(), "{s}");
        }
        assert_eq!("rapat_pemetaan".parse::<MeetingKind>().unwrap_err().field, "kind");
        assert_eq!("selesai".parse::<ActionStatus>().unwrap_err().reason, "invalid-choice");
    }

    #[test]
    fn action_items_move_forward_or_are_cancelled() {
        use ActionStatus::*;
        assert!(Open.check_move(InProgress).is_ok());
        assert!(Open.check_move(Done).is_ok(), "a small follow-up is done straight away");
        assert!(InProgress.check_move(Done).is_ok());
        assert!(InProgress.check_move(Cancelled).is_ok());
        assert_eq!(InProgress.check_move(Open).unwrap_err().reason, "status-not-allowed");
        assert!(Done.check_move(Open).is_err() && Cancelled.check_move(InProgress).is_err(), "closed is closed");
        assert!(Open.check_move(Open).is_err());
    }

    #[test]
    fn overdue_from_the_day_after_until_closed() {
        let due = Some(date!(2026 - 01 - 31));
        assert!(!action_overdue(due, ActionStatus::Open, date!(2026 - 01 - 31)));
        assert!(action_overdue(due, ActionStatus::Open, date!(2026 - 02 - 01)));
        assert!(action_overdue(due, ActionStatus::InProgress, date!(2026 - 11 - 23)));
        assert!(!action_overdue(due, ActionStatus::Done, date!(2026 - 11 - 23)));
        assert!(!action_overdue(due, ActionStatus::Cancelled, date!(2026 - 11 - 23)));
        assert!(!action_overdue(None, ActionStatus::Open, date!(2030 - 01 - 01)), "no due date, never late");
    }

    #[test]
    fn a_meeting_needs_a_kind_a_title_and_a_date() {
        let m = MeetingDraft::parse(
            "rapat-pemetaan",
            "  Rapat Pemetaan   Kerja Sama Daerah ",
            "2025-12-17",
            "Pranaya Hotel, Serpong",
            "1. Arah kerja sama\r\n2. Kebutuhan prioritas  \r\n\r\n",
            "",
            "- Maksimal tiga kebutuhan prioritas\n",
        )
        .expect("valid");
        assert_eq!(m.kind, MeetingKind::RapatPemetaan);
        assert_eq!(m.title, "Rapat Pemetaan Kerja Sama Daerah");
        assert_eq!(m.held_on, date!(2025 - 12 - 17));
        assert_eq!(m.agenda.as_deref(), Some("1. Arah kerja sama\n2. Kebutuhan prioritas"), "lines are kept");
        assert_eq!(m.minutes, None);
        let errors = MeetingDraft::parse("seminar", " ", "17/12/2025", "", "", "", "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.reason)).collect();
        assert_eq!(fields, vec![("kind", "invalid-choice"), ("title", "required"), ("held_on", "invalid-date")]);
        let no_date = MeetingDraft::parse("fgd", "FGD Ekonomi Mikro", "", "", "", "", "").unwrap_err();
        assert_eq!((no_date[0].field, no_date[0].reason), ("held_on", "required"));
        let long = "x".repeat(8_001);
        let too_long = MeetingDraft::parse("rapat", "Rapat", "2026-01-30", "", "", "", &long).unwrap_err();
        assert_eq!((too_long[0].field, too_long[0].reason), ("decisions", "too-long"));
    }

    #[test]
    fn action_items_need_a_title_and_read_owner_and_date() {
        let owner = UserId::new();
        let item = ActionItemDraft::parse(" Susun rancangan PKS ", &owner.to_string(), "", "2026-03-31").expect("ok");
        assert_eq!(item.title, "Susun rancangan PKS");
        assert_eq!(item.owner_user, Some(owner));
        assert_eq!(item.due_on, Some(date!(2026 - 03 - 31)));
        let free = ActionItemDraft::parse("Kirim notula", "", "Bagian Kerja Sama", "").expect("ok");
        assert_eq!(
            (free.owner_user, free.owner_label.as_deref(), free.due_on),
            (None, Some("Bagian Kerja Sama"), None)
        );
        let errors = ActionItemDraft::parse("", "bukan-id", "", "31-03-2026").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.reason)).collect();
        assert_eq!(
            fields,
            vec![("item_title", "required"), ("owner_user_id", "invalid-choice"), ("due_on", "invalid-date")]
        );
    }

    #[test]
    fn attendees_are_a_user_a_contact_or_a_guest() {
        let user = UserId::new();
        let contact = ContactId::new();
        assert_eq!(AttendeeRef::parse(&format!("user:{user}"), "", ""), Ok(AttendeeRef::User(user)));
        assert_eq!(AttendeeRef::parse(&format!("contact:{contact}"), " ", ""), Ok(AttendeeRef::Contact(contact)));
        assert_eq!(
            AttendeeRef::parse("", " Bambang  Noertjahjo ", "Sekretariat Daerah"),
            Ok(AttendeeRef::Guest {
                name: "Bambang Noertjahjo".into(),
                organisation: Some("Sekretariat Daerah".into())
            })
        );
        assert_eq!(AttendeeRef::parse("", "", "").unwrap_err(), FieldError::new("name", "required"));
        assert_eq!(AttendeeRef::parse(&format!("user:{user}"), "Siapa", "").unwrap_err().reason, "attendee-choose-one");
        assert_eq!(AttendeeRef::parse("partner:1", "", "").unwrap_err().reason, "invalid-choice");
        assert_eq!(AttendeeRef::parse("user:xyz", "", "").unwrap_err().field, "who");
        assert_eq!(AttendeeRef::parse("seseorang", "", "").unwrap_err().reason, "invalid-choice");
    }

    #[test]
    fn decisions_read_as_a_list() {
        let text = "1. Maksimal tiga kebutuhan prioritas\n\n- Penataan kabel bersama APJATEL\n2) MoU ditindaklanjuti\n• STEM\n2026 jadi tahun pelaksanaan";
        assert_eq!(
            decision_lines(text),
            vec![
                "Maksimal tiga kebutuhan prioritas",
                "Penataan kabel bersama APJATEL",
                "MoU ditindaklanjuti",
                "STEM",
                "2026 jadi tahun pelaksanaan"
            ]
        );
        assert!(decision_lines("  \n ").is_empty());
    }
}
