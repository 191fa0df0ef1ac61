//! A programme and its waves: what they are, how they are paid for, and the steps a wave goes
//! through, with the rule for certificates and the follow-up survey calendar.

use time::Date;

crate::slug_enum! {
    /// What a programme is.
    pub enum ProgrammeKind: "programme_kind" {
        Training = "pelatihan",
        Mentoring = "pendampingan",
        Exhibition = "pameran",
        Curation = "kurasi",
    }
}

crate::slug_enum! {
    /// Who pays. A CSR-funded programme names the pledge that funds it.
    pub enum Funding: "funding" {
        DakNonFisik = "dak-non-fisik",
        Apbd = "apbd",
        Apbn = "apbn",
        Csr = "csr",
        Other = "lainnya",
    }
}

crate::slug_enum! {
    /// A wave's steps. Applications are taken while `Open`; selection closes them; sessions run;
    /// certificates are issued once it is `Done`.
    pub enum WaveStatus: "status" {
        Draft = "draft",
        Open = "open",
        Selected = "selected",
        Running = "running",
        Done = "done",
        Cancelled = "cancelled",
    }
}

/// Why a wave cannot take a step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WaveStepError {
    #[error("a wave cannot go from {from} to {to}")]
    NotNext { from: &'static str, to: &'static str },
    #[error("a wave needs at least one session before it opens")]
    NoSessions,
    #[error("a wave needs seats before it opens")]
    NoSeats,
}

impl WaveStatus {
    /// The steps allowed from here. Selection may be run again while still `Selected` (after
    /// late applications or corrections), which is not a step.
    pub fn next(self) -> &'static [WaveStatus] {
        use WaveStatus::*;
        match self {
            Draft => &[Open, Cancelled],
            Open => &[Selected, Cancelled],
            Selected => &[Open, Running, Cancelled],
            Running => &[Done],
            Done | Cancelled => &[],
        }
    }

    /// Check a step against the wave's set-up.
    pub fn step(self, to: WaveStatus, sessions: usize, seats: u32) -> Result<WaveStatus, WaveStepError> {
        if !self.next().contains(&to) {
            return Err(WaveStepError::NotNext { from: self.slug(), to: to.slug() });
        }
        if to == WaveStatus::Open {
            if sessions == 0 {
                return Err(WaveStepError::NoSessions);
            }
            if seats == 0 {
                return Err(WaveStepError::NoSeats);
            }
        }
        Ok(to)
    }

    /// Applications may be added or changed.
    pub fn takes_applications(self) -> bool {
        matches!(self, WaveStatus::Draft | WaveStatus::Open)
    }
}

/// Did a participant attend enough to be certified? `min_share` of the sessions, in percent,
/// rounded up to whole sessions (80 % of 3 sessions is 3).
pub fn completed(attended: usize, sessions: usize, min_share_percent: u8) -> bool {
    if sessions == 0 {
        return false;
    }
    let needed = (sessions * usize::from(min_share_percent.min(100))).div_ceil(100).max(1);
    attended >= needed
}

/// The follow-up surveys after a wave: 3, 6 and 12 months after its last session.
pub const FOLLOW_UP_MONTHS: [u8; 3] = [3, 6, 12];

/// The day a follow-up is due: `months` after `ended`, on the same day of the month or the
/// month's last day.
pub fn follow_up_due(ended: Date, months: u8) -> Date {
    let total = i32::from(ended.month() as u8) - 1 + i32::from(months);
    let year = ended.year() + total.div_euclid(12);
    let month = time::Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(time::Month::January);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, ended.day().min(last)).unwrap_or(ended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_wave_moves_only_forward_and_opens_with_sessions_and_seats() {
        use WaveStatus::*;
        assert_eq!(Draft.step(Open, 3, 50), Ok(Open));
        assert_eq!(Draft.step(Open, 0, 50), Err(WaveStepError::NoSessions));
        assert_eq!(Draft.step(Open, 3, 0), Err(WaveStepError::NoSeats));
        assert_eq!(Draft.step(Running, 3, 50), Err(WaveStepError::NotNext { from: "draft", to: "running" }));
        assert_eq!(Selected.step(Open, 3, 50), Ok(Open), "reopened for late applications");
        assert!(Done.next().is_empty() && Cancelled.next().is_empty());
        assert!(Open.takes_applications() && !Selected.takes_applications());
    }

    #[test]
    fn certificates_need_enough_sessions() {
        assert!(completed(3, 3, 80));
        assert!(!completed(2, 3, 80), "80 % of 3 sessions is 3");
        assert!(completed(4, 5, 80));
        assert!(completed(1, 1, 0), "at least one session always");
        assert!(!completed(0, 0, 80));
    }

    #[test]
    fn follow_ups_fall_on_the_same_day_or_the_months_end() {
        assert_eq!(follow_up_due(date!(2025 - 10 - 20), 3), date!(2026 - 01 - 20));
        assert_eq!(follow_up_due(date!(2025 - 10 - 20), 12), date!(2026 - 10 - 20));
        assert_eq!(follow_up_due(date!(2025 - 11 - 30), 3), date!(2026 - 02 - 28));
        assert_eq!(follow_up_due(date!(2027 - 11 - 30), 3), date!(2028 - 02 - 29));
    }
}
