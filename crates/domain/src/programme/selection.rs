//! Choosing a wave's participants: who is eligible, in which order they are taken, and how the
//! quotas per kecamatan and in total are filled. Pure: the store gathers the facts, this decides,
//! and every applicant gets the reason for what happened to them.
//!
//! The order (stated to applicants and officers alike):
//! 1. those who have attended fewer earlier waves of any programme first (a first-timer before
//!    an alumnus),
//! 2. then the smaller business first (micro before small before medium, by sales),
//! 3. then the earlier application,
//! 4. then the applicant's number (a fixed, visible tie-break).
//!
//! Seats are given in that order while the applicant's kecamatan and the wave have seats left.
//! With `redistribute`, seats a kecamatan could not fill go, in the same order, to the waiting
//! list of other kecamatan.

use std::collections::BTreeMap;

use crate::umkm::SizeClass;
use crate::{KbliCode, RegionCode};

/// Who may take part.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Eligibility {
    /// The largest size class (by sales) admitted; `None`: any.
    pub max_class: Option<SizeClass>,
    /// KBLI codes at any level (`C`, `10`, `107`, `10794`); a business qualifies with any of
    /// its codes under any of these. Empty: any.
    pub kbli: Vec<KbliCode>,
    pub requires_nib: bool,
    /// Not admitted if trained in one of the last N waves of the same programme.
    pub not_trained_in_last_waves: Option<u32>,
    /// Free criteria the officer checks per applicant ("has a production house"): all must hold.
    pub criteria: Vec<String>,
}

/// Seats: in total, and per kecamatan. With per-kecamatan quotas, applicants from other
/// kecamatan are outside the wave's area.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Quotas {
    pub total: u32,
    pub per_kecamatan: BTreeMap<RegionCode, u32>,
    /// Give a kecamatan's unfilled seats to others' waiting lists.
    pub redistribute: bool,
}

/// What the selection needs to know about one applicant.
#[derive(Debug, Clone, PartialEq)]
pub struct Applicant<Id> {
    pub id: Id,
    /// The applicant's number in the order applications arrived (the visible tie-break).
    pub number: u32,
    pub kecamatan: Option<RegionCode>,
    pub class_by_sales: Option<SizeClass>,
    pub kbli: Vec<KbliCode>,
    pub has_nib: bool,
    /// Waves of this programme the business attended.
    pub waves_of_programme: Vec<u32>,
    /// Waves of any programme the business attended (for the order).
    pub earlier_participations: u32,
    pub applied_at_ms: i64,
    /// The free criteria this applicant meets (as the officer ticked them).
    pub criteria_met: Vec<String>,
}

/// Why an applicant cannot take part.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Ineligible {
    /// The wave has kecamatan quotas and this kecamatan has none (or is unknown).
    OutsideArea,
    ClassTooLarge {
        class: SizeClass,
        max: SizeClass,
    },
    /// No sales figure, so no class to check.
    ClassUnknown,
    KbliNotCovered,
    NoNib,
    TrainedRecently {
        wave: u32,
    },
    CriterionNotMet {
        criterion: String,
    },
}

/// Why an eligible applicant is waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Waiting {
    KecamatanFull,
    WaveFull,
}

/// What happened to one applicant, with the reasons.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// `rank` among the eligible, 1 first; `redistributed`: took a seat another kecamatan
    /// left unfilled.
    Selected {
        rank: u32,
        redistributed: bool,
    },
    /// `position` on the waiting list, 1 first.
    Waitlisted {
        rank: u32,
        position: u32,
        why: Waiting,
    },
    Ineligible(Vec<Ineligible>),
}

/// The reasons an applicant is not eligible (empty: eligible). `wave` is the wave being filled.
pub fn check<Id>(rules: &Eligibility, quotas: &Quotas, wave: u32, a: &Applicant<Id>) -> Vec<Ineligible> {
    let mut why = Vec::new();
    if !quotas.per_kecamatan.is_empty()
        && a.kecamatan.as_ref().is_none_or(|k| quotas.per_kecamatan.get(k).is_none_or(|q| *q == 0))
    {
        why.push(Ineligible::OutsideArea);
    }
    if let Some(max) = rules.max_class {
        match a.class_by_sales {
            None => why.push(Ineligible::ClassUnknown),
            Some(class) if class > max => why.push(Ineligible::ClassTooLarge { class, max }),
            Some(_) => {}
        }
    }
    if !rules.kbli.is_empty() && !a.kbli.iter().any(|k| rules.kbli.iter().any(|r| covers(r, k))) {
        why.push(Ineligible::KbliNotCovered);
    }
    if rules.requires_nib && !a.has_nib {
        why.push(Ineligible::NoNib);
    }
    if let Some(n) = rules.not_trained_in_last_waves {
        let recent = a.waves_of_programme.iter().filter(|w| **w < wave && wave - **w <= n).max();
        if let Some(w) = recent {
            why.push(Ineligible::TrainedRecently { wave: *w });
        }
    }
    for c in &rules.criteria {
        if !a.criteria_met.contains(c) {
            why.push(Ineligible::CriterionNotMet { criterion: c.clone() });
        }
    }
    why
}

/// Does a rule's code (any level) cover a business's code?
fn covers(rule: &KbliCode, code: &KbliCode) -> bool {
    match (rule.section(), code.section()) {
        (Some(r), Some(c)) if rule.as_str().len() == 1 => r == c,
        _ => code.as_str().starts_with(rule.as_str()),
    }
}

/// The stated order: fewer earlier participations, smaller class, earlier application, number.
fn order_key<Id>(a: &Applicant<Id>) -> (u32, u8, i64, u32) {
    let class = match a.class_by_sales {
        Some(SizeClass::Micro) => 0,
        Some(SizeClass::Small) => 1,
        Some(SizeClass::Medium) => 2,
        Some(SizeClass::Large) => 3,
        None => 4,
    };
    (a.earlier_participations, class, a.applied_at_ms, a.number)
}

/// Decide every applicant's outcome, in the order given.
pub fn select<Id: Clone>(
    rules: &Eligibility,
    quotas: &Quotas,
    wave: u32,
    applicants: &[Applicant<Id>],
) -> Vec<Outcome> {
    let mut outcomes: Vec<Option<Outcome>> = vec![None; applicants.len()];
    let mut eligible: Vec<usize> = Vec::new();
    for (i, a) in applicants.iter().enumerate() {
        let why = check(rules, quotas, wave, a);
        if why.is_empty() {
            eligible.push(i);
        } else {
            outcomes[i] = Some(Outcome::Ineligible(why));
        }
    }
    eligible.sort_by_key(|&i| order_key(&applicants[i]));
    let mut left_total = quotas.total;
    let mut left: BTreeMap<&RegionCode, u32> = quotas.per_kecamatan.iter().map(|(k, q)| (k, *q)).collect();
    let mut waiting: Vec<(usize, u32, Waiting)> = Vec::new();
    for (r, &i) in eligible.iter().enumerate() {
        let rank = r as u32 + 1;
        let kec_left = match applicants[i].kecamatan.as_ref() {
            _ if left.is_empty() => None,
            Some(k) => left.get_mut(k),
            None => None,
        };
        let kec_full = matches!(kec_left, Some(ref n) if **n == 0);
        if left_total > 0 && !kec_full {
            if let Some(n) = kec_left {
                *n -= 1;
            }
            left_total -= 1;
            outcomes[i] = Some(Outcome::Selected { rank, redistributed: false });
        } else {
            waiting.push((i, rank, if left_total == 0 { Waiting::WaveFull } else { Waiting::KecamatanFull }));
        }
    }
    // Seats a kecamatan left unfilled go to the waiting list, in the same order.
    if quotas.redistribute {
        for w in waiting.iter_mut() {
            if left_total == 0 {
                w.2 = Waiting::WaveFull;
                continue;
            }
            left_total -= 1;
            outcomes[w.0] = Some(Outcome::Selected { rank: w.1, redistributed: true });
            w.1 = 0;
        }
        waiting.retain(|w| w.1 != 0);
    }
    for (position, (i, rank, why)) in waiting.into_iter().enumerate() {
        outcomes[i] = Some(Outcome::Waitlisted { rank, position: position as u32 + 1, why });
    }
    outcomes.into_iter().map(|o| o.unwrap_or(Outcome::Ineligible(Vec::new()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kec(n: u8) -> RegionCode {
        RegionCode::parse(&format!("36.04.{n:02}")).unwrap()
    }

    fn applicant(number: u32, k: u8) -> Applicant<u32> {
        Applicant {
            id: number,
            number,
            kecamatan: Some(kec(k)),
            class_by_sales: Some(SizeClass::Micro),
            kbli: vec![KbliCode::parse("10794").unwrap()],
            has_nib: true,
            waves_of_programme: Vec::new(),
            earlier_participations: 0,
            applied_at_ms: i64::from(number),
            criteria_met: Vec::new(),
        }
    }

    fn quotas(per: &[(u8, u32)], total: u32) -> Quotas {
        Quotas { total, per_kecamatan: per.iter().map(|(k, q)| (kec(*k), *q)).collect(), redistribute: false }
    }

    #[test]
    fn eligibility_names_every_reason() {
        let rules = Eligibility {
            max_class: Some(SizeClass::Micro),
            kbli: vec![KbliCode::parse("C").unwrap()],
            requires_nib: true,
            not_trained_in_last_waves: Some(2),
            criteria: vec!["rumah produksi".into()],
        };
        let mut a = applicant(1, 9);
        a.class_by_sales = Some(SizeClass::Small);
        a.kbli = vec![KbliCode::parse("47111").unwrap()];
        a.has_nib = false;
        a.waves_of_programme = vec![5];
        let why = check(&rules, &quotas(&[(1, 5)], 50), 6, &a);
        assert_eq!(
            why,
            vec![
                Ineligible::OutsideArea,
                Ineligible::ClassTooLarge { class: SizeClass::Small, max: SizeClass::Micro },
                Ineligible::KbliNotCovered,
                Ineligible::NoNib,
                Ineligible::TrainedRecently { wave: 5 },
                Ineligible::CriterionNotMet { criterion: "rumah produksi".into() },
            ]
        );
        let mut ok = applicant(2, 1);
        ok.waves_of_programme = vec![3];
        ok.criteria_met = vec!["rumah produksi".into()];
        assert!(check(&rules, &quotas(&[(1, 5)], 50), 6, &ok).is_empty(), "wave 3 is three waves ago");
    }

    #[test]
    fn first_timers_and_the_smallest_go_first_and_quotas_hold() {
        // Kecamatan 1 has 2 seats, 2 has 1; three apply in each.
        let mut apps: Vec<Applicant<u32>> = (1..=6).map(|n| applicant(n, if n <= 3 { 1 } else { 2 })).collect();
        apps[0].earlier_participations = 1; // the first to apply has been trained before
        apps[1].class_by_sales = Some(SizeClass::Small);
        let out = select(&Eligibility::default(), &quotas(&[(1, 2), (2, 1)], 3), 6, &apps);
        assert_eq!(out[2], Outcome::Selected { rank: 1, redistributed: false }, "a micro first-timer");
        assert_eq!(out[3], Outcome::Selected { rank: 2, redistributed: false }, "kecamatan 2's one seat");
        assert_eq!(out[4], Outcome::Waitlisted { rank: 3, position: 1, why: Waiting::KecamatanFull });
        assert_eq!(
            out[1],
            Outcome::Selected { rank: 5, redistributed: false },
            "a small first-timer after the micro ones"
        );
        assert_eq!(out[0], Outcome::Waitlisted { rank: 6, position: 3, why: Waiting::WaveFull }, "the alumnus last");
    }

    #[test]
    fn unfilled_seats_are_redistributed_in_order() {
        let apps: Vec<Applicant<u32>> = (1..=4).map(|n| applicant(n, if n == 1 { 1 } else { 2 })).collect();
        let mut q = quotas(&[(1, 3), (2, 1)], 4);
        let out = select(&Eligibility::default(), &q, 1, &apps);
        assert_eq!(out[2], Outcome::Waitlisted { rank: 3, position: 1, why: Waiting::KecamatanFull });
        q.redistribute = true;
        let out = select(&Eligibility::default(), &q, 1, &apps);
        assert_eq!(out[2], Outcome::Selected { rank: 3, redistributed: true });
        assert_eq!(out[3], Outcome::Selected { rank: 4, redistributed: true });
    }

    fn arb_applicants() -> impl Strategy<Value = Vec<Applicant<u32>>> {
        prop::collection::vec((1u8..6, 0u32..3, 0u8..3, 0i64..50, any::<bool>()), 0..80).prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (k, earlier, class, at, nib))| Applicant {
                    earlier_participations: earlier,
                    class_by_sales: [SizeClass::Micro, SizeClass::Small, SizeClass::Medium]
                        .get(class as usize)
                        .copied(),
                    applied_at_ms: at,
                    has_nib: nib,
                    ..applicant(i as u32 + 1, k)
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn quotas_are_never_exceeded_and_every_outcome_is_explained(
            apps in arb_applicants(),
            per in prop::collection::vec(0u32..6, 4),
            total in 0u32..30,
            redistribute in any::<bool>(),
            nib in any::<bool>(),
        ) {
            let q = Quotas {
                total,
                per_kecamatan: per.iter().enumerate().map(|(i, n)| (kec(i as u8 + 1), *n)).collect(),
                redistribute,
            };
            let rules = Eligibility { requires_nib: nib, ..Eligibility::default() };
            let out = select(&rules, &q, 3, &apps);
            prop_assert_eq!(out.len(), apps.len());
            let selected: Vec<usize> = (0..apps.len()).filter(|i| matches!(out[*i], Outcome::Selected { .. })).collect();
            prop_assert!(selected.len() as u32 <= total);
            if !redistribute {
                for (k, n) in &q.per_kecamatan {
                    let in_k = selected.iter().filter(|i| apps[**i].kecamatan.as_ref() == Some(k)).count() as u32;
                    prop_assert!(in_k <= *n, "kecamatan {} took {} of {}", k, in_k, n);
                }
            }
            // Every refusal has a reason; the waiting list is in rank order, numbered from 1.
            let mut waits: Vec<(u32, u32)> = Vec::new();
            for (i, o) in out.iter().enumerate() {
                match o {
                    Outcome::Ineligible(why) => prop_assert!(!why.is_empty(), "applicant {} refused without reason", i),
                    Outcome::Waitlisted { rank, position, .. } => waits.push((*position, *rank)),
                    Outcome::Selected { .. } => {}
                }
            }
            waits.sort_unstable();
            for (n, w) in waits.iter().enumerate() {
                prop_assert_eq!(w.0, n as u32 + 1);
            }
            prop_assert!(waits.windows(2).all(|w| w[0].1 < w[1].1), "waiting list in rank order");
            // Nobody waits while a seat they could take is free: no waiting applicant outranks
            // a selected one from the same kecamatan.
            for (i, o) in out.iter().enumerate() {
                if let Outcome::Waitlisted { rank, .. } = o {
                    for j in &selected {
                        if let Outcome::Selected { rank: sr, redistributed: false } = out[*j]
                            && apps[*j].kecamatan == apps[i].kecamatan
                        {
                            prop_assert!(sr < *rank, "a lower-ranked applicant took the seat");
                        }
                    }
                }
            }
            // The same input gives the same outcome, whatever order the applications are listed in.
            let mut reversed = apps.clone();
            reversed.reverse();
            let again = select(&rules, &q, 3, &reversed);
            for (i, o) in again.iter().enumerate() {
                prop_assert_eq!(o, &out[apps.len() - 1 - i]);
            }
        }
    }
}
