//! Markets for UMKM: channels to buyers (modern retail, MBG kitchens, Koperasi Merah Putih,
//! e-catalogue), the supply rule of the free-meal kitchens, and financing referrals.

pub mod channel;
pub mod financing;
pub mod kitchen;
// Catalogue (issue 6, part 5)
pub mod catalogue;

pub use channel::{ChannelKind, Requirement, Stage, StageError};
pub use financing::{ReferralStatus, Scheme, default_schemes};
pub use kitchen::{KitchenSupply, MIN_SUPPLIERS, kitchen_supply};
