//! An order's workflow, modelled on SENAITE's sample workflow with a regional lab's money steps
//! in front: registered → quoted → paid → sampling scheduled → received → to be verified →
//! verified → published. A verified or published result may be retracted (it goes back to
//! received for a new version of the results, with a reason); an order may be rejected (the
//! sample is unfit, or the request cannot be served) or cancelled (the customer withdrew)
//! before its results stand.

use crate::UserId;

crate::slug_enum! {
    /// Where an order is.
    pub enum OrderStatus: "status" {
        Registered = "registered",
        Quoted = "quoted",
        Paid = "paid",
        SamplingScheduled = "sampling-scheduled",
        Received = "received",
        ToBeVerified = "to-be-verified",
        Verified = "verified",
        Published = "published",
        Rejected = "rejected",
        Cancelled = "cancelled",
    }
}

crate::slug_enum! {
    /// What an officer (or the customer, for an order) does to an order.
    pub enum Step: "step" {
        Quote = "quote",
        Pay = "pay",
        Schedule = "schedule",
        Receive = "receive",
        Submit = "submit",
        Verify = "verify",
        Publish = "publish",
        Retract = "retract",
        Reject = "reject",
        Cancel = "cancel",
    }
}

/// Why a step was refused. Each names the state the order is in, so that the officer sees
/// what happened (someone else moved it, or the step is not yet due).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("an order that is {from} cannot be {step}")]
    NotAllowed { from: OrderStatus, step: Step },
    #[error("the results must be verified by someone other than the analyst who entered them")]
    SamePerson,
    #[error("a reason is required")]
    ReasonRequired,
}

impl StepError {
    /// The message key the web layer shows.
    pub fn code(&self) -> &'static str {
        match self {
            StepError::NotAllowed { .. } => "lab-step-not-allowed",
            StepError::SamePerson => "lab-same-person",
            StepError::ReasonRequired => "required",
        }
    }
}

impl OrderStatus {
    /// The steps allowed from here, in the order a page offers them.
    pub fn steps(self) -> &'static [Step] {
        use OrderStatus::*;
        use Step::*;
        match self {
            Registered => &[Quote, Reject, Cancel],
            Quoted => &[Pay, Reject, Cancel],
            Paid => &[Schedule, Receive, Reject],
            SamplingScheduled => &[Receive, Reject],
            Received => &[Submit, Reject],
            ToBeVerified => &[Verify, Retract],
            Verified => &[Publish, Retract],
            Published => &[Retract],
            Rejected | Cancelled => &[],
        }
    }

    /// Take `step`, or say why not. A paid order may be received directly when the customer
    /// brings the sample to the lab (no sampling visit).
    pub fn apply(self, step: Step) -> Result<OrderStatus, StepError> {
        use OrderStatus::*;
        if !self.steps().contains(&step) {
            return Err(StepError::NotAllowed { from: self, step });
        }
        Ok(match step {
            Step::Quote => Quoted,
            Step::Pay => Paid,
            Step::Schedule => SamplingScheduled,
            Step::Receive => Received,
            Step::Submit => ToBeVerified,
            Step::Verify => Verified,
            Step::Publish => Published,
            // Back to the bench: the results are entered again as a new version.
            Step::Retract => Received,
            Step::Reject => Rejected,
            Step::Cancel => Cancelled,
        })
    }

    /// No step leaves this state.
    pub fn is_final(self) -> bool {
        self.steps().is_empty()
    }

    /// The customer has paid (the retribution counts as revenue).
    pub fn is_paid(self) -> bool {
        use OrderStatus::*;
        matches!(self, Paid | SamplingScheduled | Received | ToBeVerified | Verified | Published)
    }
}

impl Step {
    /// Steps that must say why (they undo or end work already asked for).
    pub fn needs_reason(self) -> bool {
        matches!(self, Step::Retract | Step::Reject | Step::Cancel)
    }
}

/// A reason for a retract, reject or cancel: trimmed, not empty, at most 500 characters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reason(String);

impl Reason {
    pub fn parse(input: &str) -> Result<Reason, StepError> {
        let t = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            return Err(StepError::ReasonRequired);
        }
        Ok(Reason(t.chars().take(500).collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The second-person rule: whoever entered the results may not verify them.
pub fn check_second_person(entered_by: UserId, verifier: UserId) -> Result<(), StepError> {
    if entered_by == verifier { Err(StepError::SamePerson) } else { Ok(()) }
}

/// The median and the 90th percentile (nearest rank) of durations, for turnaround reports.
/// `None` for no data.
pub fn median_p90(values: &mut [f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 };
    // Nearest rank: the smallest value with at least 90% of the data at or below it.
    let rank = (0.9 * n as f64).ceil() as usize;
    Some((median, values[rank.clamp(1, n) - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HAPPY: [Step; 7] =
        [Step::Quote, Step::Pay, Step::Schedule, Step::Receive, Step::Submit, Step::Verify, Step::Publish];

    #[test]
    fn the_happy_path_ends_published() {
        let end = HAPPY.iter().try_fold(OrderStatus::Registered, |s, step| s.apply(*step));
        assert_eq!(end, Ok(OrderStatus::Published));
    }

    #[test]
    fn an_illegal_step_names_the_current_state() {
        let err = OrderStatus::Registered.apply(Step::Verify).unwrap_err();
        assert_eq!(err, StepError::NotAllowed { from: OrderStatus::Registered, step: Step::Verify });
        assert!(err.to_string().contains("registered"), "{err}");
        assert_eq!(
            OrderStatus::Quoted.apply(Step::Receive),
            Err(StepError::NotAllowed { from: OrderStatus::Quoted, step: Step::Receive }),
            "no sample is taken before the retribution is paid"
        );
        assert!(OrderStatus::Published.apply(Step::Cancel).is_err(), "a published order cannot be cancelled");
    }

    #[test]
    fn a_retracted_result_goes_back_to_the_bench() {
        assert_eq!(OrderStatus::Published.apply(Step::Retract), Ok(OrderStatus::Received));
        assert_eq!(OrderStatus::Verified.apply(Step::Retract), Ok(OrderStatus::Received));
        assert!(OrderStatus::Received.apply(Step::Retract).is_err());
    }

    #[test]
    fn the_customer_may_bring_the_sample() {
        assert_eq!(OrderStatus::Paid.apply(Step::Receive), Ok(OrderStatus::Received));
    }

    #[test]
    fn the_analyst_cannot_verify_their_own_results() {
        let a = UserId::new();
        assert_eq!(check_second_person(a, a), Err(StepError::SamePerson));
        assert_eq!(check_second_person(a, UserId::new()), Ok(()));
    }

    #[test]
    fn reasons_are_required_where_work_is_undone() {
        assert!(Step::Retract.needs_reason() && Step::Reject.needs_reason() && Step::Cancel.needs_reason());
        assert!(!Step::Pay.needs_reason());
        assert_eq!(Reason::parse("   "), Err(StepError::ReasonRequired));
        assert_eq!(Reason::parse("  sampel  rusak ").unwrap().as_str(), "sampel rusak");
    }

    #[test]
    fn turnaround_median_and_p90() {
        assert_eq!(median_p90(&mut []), None);
        assert_eq!(median_p90(&mut [5.0]), Some((5.0, 5.0)));
        let mut days: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(median_p90(&mut days), Some((5.5, 9.0)));
    }

    fn any_status() -> impl Strategy<Value = OrderStatus> {
        proptest::sample::select(OrderStatus::ALL.to_vec())
    }
    fn any_step() -> impl Strategy<Value = Step> {
        proptest::sample::select(Step::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn a_step_is_taken_exactly_when_offered(s in any_status(), step in any_step()) {
            let r = s.apply(step);
            prop_assert_eq!(r.is_ok(), s.steps().contains(&step));
            if let Err(StepError::NotAllowed { from, .. }) = r {
                prop_assert_eq!(from, s);
            }
        }

        #[test]
        fn every_walk_stays_in_the_machine(steps in proptest::collection::vec(any_step(), 0..40)) {
            // Whatever is tried, the order is always in a known state, final states stay final,
            // and nothing reaches published without having been verified first.
            let mut s = OrderStatus::Registered;
            let mut verified = false;
            for step in steps {
                let was_final = s.is_final();
                match s.apply(step) {
                    Ok(next) => {
                        prop_assert!(!was_final);
                        if next == OrderStatus::Verified { verified = true; }
                        if next == OrderStatus::Received { verified = false; }
                        if next == OrderStatus::Published { prop_assert!(verified); }
                        s = next;
                    }
                    Err(_) => prop_assert!(!s.steps().contains(&step)),
                }
            }
        }

        #[test]
        fn the_median_lies_within_the_data(mut v in proptest::collection::vec(0f64..1000.0, 1..50)) {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let (m, p) = median_p90(&mut v).unwrap();
            prop_assert!(lo <= m && m <= hi && m <= p && p <= hi);
        }
    }
}
