//! Matching a cooperation need to partners and their offers, with the reasons.
//!
//! Scores are additive and every point has a reason the officer can read, so the ranking can
//! be argued with: the same government affair in an offer weighs most (the partner says it
//! can provide exactly this), then the kind of partner wanted, then words in common, then a
//! history of working together and being in or near the region.

use serde::Serialize;
use sinergi_domain::cooperation::needs::PartnerKind;
use sinergi_domain::{OfferId, PartnerId, RegionCode};

use crate::text::{words, words_with_originals};

/// The need, as matching sees it.
#[derive(Debug, Clone)]
pub struct NeedProfile {
    pub tenant: RegionCode,
    pub urusan: String,
    pub partner_kind: PartnerKind,
    /// Title, problem and expected benefit.
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct OfferProfile {
    pub id: OfferId,
    pub urusan: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct PartnerProfile {
    pub id: PartnerId,
    pub kind: PartnerKind,
    pub region: Option<RegionCode>,
    /// Name, sector and description.
    pub text: String,
    pub offers: Vec<OfferProfile>,
    /// Earlier agreements or fulfilled needs with this partner.
    pub past_cooperations: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reason {
    SameUrusan { offer: OfferId },
    KindWanted,
    WordsInCommon { words: Vec<String> },
    PastCooperation { count: usize },
    InRegion,
}

impl Reason {
    pub fn points(&self) -> u32 {
        match self {
            Reason::SameUrusan { .. } => 4,
            Reason::KindWanted => 3,
            Reason::WordsInCommon { words } => words.len().min(3) as u32,
            Reason::PastCooperation { count } => (*count).min(2) as u32,
            Reason::InRegion => 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub partner: PartnerId,
    /// The offer that fits best, when one does.
    pub offer: Option<OfferId>,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

/// Partners ranked for a need, best first; partners with no reason at all are left out.
/// Ties go to the partner with more offers in the same affair, then keep input order, so the
/// ranking is stable.
pub fn rank(need: &NeedProfile, partners: &[PartnerProfile], limit: usize) -> Vec<Match> {
    let need_terms = words_with_originals(&need.text);
    let need_words: Vec<String> = need_terms.iter().map(|(s, _)| s.clone()).collect();
    let mut out: Vec<Match> = partners
        .iter()
        .filter_map(|p| {
            let mut reasons = Vec::new();
            let same_affair: Vec<&OfferProfile> = p.offers.iter().filter(|o| o.urusan == need.urusan).collect();
            if let Some(o) = same_affair.first() {
                reasons.push(Reason::SameUrusan { offer: o.id });
            }
            if p.kind == need.partner_kind {
                reasons.push(Reason::KindWanted);
            }
            let mut partner_words = words(&p.text);
            for o in &p.offers {
                partner_words.extend(words(&o.text));
            }
            // Shown to people as the need's own words, not as stems.
            let common: Vec<String> = need_terms
                .iter()
                .filter(|(s, _)| partner_words.contains(s))
                .map(|(_, original)| original.clone())
                .collect();
            if !common.is_empty() {
                reasons.push(Reason::WordsInCommon { words: common });
            }
            if p.past_cooperations > 0 {
                reasons.push(Reason::PastCooperation { count: p.past_cooperations });
            }
            if p.region.as_ref().is_some_and(|r| r.is_within(&need.tenant) || need.tenant.is_within(r)) {
                reasons.push(Reason::InRegion);
            }
            // Being nearby or an old friend makes a partner a better candidate, not a candidate.
            if !reasons
                .iter()
                .any(|r| matches!(r, Reason::SameUrusan { .. } | Reason::KindWanted | Reason::WordsInCommon { .. }))
            {
                return None;
            }
            // The best offer: same affair first, else the one sharing most words.
            let offer = same_affair.first().map(|o| o.id).or_else(|| {
                p.offers
                    .iter()
                    .map(|o| (o.id, words(&o.text).iter().filter(|w| need_words.contains(w)).count()))
                    .filter(|(_, n)| *n > 0)
                    .max_by_key(|(_, n)| *n)
                    .map(|(id, _)| id)
            });
            let score = reasons.iter().map(Reason::points).sum();
            Some(Match { partner: p.id, offer, score, reasons })
        })
        .collect();
    out.sort_by_key(|m| std::cmp::Reverse(m.score));
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("code")
    }

    fn need() -> NeedProfile {
        NeedProfile {
            tenant: code("36.74"),
            urusan: "2.16".into(),
            partner_kind: PartnerKind::Association,
            text: "Penataan kabel fiber optik. Kabel optik semrawut di ruas jalan utama.".into(),
        }
    }

    fn partner(kind: PartnerKind, text: &str, offers: Vec<OfferProfile>) -> PartnerProfile {
        PartnerProfile { id: PartnerId::new(), kind, region: None, text: text.into(), offers, past_cooperations: 0 }
    }

    #[test]
    fn the_cable_association_ranks_first_with_its_reasons() {
        let offer = OfferProfile {
            id: OfferId::new(),
            urusan: "2.16".into(),
            text: "Penataan dan penurunan kabel udara".into(),
        };
        let apjatel = partner(PartnerKind::Association, "APJATEL Telekomunikasi", vec![offer.clone()]);
        let bank = partner(PartnerKind::Bank, "Bank BJB Perbankan", vec![]);
        let telco = partner(PartnerKind::Company, "Operator fiber optik", vec![]);
        let ranked = rank(&need(), &[bank.clone(), telco.clone(), apjatel.clone()], 10);
        assert_eq!(ranked[0].partner, apjatel.id);
        assert_eq!(ranked[0].offer, Some(offer.id));
        assert!(ranked[0].reasons.contains(&Reason::SameUrusan { offer: offer.id }));
        assert!(ranked[0].reasons.contains(&Reason::KindWanted));
        assert!(
            matches!(&ranked[0].reasons[2], Reason::WordsInCommon { words } if words.contains(&"penataan".to_owned()) && words.contains(&"kabel".to_owned()))
        );
        assert_eq!(ranked[1].partner, telco.id, "words in common still count");
        assert!(ranked.iter().all(|m| m.partner != bank.id), "no reason, no match");
    }

    #[test]
    fn history_and_region_break_ties() {
        let mut near = partner(PartnerKind::Association, "Asosiasi A", vec![]);
        near.region = Some(code("36.74.01"));
        let mut old_friend = partner(PartnerKind::Association, "Asosiasi B", vec![]);
        old_friend.past_cooperations = 2;
        let plain = partner(PartnerKind::Association, "Asosiasi C", vec![]);
        let ranked = rank(&need(), &[plain.clone(), near.clone(), old_friend.clone()], 10);
        let order: Vec<PartnerId> = ranked.iter().map(|m| m.partner).collect();
        assert_eq!(order, vec![old_friend.id, near.id, plain.id]);
        assert_eq!(rank(&need(), &[plain], 0).len(), 0, "the limit holds");
    }
}
