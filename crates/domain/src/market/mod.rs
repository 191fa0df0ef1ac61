//! Markets for UMKM: channels to buyers (modern retail, MBG kitchens, Koperasi Merah Putih,
//! e-catalogue), the supply rule of the free-meal kitchens, and financing referrals.

pub mod channel;
pub mod financing;
pub mod kitchen;
// Catalogue (issue 6, part 5)
pub mod catalogue;

pub use channel::{ChannelKind, RegistryFacts, Requirement, Stage, StageError, requirements_met};
pub use financing::{ReferralAmounts, ReferralStatus, Scheme, check_asked, default_schemes};
pub use kitchen::{
    KitchenSupply, MAX_SHARE_PERCENT, MIN_SUPPLIERS, Nearness, SUPPLY_KBLI_PREFIXES, kitchen_supply, nearness,
    supplies_kitchens,
};
// Issue 7: demand matching
pub mod demand;
