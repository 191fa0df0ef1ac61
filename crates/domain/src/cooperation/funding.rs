//! Who pays for a cooperation, and in what form. The source decides whether the DPRD must
//! approve a KSDD (an unbudgeted burden on the APBD); the form tells the auditor what to look
//! for (a transfer, a handover record of goods, a timesheet of services).

crate::slug_enum! {
    /// Sumber pendanaan.
    pub enum FundingSource: "funding_source" {
        /// The regional budget.
        Apbd = "apbd",
        /// The partner pays, e.g. APJATEL tidying cables at no cost to the APBD.
        Partner = "partner",
        /// Both sides contribute.
        Shared = "shared",
        /// The national budget or a ministry's programme.
        Apbn = "apbn",
    }
}

crate::slug_enum! {
    /// Bentuk kontribusi.
    pub enum FundingForm: "funding_form" {
        Cash = "cash",
        Goods = "goods",
        Services = "services",
        Mixed = "mixed",
    }
}

impl FundingSource {
    /// Whether money from the APBD is involved at all: a KSDD funded only by the partner or
    /// the APBN does not draw on the regional budget.
    pub fn draws_on_apbd(self) -> bool {
        matches!(self, FundingSource::Apbd | FundingSource::Shared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_errors_name_the_field() {
        for s in FundingSource::ALL {
            assert_eq!(s.slug().parse::<FundingSource>().unwrap(), *s);
        }
        for f in FundingForm::ALL {
            assert_eq!(f.slug().parse::<FundingForm>().unwrap(), *f);
        }
        assert_eq!("hibah".parse::<FundingSource>().unwrap_err().field, "funding_source");
        assert_eq!("saham".parse::<FundingForm>().unwrap_err().field, "funding_form");
        assert!(FundingSource::Shared.draws_on_apbd() && !FundingSource::Partner.draws_on_apbd());
    }
}
