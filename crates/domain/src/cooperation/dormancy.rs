//! Agreements "stopped on paper" (signed, then nothing happened) and the reminders that keep
//! signed agreements from lapsing unnoticed.
//!
//! Everything here takes `today` as an argument: the rules stay pure, and tests can walk time.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::agreement::DocumentKind;

/// What the dormancy rule needs to know about one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DormancyInput {
    pub document: DocumentKind,
    pub signed_on: Option<Date>,
    /// For a KB: a PKS implementing it exists. Ignored for other documents.
    pub has_pks_child: bool,
    pub last_activity_on: Option<Date>,
    pub last_outcome_on: Option<Date>,
    /// The agreement is selesai or diakhiri.
    pub terminal: bool,
}

/// How long a signed document may sit idle before it is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DormancyRule {
    /// Calendar months. Zero flags a document on the day it is signed.
    pub months: u8,
}

impl DormancyRule {
    /// The months a Pemda may choose: at least one (zero would flag every KB on the day it
    /// is signed), at most two years (longer hides the agreements this rule is for).
    pub const MONTHS: std::ops::RangeInclusive<u8> = 1..=24;

    /// A Pemda's own setting, from a form.
    pub fn parse_months(input: &str) -> Result<DormancyRule, crate::auth::FieldError> {
        let err = crate::auth::FieldError::new("dormancy_months", "dormancy-months-out-of-range");
        match input.trim().parse::<u8>() {
            Ok(m) if Self::MONTHS.contains(&m) => Ok(DormancyRule { months: m }),
            _ => Err(err),
        }
    }
}

impl Default for DormancyRule {
    /// Six months: long enough for a PKS to be drafted and signed after a KB, short enough to
    /// catch an agreement within the budget year it was meant to serve.
    fn default() -> Self {
        Self { months: 6 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DormancyReason {
    /// A KB that no PKS has followed.
    KbWithoutFollowUp,
    /// A PKS with no recorded activity or outcome.
    PksWithoutActivity,
}

impl DormancyReason {
    pub fn slug(self) -> &'static str {
        match self {
            DormancyReason::KbWithoutFollowUp => "kb-without-follow-up",
            DormancyReason::PksWithoutActivity => "pks-without-activity",
        }
    }
}

/// A document flagged as stopped on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dormancy {
    pub reason: DormancyReason,
    /// The date inactivity is counted from: the latest of signing, last activity and last outcome.
    pub since: Date,
    /// Whole calendar months from `since` to today.
    pub months_idle: u32,
}

/// Is this document stopped on paper as of `today`?
///
/// A KB without a PKS, or a PKS, is flagged once `rule.months` calendar months have passed
/// since the latest of its signing, its last activity and its last outcome — on the
/// anniversary itself, not the day before. Any recorded activity restarts the clock for a KB
/// too: parties that still meet are following it up, even if the PKS is not drafted yet.
/// Unsigned documents have not started, final agreements have ended, and an addendum lives
/// and dies with the document it amends, so none of them is ever flagged.
pub fn stopped_on_paper(input: &DormancyInput, rule: DormancyRule, today: Date) -> Option<Dormancy> {
    if input.terminal {
        return None;
    }
    let signed_on = input.signed_on?;
    let reason = match input.document {
        DocumentKind::Kb if input.has_pks_child => return None,
        DocumentKind::Kb => DormancyReason::KbWithoutFollowUp,
        DocumentKind::Pks => DormancyReason::PksWithoutActivity,
        DocumentKind::Addendum => return None,
    };
    // Activity dated before the signing (preparatory meetings) does not move the start back.
    let since = [input.last_activity_on, input.last_outcome_on].into_iter().flatten().fold(signed_on, Ord::max);
    if today < since {
        // Not signed yet as of `today`, or activity dated ahead: nothing to count.
        return None;
    }
    let months_idle = whole_months_between(since, today);
    (months_idle >= u32::from(rule.months)).then_some(Dormancy { reason, since, months_idle })
}

/// `date` plus `months` calendar months, the day clamped to the end of a shorter month:
/// 31 January + 1 month is 28 February (29 in a leap year). `None` past the end of the calendar.
pub fn add_months(date: Date, months: u32) -> Option<Date> {
    let index = month_index(date) + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).ok()
}

/// Months counted from year 0, so that two dates' months can be subtracted.
fn month_index(date: Date) -> i64 {
    i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1
}

/// The largest `m` with `add_months(since, m) <= today`; zero if `today` is not after `since`.
fn whole_months_between(since: Date, today: Date) -> u32 {
    if today <= since {
        return 0;
    }
    // Non-negative here, and at most 12 × 20,000 years, so the conversion cannot fail.
    let months = u32::try_from(month_index(today) - month_index(since)).unwrap_or(0);
    match add_months(since, months) {
        Some(anniversary) if anniversary <= today => months,
        _ => months.saturating_sub(1),
    }
}

/// Days before the end date at which a reminder goes out.
pub const DEFAULT_REMINDER_DAYS: [u16; 3] = [90, 30, 7];

/// The reminder due for an agreement ending on `end`: the smallest threshold `t` in
/// `days_before` with `end - today <= t` days, as long as `today <= end`; `None` otherwise.
///
/// It keeps returning the same threshold every day until the next one is reached, so the
/// caller sends a reminder only for an (agreement, threshold) pair it has not sent before. A
/// job that missed days (or an agreement entered late) therefore sends only the most urgent
/// reminder that is due, not every one it skipped. The order of `days_before` does not matter.
pub fn expiry_reminder(end: Date, today: Date, days_before: &[u16]) -> Option<u16> {
    if today > end {
        return None;
    }
    let remaining = (end - today).whole_days();
    days_before.iter().copied().filter(|t| i64::from(*t) >= remaining).min()
}

/// A task or obligation due on `due` is overdue from the day after, unless it is done.
pub fn is_overdue(due: Date, done: bool, today: Date) -> bool {
    !done && today > due
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn pks(signed_on: Date) -> DormancyInput {
        DormancyInput {
            document: DocumentKind::Pks,
            signed_on: Some(signed_on),
            has_pks_child: false,
            last_activity_on: None,
            last_outcome_on: None,
            terminal: false,
        }
    }

    fn kb(signed_on: Date) -> DormancyInput {
        DormancyInput { document: DocumentKind::Kb, ..pks(signed_on) }
    }

    fn months(months: u8) -> DormancyRule {
        DormancyRule { months }
    }

    #[test]
    fn the_default_is_six_months() {
        assert_eq!(DormancyRule::default().months, 6);
    }

    #[test]
    fn flagged_on_the_anniversary_not_the_day_before() {
        let signed = date!(2025 - 01 - 15);
        let rule = DormancyRule::default();
        assert_eq!(stopped_on_paper(&kb(signed), rule, date!(2025 - 07 - 14)), None);
        assert_eq!(
            stopped_on_paper(&kb(signed), rule, date!(2025 - 07 - 15)),
            Some(Dormancy { reason: DormancyReason::KbWithoutFollowUp, since: signed, months_idle: 6 })
        );
        assert_eq!(
            stopped_on_paper(&pks(signed), rule, date!(2026 - 01 - 20)),
            Some(Dormancy { reason: DormancyReason::PksWithoutActivity, since: signed, months_idle: 12 })
        );
    }

    #[test]
    fn end_of_month_signings_clamp_to_shorter_months() {
        // 31 January + 1 month is the last day of February.
        let signed = date!(2025 - 01 - 31);
        assert_eq!(stopped_on_paper(&pks(signed), months(1), date!(2025 - 02 - 27)), None);
        assert!(stopped_on_paper(&pks(signed), months(1), date!(2025 - 02 - 28)).is_some());
        // In a leap year, the 29th.
        let signed = date!(2024 - 01 - 31);
        assert_eq!(stopped_on_paper(&pks(signed), months(1), date!(2024 - 02 - 28)), None);
        assert!(stopped_on_paper(&pks(signed), months(1), date!(2024 - 02 - 29)).is_some());
        // 31 August + 6 months.
        let signed = date!(2025 - 08 - 31);
        assert_eq!(stopped_on_paper(&kb(signed), months(6), date!(2026 - 02 - 27)), None);
        assert!(stopped_on_paper(&kb(signed), months(6), date!(2026 - 02 - 28)).is_some());
        // 29 February + 12 months.
        let signed = date!(2024 - 02 - 29);
        assert_eq!(stopped_on_paper(&kb(signed), months(12), date!(2025 - 02 - 27)), None);
        assert!(stopped_on_paper(&kb(signed), months(12), date!(2025 - 02 - 28)).is_some());
    }

    #[test]
    fn months_idle_counts_whole_months() {
        let signed = date!(2025 - 01 - 31);
        let idle = |today| stopped_on_paper(&pks(signed), months(0), today).map(|d| d.months_idle);
        assert_eq!(idle(date!(2025 - 01 - 31)), Some(0));
        assert_eq!(idle(date!(2025 - 02 - 28)), Some(1));
        assert_eq!(idle(date!(2025 - 03 - 30)), Some(1));
        assert_eq!(idle(date!(2025 - 03 - 31)), Some(2));
        assert_eq!(idle(date!(2026 - 01 - 31)), Some(12));
        // Zero months flags on the signing day, but not before it.
        assert_eq!(idle(date!(2025 - 01 - 30)), None);
    }

    #[test]
    fn unsigned_final_and_addenda_are_never_flagged() {
        let long_after = date!(2030 - 01 - 01);
        let rule = DormancyRule::default();
        let unsigned = DormancyInput { signed_on: None, ..pks(date!(2020 - 01 - 01)) };
        assert_eq!(stopped_on_paper(&unsigned, rule, long_after), None);
        let ended = DormancyInput { terminal: true, ..pks(date!(2020 - 01 - 01)) };
        assert_eq!(stopped_on_paper(&ended, rule, long_after), None);
        let ended_kb = DormancyInput { terminal: true, ..kb(date!(2020 - 01 - 01)) };
        assert_eq!(stopped_on_paper(&ended_kb, rule, long_after), None);
        let addendum = DormancyInput { document: DocumentKind::Addendum, ..pks(date!(2020 - 01 - 01)) };
        assert_eq!(stopped_on_paper(&addendum, rule, long_after), None);
    }

    #[test]
    fn a_kb_followed_by_a_pks_is_not_stopped() {
        let followed = DormancyInput { has_pks_child: true, ..kb(date!(2020 - 01 - 01)) };
        assert_eq!(stopped_on_paper(&followed, DormancyRule::default(), date!(2030 - 01 - 01)), None);
        // The flag is about the KB only: a PKS's own children do not matter.
        let odd = DormancyInput { has_pks_child: true, ..pks(date!(2020 - 01 - 01)) };
        assert!(stopped_on_paper(&odd, DormancyRule::default(), date!(2030 - 01 - 01)).is_some());
    }

    #[test]
    fn activity_and_outcomes_restart_the_clock() {
        let rule = DormancyRule::default();
        let recent_outcome =
            DormancyInput { last_outcome_on: Some(date!(2025 - 05 - 10)), ..pks(date!(2024 - 01 - 10)) };
        assert_eq!(stopped_on_paper(&recent_outcome, rule, date!(2025 - 07 - 10)), None);
        assert_eq!(stopped_on_paper(&recent_outcome, rule, date!(2025 - 11 - 09)), None);
        assert_eq!(
            stopped_on_paper(&recent_outcome, rule, date!(2025 - 11 - 10)),
            Some(Dormancy { reason: DormancyReason::PksWithoutActivity, since: date!(2025 - 05 - 10), months_idle: 6 })
        );
        // The latest of the three dates counts.
        let both = DormancyInput {
            last_activity_on: Some(date!(2025 - 06 - 01)),
            last_outcome_on: Some(date!(2025 - 03 - 01)),
            ..pks(date!(2024 - 01 - 10))
        };
        assert_eq!(stopped_on_paper(&both, rule, date!(2025 - 12 - 01)).map(|d| d.since), Some(date!(2025 - 06 - 01)));
        // A meeting on a KB counts as follow-up.
        let met = DormancyInput { last_activity_on: Some(date!(2025 - 04 - 01)), ..kb(date!(2025 - 01 - 01)) };
        assert_eq!(stopped_on_paper(&met, rule, date!(2025 - 09 - 30)), None);
        // Preparatory activity before the signing does not move the start back.
        let early = DormancyInput { last_activity_on: Some(date!(2024 - 01 - 01)), ..kb(date!(2025 - 01 - 01)) };
        assert_eq!(stopped_on_paper(&early, rule, date!(2025 - 06 - 30)), None);
        assert_eq!(stopped_on_paper(&early, rule, date!(2025 - 07 - 01)).map(|d| d.since), Some(date!(2025 - 01 - 01)));
    }

    #[test]
    fn add_months_at_the_edges() {
        assert_eq!(add_months(date!(2025 - 01 - 31), 0), Some(date!(2025 - 01 - 31)));
        assert_eq!(add_months(date!(2025 - 11 - 30), 3), Some(date!(2026 - 02 - 28)));
        assert_eq!(add_months(date!(2023 - 12 - 31), 2), Some(date!(2024 - 02 - 29)));
        assert_eq!(add_months(date!(2025 - 03 - 31), 1), Some(date!(2025 - 04 - 30)));
        assert_eq!(add_months(date!(9999 - 12 - 01), 1), None);
        assert_eq!(add_months(date!(2025 - 01 - 01), u32::MAX), None);
    }

    #[test]
    fn expiry_reminders() {
        let end = date!(2026 - 06 - 30);
        let at = |days_left: i64| expiry_reminder(end, end - time::Duration::days(days_left), &DEFAULT_REMINDER_DAYS);
        assert_eq!(at(91), None);
        assert_eq!(at(90), Some(90));
        assert_eq!(at(31), Some(90));
        assert_eq!(at(30), Some(30));
        assert_eq!(at(8), Some(30));
        assert_eq!(at(7), Some(7));
        assert_eq!(at(0), Some(7));
        assert_eq!(at(-1), None);
        assert_eq!(expiry_reminder(end, end, &[]), None);
        // Order does not matter, and a zero threshold means "on the last day".
        assert_eq!(expiry_reminder(end, end, &[0, 30, 7]), Some(0));
        assert_eq!(expiry_reminder(end, date!(2026 - 06 - 01), &[7, 90, 30]), Some(30));
    }

    #[test]
    fn overdue_from_the_day_after() {
        let due = date!(2026 - 01 - 31);
        assert!(!is_overdue(due, false, date!(2026 - 01 - 30)));
        assert!(!is_overdue(due, false, due));
        assert!(is_overdue(due, false, date!(2026 - 02 - 01)));
        assert!(!is_overdue(due, true, date!(2026 - 02 - 01)));
    }

    #[test]
    fn a_pemda_chooses_one_to_twenty_four_months() {
        assert_eq!(DormancyRule::parse_months(" 6 ").unwrap(), DormancyRule::default());
        assert_eq!(DormancyRule::parse_months("1").unwrap().months, 1);
        assert_eq!(DormancyRule::parse_months("24").unwrap().months, 24);
        for bad in ["0", "25", "-1", "enam", "", "300"] {
            assert_eq!(DormancyRule::parse_months(bad).unwrap_err().field, "dormancy_months", "{bad}");
        }
    }

    fn any_date() -> impl Strategy<Value = Date> {
        let start = date!(1990 - 01 - 01).to_julian_day();
        (0..=40_000i32).prop_map(move |n| Date::from_julian_day(start + n).expect("within the calendar"))
    }

    fn any_input() -> impl Strategy<Value = DormancyInput> {
        (
            prop::sample::select(DocumentKind::ALL.to_vec()),
            prop::option::weighted(0.9, any_date()),
            any::<bool>(),
            prop::option::of(any_date()),
            prop::option::of(any_date()),
            prop::bool::weighted(0.2),
        )
            .prop_map(|(document, signed_on, has_pks_child, last_activity_on, last_outcome_on, terminal)| {
                DormancyInput { document, signed_on, has_pks_child, last_activity_on, last_outcome_on, terminal }
            })
    }

    proptest! {
        #[test]
        fn once_flagged_stays_flagged(input in any_input(), rule in (0u8..=24).prop_map(months), today in any_date(), later in 0i64..2_000) {
            if let Some(flag) = stopped_on_paper(&input, rule, today) {
                let next = today + time::Duration::days(later);
                let again = stopped_on_paper(&input, rule, next);
                prop_assert!(again.is_some());
                let again = again.expect("checked above");
                prop_assert_eq!(again.reason, flag.reason);
                prop_assert_eq!(again.since, flag.since);
                prop_assert!(again.months_idle >= flag.months_idle);
            }
        }

        #[test]
        fn flagged_from_the_anniversary_on(signed in any_date(), n in 0u8..=36) {
            let anniversary = add_months(signed, u32::from(n)).expect("within the calendar");
            prop_assert!(stopped_on_paper(&pks(signed), months(n), anniversary).is_some());
            let day_before = anniversary.previous_day().expect("within the calendar");
            prop_assert!(stopped_on_paper(&pks(signed), months(n), day_before).is_none());
        }

        #[test]
        fn the_reminder_is_the_smallest_threshold_covering_the_days_left(
            end in any_date(),
            today in any_date(),
            thresholds in prop::collection::vec(0u16..400, 0..5),
        ) {
            let left = (end - today).whole_days();
            match expiry_reminder(end, today, &thresholds) {
                Some(t) => {
                    prop_assert!(today <= end && i64::from(t) >= left && thresholds.contains(&t));
                    prop_assert!(thresholds.iter().all(|&u| i64::from(u) < left || u >= t));
                }
                None => prop_assert!(today > end || thresholds.iter().all(|&u| i64::from(u) < left)),
            }
        }
    }
}
