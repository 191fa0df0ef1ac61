//! CSR (tanggung jawab sosial dan lingkungan perusahaan) as a Perda TJSL asks: the Pemda plans
//! the needs with the community, companies pledge to them, report what they realised with
//! evidence, and the Pemda verifies and publishes it.
//!
//! The rules here are the ones every later screen leans on: which way a need and a report may
//! move, who moves them, the reporting windows, and money that was not reported staying unknown
//! instead of becoming zero in a total.

use serde::Serialize;
use time::{Date, Month};

use crate::access::{Actor, Permission, Role};
use crate::auth::FieldError;
use crate::{AgencyId, PartnerId};

crate::slug_enum! {
    /// The categories of a CSR programme proposal (usulan program CSR).
    pub enum CsrCategory: "category" {
        Pendidikan = "pendidikan",
        Kesehatan = "kesehatan",
        LingkunganHidup = "lingkungan-hidup",
        Sosial = "sosial",
        /// Ekonomi kerakyatan, UMKM.
        EkonomiKerakyatan = "ekonomi-kerakyatan",
        InfrastrukturSanitasi = "infrastruktur-sanitasi",
        Keagamaan = "keagamaan",
        Pariwisata = "pariwisata",
        Lainnya = "lainnya",
    }
}

crate::slug_enum! {
    /// Where a CSR need stands.
    pub enum CsrNeedStatus: "status" {
        /// Proposed by an agency, not public yet.
        Draft = "draft",
        /// Published by the region admin: companies may pledge.
        Published = "published",
        /// At least one company pledged.
        Pledged = "pledged",
        InProgress = "in-progress",
        Realised = "realised",
        Closed = "closed",
    }
}

/// Who is moving a need: the agency that proposed it, or the region admin (Bagian Kerja Sama
/// or the CSR forum's secretariat).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsrMover {
    Agency,
    RegionAdmin,
}

/// May a need move from `from` to `to`, moved by `by`? Agencies propose; only the region admin
/// publishes, and only it closes. A published need that nobody pledged to may go back to draft
/// for rework; after a pledge it moves forward only.
pub fn check_need_move(from: CsrNeedStatus, to: CsrNeedStatus, by: CsrMover) -> Result<(), FieldError> {
    use CsrNeedStatus::*;
    // `Some(None)`: anyone involved; `Some(Some(m))`: only `m`; `None`: never.
    let rule = match (from, to) {
        (Published, Pledged) | (Pledged, InProgress) | (InProgress, Realised) => Some(None),
        // A need nobody will fund is closed from wherever it stands, by the admin.
        (Draft, Published) | (Published, Draft) | (Draft | Published | Pledged | InProgress | Realised, Closed) => {
            Some(Some(CsrMover::RegionAdmin))
        }
        _ => None,
    };
    match rule {
        None => Err(FieldError::new("status", "csr-illegal-move")),
        Some(Some(required)) if by != required => Err(FieldError::new("status", "csr-admin-only")),
        Some(_) => Ok(()),
    }
}

crate::slug_enum! {
    /// Where a company's realisation report stands in verification.
    pub enum ReportStatus: "status" {
        Draft = "draft",
        Submitted = "submitted",
        /// Sent back with the officer's comments.
        RevisionRequested = "revision-requested",
        Approved = "approved",
        /// Shown on the public transparency page.
        Published = "published",
    }
}

/// Who `actor` moves a need as: the region admin, the officer of the proposing agency, or
/// nobody (`None`).
pub fn mover_of(actor: &Actor, agency: Option<AgencyId>) -> Option<CsrMover> {
    if actor.can(Permission::ManageCsr) {
        Some(CsrMover::RegionAdmin)
    } else if agency.is_some_and(|a| actor.may_plan_for(a)) {
        Some(CsrMover::Agency)
    } else {
        None
    }
}

/// May `actor` propose a need: an officer who plans for an agency, or a company's user for its
/// own programme.
pub fn may_propose(actor: &Actor) -> bool {
    actor.can(Permission::PlanCooperation) || (actor.role == Role::Partner && actor.partner.is_some())
}

/// May `actor` edit a need (its texts, its photos): the region admin, the proposing agency's
/// officer, or the company whose own programme it is.
pub fn may_edit_need(actor: &Actor, agency: Option<AgencyId>, proposed_by: Option<PartnerId>) -> bool {
    mover_of(actor, agency).is_some()
        || (actor.role == Role::Partner && proposed_by.is_some() && proposed_by == actor.partner)
}

/// May `partner` pledge to a need in `status`? Published needs and those already under way
/// take pledges; a draft only from the company whose own programme it is.
pub fn open_for_pledge(status: CsrNeedStatus, proposed_by: Option<PartnerId>, partner: Option<PartnerId>) -> bool {
    match status {
        CsrNeedStatus::Published | CsrNeedStatus::Pledged | CsrNeedStatus::InProgress => true,
        CsrNeedStatus::Draft => proposed_by.is_some() && proposed_by == partner,
        CsrNeedStatus::Realised | CsrNeedStatus::Closed => false,
    }
}

impl ReportStatus {
    /// Reports the Pemda counts as received: approved by a verifier, published or not yet.
    pub const RECEIVED: [ReportStatus; 2] = [ReportStatus::Approved, ReportStatus::Published];
}

/// Who acts on a report: the company (its partner user, or an officer on its behalf) or the
/// verifying officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportActor {
    Company,
    Verifier,
}

/// May a report move from `from` to `to`? The company submits (again, after a revision
/// request); the verifier asks for revision, approves and publishes. A revision request needs
/// a comment: the company must know what to put right.
pub fn check_report_move(
    from: ReportStatus,
    to: ReportStatus,
    by: ReportActor,
    comment: Option<&str>,
) -> Result<(), FieldError> {
    use ReportStatus::*;
    let who = match (from, to) {
        (Draft | RevisionRequested, Submitted) => ReportActor::Company,
        (Submitted, RevisionRequested | Approved) | (Approved, Published) => ReportActor::Verifier,
        _ => return Err(FieldError::new("status", "csr-illegal-move")),
    };
    if by != who {
        return Err(FieldError::new("status", "csr-not-yours"));
    }
    if to == RevisionRequested && comment.is_none_or(|c| c.trim().is_empty()) {
        return Err(FieldError::new("comment", "required"));
    }
    Ok(())
}

/// A value a company may or may not have reported. A total over values some of which are
/// unknown is a total of the known ones *and* a count of the unknown, never a bigger-looking
/// zero-filled sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Reported {
    /// Shown as "tidak dilaporkan".
    Unknown,
    /// Whole rupiah.
    Rupiah(i64),
}

impl Reported {
    pub fn from_option(v: Option<i64>) -> Reported {
        v.map_or(Reported::Unknown, Reported::Rupiah)
    }

    pub fn known(self) -> Option<i64> {
        match self {
            Reported::Unknown => None,
            Reported::Rupiah(v) => Some(v),
        }
    }
}

/// The sum of reported values: what is known, and how many were not reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReportedTotal {
    pub known: i64,
    pub known_count: usize,
    pub unknown_count: usize,
}

impl ReportedTotal {
    pub fn of(values: impl IntoIterator<Item = Reported>) -> ReportedTotal {
        values.into_iter().fold(ReportedTotal::default(), |mut t, v| {
            match v {
                Reported::Unknown => t.unknown_count += 1,
                Reported::Rupiah(r) => {
                    t.known = t.known.saturating_add(r);
                    t.known_count += 1;
                }
            }
            t
        })
    }

    /// Nothing at all was reported: the total itself is unknown, not zero.
    pub fn is_unknown(&self) -> bool {
        self.known_count == 0 && self.unknown_count > 0
    }

    /// Some values are missing: the known sum is a lower bound, and must say so.
    pub fn is_partial(&self) -> bool {
        self.known_count > 0 && self.unknown_count > 0
    }
}

/// Reporting windows: a year cut into windows of `months` (3 = quarterly, the default; 6 =
/// per semester; 12 = yearly), as a Pemda configures it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReportingWindows {
    months: u8,
}

impl Default for ReportingWindows {
    fn default() -> Self {
        Self { months: 3 }
    }
}

/// One reporting window: year and number (Q3 2026 is `{ year: 2026, index: 3 }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Window {
    pub year: i32,
    pub index: u8,
}

impl ReportingWindows {
    /// Only lengths that divide the year evenly, so every window starts in the same month
    /// each year.
    pub fn new(months: u8) -> Result<ReportingWindows, FieldError> {
        match months {
            1 | 2 | 3 | 4 | 6 | 12 => Ok(ReportingWindows { months }),
            _ => Err(FieldError::new("window_months", "csr-window-length")),
        }
    }

    pub fn months(&self) -> u8 {
        self.months
    }

    /// The window after `w` (the first of the next year after the last of a year).
    pub fn next(&self, w: Window) -> Window {
        if u32::from(w.index) * u32::from(self.months) >= 12 {
            Window { year: w.year + 1, index: 1 }
        } else {
            Window { year: w.year, index: w.index + 1 }
        }
    }

    pub fn of(&self, date: Date) -> Window {
        let month0 = u8::from(date.month()) - 1;
        Window { year: date.year(), index: month0 / self.months + 1 }
    }

    /// The first and last day of a window; `None` for an index the year does not have.
    pub fn bounds(&self, w: Window) -> Option<(Date, Date)> {
        if w.index == 0 || w.index > 12 / self.months {
            return None;
        }
        let first = Month::try_from((w.index - 1) * self.months + 1).ok()?;
        let last = Month::try_from(w.index * self.months).ok()?;
        let start = Date::from_calendar_date(w.year, first, 1).ok()?;
        let end = Date::from_calendar_date(w.year, last, last.length(w.year)).ok()?;
        Some((start, end))
    }

    /// A report for window `w` is due once the window has ended; one that is due and not
    /// submitted `grace_days` after the end is late.
    pub fn is_late(&self, w: Window, today: Date, grace_days: i64) -> bool {
        self.bounds(w).is_some_and(|(_, end)| (today - end).whole_days() > grace_days)
    }
}

crate::slug_enum! {
    /// What a company gives.
    pub enum PledgeForm: "form" {
        Cash = "cash",
        Goods = "goods",
        Services = "services",
        Mixed = "mixed",
    }
}

crate::slug_enum! {
    /// What a piece of realisation evidence is.
    pub enum EvidenceKind: "kind" {
        /// Berita acara serah terima.
        Bast = "bast",
        Photo = "photo",
        /// Daftar hadir.
        Attendance = "attendance",
        Other = "other",
    }
}

/// The reporting windows a pledge owes a report for by `today`: every window that overlaps
/// the pledge's period and has ended, without a report yet. `reported` are the windows that
/// already have one (in any status: a draft is the company's, not a missing report).
pub fn due_windows(windows: ReportingWindows, period: (Date, Date), today: Date, reported: &[Window]) -> Vec<Window> {
    let (start, end) = period;
    if end < start {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut w = windows.of(start);
    let last = windows.of(end);
    while w <= last {
        if let Some((_, w_end)) = windows.bounds(w)
            && w_end < today
            && !reported.contains(&w)
        {
            out.push(w);
        }
        w = windows.next(w);
    }
    out
}

impl Window {
    /// "2026-3": how a window is written in forms and URLs.
    pub fn key(&self) -> String {
        format!("{}-{}", self.year, self.index)
    }

    pub fn parse_key(s: &str) -> Result<Window, FieldError> {
        let bad = || FieldError::new("window", "invalid-choice");
        let (y, i) = s.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let index: u8 = i.parse().map_err(|_| bad())?;
        if !(2000..=2100).contains(&year) || !(1..=12).contains(&index) {
            return Err(bad());
        }
        Ok(Window { year, index })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn agencies_propose_and_the_admin_publishes() {
        use CsrMover::*;
        use CsrNeedStatus::*;
        assert_eq!(check_need_move(Draft, Published, Agency).unwrap_err().reason, "csr-admin-only");
        assert!(check_need_move(Draft, Published, RegionAdmin).is_ok());
        assert!(check_need_move(Published, Pledged, Agency).is_ok());
        assert!(check_need_move(Published, Draft, RegionAdmin).is_ok(), "back for rework while nobody pledged");
        assert_eq!(check_need_move(Pledged, Draft, RegionAdmin).unwrap_err().reason, "csr-illegal-move");
        assert_eq!(check_need_move(Draft, Realised, RegionAdmin).unwrap_err().reason, "csr-illegal-move");
        assert_eq!(check_need_move(Realised, Closed, Agency).unwrap_err().reason, "csr-admin-only");
        assert!(check_need_move(InProgress, Closed, RegionAdmin).is_ok(), "an unfunded need can be closed");
        assert_eq!(check_need_move(Closed, Published, RegionAdmin).unwrap_err().reason, "csr-illegal-move");
        assert_eq!(check_need_move(Closed, Closed, RegionAdmin).unwrap_err().reason, "csr-illegal-move");
    }

    #[test]
    fn reports_go_to_the_verifier_and_back_with_a_comment() {
        use ReportActor::*;
        use ReportStatus::*;
        assert!(check_report_move(Draft, Submitted, Company, None).is_ok());
        assert_eq!(check_report_move(Draft, Submitted, Verifier, None).unwrap_err().reason, "csr-not-yours");
        assert_eq!(
            check_report_move(Submitted, RevisionRequested, Verifier, Some("  ")).unwrap_err(),
            FieldError::new("comment", "required")
        );
        assert!(check_report_move(Submitted, RevisionRequested, Verifier, Some("Foto BAST belum terbaca")).is_ok());
        assert!(check_report_move(RevisionRequested, Submitted, Company, None).is_ok());
        assert_eq!(check_report_move(Submitted, Approved, Company, None).unwrap_err().reason, "csr-not-yours");
        assert!(check_report_move(Submitted, Approved, Verifier, None).is_ok());
        assert!(check_report_move(Approved, Published, Verifier, None).is_ok());
        assert_eq!(check_report_move(Draft, Published, Verifier, None).unwrap_err().reason, "csr-illegal-move");
        assert_eq!(check_report_move(Published, Draft, Company, None).unwrap_err().reason, "csr-illegal-move");
    }

    #[test]
    fn unknown_values_are_never_summed_as_zero() {
        let none = ReportedTotal::of([Reported::Unknown, Reported::Unknown]);
        assert!(none.is_unknown() && !none.is_partial());
        assert_eq!(none.known_count, 0);
        let partial = ReportedTotal::of([Reported::Rupiah(500_000_000), Reported::Unknown, Reported::Rupiah(0)]);
        assert_eq!((partial.known, partial.known_count, partial.unknown_count), (500_000_000, 2, 1));
        assert!(partial.is_partial() && !partial.is_unknown());
        let empty = ReportedTotal::of([]);
        assert!(!empty.is_unknown() && !empty.is_partial(), "no pledges at all is a plain zero");
        assert_eq!(Reported::from_option(None), Reported::Unknown);
        assert_eq!(Reported::from_option(Some(0)).known(), Some(0), "a reported zero is a zero");
    }

    #[test]
    fn windows_cut_the_year_evenly() {
        let q = ReportingWindows::default();
        assert_eq!(q.of(date!(2026 - 01 - 01)), Window { year: 2026, index: 1 });
        assert_eq!(q.of(date!(2026 - 03 - 31)), Window { year: 2026, index: 1 });
        assert_eq!(q.of(date!(2026 - 04 - 01)), Window { year: 2026, index: 2 });
        assert_eq!(q.of(date!(2026 - 12 - 31)), Window { year: 2026, index: 4 });
        assert_eq!(q.bounds(Window { year: 2028, index: 1 }), Some((date!(2028 - 01 - 01), date!(2028 - 03 - 31))));
        assert_eq!(q.bounds(Window { year: 2026, index: 5 }), None);
        let h = ReportingWindows::new(6).unwrap();
        assert_eq!(h.bounds(Window { year: 2026, index: 2 }), Some((date!(2026 - 07 - 01), date!(2026 - 12 - 31))));
        assert_eq!(ReportingWindows::new(5).unwrap_err().field, "window_months");
        assert_eq!(ReportingWindows::new(0).unwrap_err().field, "window_months");
        // Late: past the end plus the grace days, not on the last grace day.
        let q3 = Window { year: 2026, index: 3 };
        assert!(!q.is_late(q3, date!(2026 - 10 - 30), 30));
        assert!(q.is_late(q3, date!(2026 - 10 - 31), 30));
    }

    #[test]
    fn a_pledge_owes_the_ended_windows_of_its_period() {
        let q = ReportingWindows::default();
        let period = (date!(2026 - 02 - 15), date!(2026 - 12 - 31));
        let all = due_windows(q, period, date!(2026 - 11 - 23), &[]);
        assert_eq!(
            all,
            vec![Window { year: 2026, index: 1 }, Window { year: 2026, index: 2 }, Window { year: 2026, index: 3 }]
        );
        let rest = due_windows(q, period, date!(2026 - 11 - 23), &[Window { year: 2026, index: 2 }]);
        assert_eq!(rest.len(), 2);
        // Across the year end, and nothing for a period that ends before it starts.
        let y = due_windows(
            ReportingWindows::new(6).unwrap(),
            (date!(2025 - 09 - 01), date!(2026 - 08 - 01)),
            date!(2027 - 01 - 05),
            &[],
        );
        assert_eq!(
            y,
            vec![Window { year: 2025, index: 2 }, Window { year: 2026, index: 1 }, Window { year: 2026, index: 2 }]
        );
        assert!(due_windows(q, (date!(2026 - 05 - 01), date!(2026 - 01 - 01)), date!(2027 - 01 - 01), &[]).is_empty());
    }

    #[test]
    fn window_keys_round_trip() {
        let w = Window { year: 2026, index: 3 };
        assert_eq!(Window::parse_key(&w.key()), Ok(w));
        for bad in ["", "2026", "2026-0", "2026-13", "x-1", "1999-1"] {
            assert_eq!(Window::parse_key(bad).unwrap_err().field, "window", "{bad}");
        }
    }

    #[test]
    fn who_moves_edits_and_pledges() {
        let agency = AgencyId::new();
        let company = PartnerId::new();
        let officer = Actor { role: Role::AgencyOfficer, agency: Some(agency), ..Actor::system("o") };
        let admin = Actor { role: Role::RegionAdmin, ..Actor::system("a") };
        let partner = Actor { role: Role::Partner, partner: Some(company), ..Actor::system("p") };
        assert_eq!(mover_of(&admin, None), Some(CsrMover::RegionAdmin));
        assert_eq!(mover_of(&officer, Some(agency)), Some(CsrMover::Agency));
        assert_eq!(mover_of(&officer, Some(AgencyId::new())), None);
        assert_eq!(mover_of(&partner, Some(agency)), None);
        assert!(may_propose(&officer) && may_propose(&partner));
        assert!(!may_propose(&Actor { role: Role::Partner, partner: None, ..Actor::system("p") }));
        assert!(!may_propose(&Actor { role: Role::Viewer, ..Actor::system("v") }));
        assert!(may_edit_need(&partner, None, Some(company)) && !may_edit_need(&partner, None, Some(PartnerId::new())));
        assert!(may_edit_need(&officer, Some(agency), None) && !may_edit_need(&officer, None, Some(company)));
        assert!(open_for_pledge(CsrNeedStatus::Published, None, Some(company)));
        assert!(open_for_pledge(CsrNeedStatus::Draft, Some(company), Some(company)));
        assert!(!open_for_pledge(CsrNeedStatus::Draft, Some(company), Some(PartnerId::new())));
        assert!(!open_for_pledge(CsrNeedStatus::Draft, None, None), "an agency's draft is nobody's to pledge to");
        assert!(!open_for_pledge(CsrNeedStatus::Closed, None, Some(company)));
    }

    fn any_date() -> impl Strategy<Value = Date> {
        let start = date!(2000 - 01 - 01).to_julian_day();
        (0..=20_000i32).prop_map(move |n| Date::from_julian_day(start + n).expect("within the calendar"))
    }

    proptest! {
        #[test]
        fn every_date_lies_in_its_window(d in any_date(), m in prop::sample::select(vec![1u8, 2, 3, 4, 6, 12])) {
            let w = ReportingWindows::new(m).expect("valid length");
            let (start, end) = w.bounds(w.of(d)).expect("a window of the year");
            prop_assert!(start <= d && d <= end);
        }

        #[test]
        fn a_total_keeps_every_value(values in prop::collection::vec(prop::option::of(0i64..1_000_000_000_000), 0..50)) {
            let t = ReportedTotal::of(values.iter().map(|v| Reported::from_option(*v)));
            prop_assert_eq!(t.known_count + t.unknown_count, values.len());
            prop_assert_eq!(t.known, values.iter().flatten().sum::<i64>());
            prop_assert_eq!(t.unknown_count, values.iter().filter(|v| v.is_none()).count());
        }
    }
}
