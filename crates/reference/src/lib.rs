//! Reference data compiled into the binary: Kemendagri regions, KBLI 2020 and the government
//! affairs (urusan) of Permendagri 90/2019.
//!
//! The CSV files under `data/` are embedded with `include_str!` and parsed once, on first use,
//! into in-memory tables that live for the rest of the process; every lookup hands out
//! `&'static` rows. Shipping the data inside the binary means a deployment cannot run against a
//! missing or mismatched copy, and the tables are small (a few MB).
//!
//! The region data is © its contributors under the ODbL: `data/wilayah/LICENSE.md` and
//! `SOURCE.md` must travel with any copy of it.

mod data;
mod kbli;
mod region;
mod region_match;
mod text;
mod urusan;

pub use kbli::{Kbli, KbliCounts, kbli, kbli_all, kbli_children, kbli_count_by_level, search_kbli};
pub use region::{
    Region, RegionCounts, RegionHit, children, region, region_all, region_count_by_level, region_label, region_path,
    search_regions,
};
pub use region_match::{NameMatch, RegencyMatcher};
pub use urusan::{Urusan, UrusanGroup, urusan, urusan_all};

/// Parses every table now rather than on first use. A server calls this at start-up so that the
/// first keystroke in a region picker does not wait for ~91,000 rows to be read.
pub fn preload() {
    let _ = region_all();
    let _ = kbli_all();
    let _ = urusan_all();
}
