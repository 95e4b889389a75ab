//! Scenario generator for trials and benchmarks.
//!
//! [`generate`] writes a valid, plausible scenario of any size: sites in the US, Mexico
//! and Canada next to overseas sites (China, Vietnam, India, Korea, Japan, Taiwan,
//! Germany), seasonal demand in North American markets, overseas lanes with lead times,
//! tariffs and higher emissions, and every policy kind (some soft). The output depends
//! only on the [`Spec`]: the same seed gives byte-identical files.
//!
//! The scenario is built so that it always has a solution: every hard policy can be met
//! by shipping nothing (unmet demand is priced, not forbidden), and what a site must
//! produce (ramp limits from `last_load`, contract minimums) fits its capacity and storage.
//!
//! Sizes: each site makes about half of the products and ships to about half of the
//! markets, so the LP has roughly `S·P·T·(1 + M/2·0.7)` columns: about 650 for
//! 6×3×3×12, 25k for 40×20×8×12, 275k for 100×50×8×24 and 1M for 200×80×10×24
//! (BENCHMARKS.md).
//!
//! [`Spec::generate`] with 2 tiers writes a multi-tier scenario (format v2) instead:
//! packs made in the US from modules made in Mexico, from cells and boards bought
//! overseas and in North America, through border hubs, under a regional value content
//! rule (see `two_tier`).

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::load::limits::{MAX_FILE_BYTES, MAX_TOTAL_BYTES};

mod decisions;
mod one_tier;
mod rng;
mod tables;
mod two_tier;

/// The model file written by [`Generated::write`].
pub const MODEL_FILE: &str = "model.yaml";
/// The network data file (periods, products, sites, markets, lanes).
pub const NETWORK_FILE: &str = "network.yaml";
/// The demand data file.
pub const DEMAND_FILE: &str = "demand.yaml";

/// Largest accepted value of each size argument.
pub const MAX_SITES: usize = 5_000;
pub const MAX_PRODUCTS: usize = 2_000;
pub const MAX_MARKETS: usize = 500;
pub const MAX_PERIODS: usize = 240;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub sites: usize,
    pub products: usize,
    pub markets: usize,
    pub periods: usize,
    pub seed: u64,
    /// Add decisions over the horizon (a MILP): sites that may open and close, fixed
    /// costs, expansions, minimum runs and a take-or-pay contract. `false` writes
    /// exactly the files of a scenario without them.
    pub decisions: bool,
}

/// Most tiers [`Spec::generate`] accepts: 1 (format v1: sites ship straight to
/// markets) or 2 (format v2: components, modules, hubs and packs).
pub const MAX_TIERS: u8 = 2;
/// Fewest sites of a two-tier scenario: an overseas and a Mexican supplier, a module
/// plant, a hub and a pack plant.
pub const MIN_TWO_TIER_SITES: usize = 5;
/// Fewest products of a two-tier scenario: a pack, a module, a cell and a board.
pub const MIN_TWO_TIER_PRODUCTS: usize = 4;

impl Spec {
    /// Checks the sizes: each at least 1 and at most its `MAX_*`, and files that the
    /// loader's limits do not clearly refuse.
    pub fn check(&self) -> Result<(), Error> {
        self.check_ranges()?;
        let (s, p, m, t) = (
            self.sites as u64,
            self.products as u64,
            self.markets as u64,
            self.periods as u64,
        );
        // Low estimates, from measured output: a refusal here is certain, and sizes
        // near the limits are checked on the text itself once it is made.
        let network = 300 * s + 40 * s * p + 50 * s * m + 3 * s * t + 50 * p;
        // About 70% of (market, product) pairs, each a line of one number per period.
        let demand = m * p * 65 * (60 + 5 * t) / 100;
        check_sizes([(NETWORK_FILE, network), (DEMAND_FILE, demand)], true)
    }

    /// Checks the sizes for a scenario of `tiers` tiers: as [`Spec::check`] for one; for
    /// two, also at least [`MIN_TWO_TIER_SITES`] sites and [`MIN_TWO_TIER_PRODUCTS`]
    /// products.
    pub fn check_tiers(&self, tiers: u8) -> Result<(), Error> {
        match tiers {
            1 => self.check(),
            2 => {
                self.check_ranges()?;
                for (what, n, min, parts) in [
                    (
                        "sites",
                        self.sites,
                        MIN_TWO_TIER_SITES,
                        "an overseas and a Mexican supplier, a module plant, a hub and a pack plant",
                    ),
                    (
                        "products",
                        self.products,
                        MIN_TWO_TIER_PRODUCTS,
                        "a pack, a module, a cell and a board",
                    ),
                ] {
                    if n < min {
                        return Err(Error::Usage(format!(
                            "--tiers 2 needs --{what} of at least {min} ({parts}), found {n}"
                        )));
                    }
                }
                let (s, p, m, t) = (
                    self.sites as u64,
                    self.products as u64,
                    self.markets as u64,
                    self.periods as u64,
                );
                // Low estimates, from measured output: a site takes a few lines and its
                // per-period lists, a pack plant ships to about a third of the markets,
                // and a quarter of the products are packs, wanted in about 70% of the
                // markets.
                let network = 400 * s + 3 * s * t + 8 * s * m + 80 * p;
                let demand = (p / 4).max(1) * m * 60 * (50 + 4 * t) / 100;
                check_sizes([(NETWORK_FILE, network), (DEMAND_FILE, demand)], true)
            }
            _ => Err(Error::Usage(format!(
                "--tiers must be 1 or {MAX_TIERS}, found {tiers}"
            ))),
        }
    }

    /// Generates a scenario of `tiers` tiers: 1 is [`generate`]; 2 is a multi-tier
    /// scenario (format v2) with bills of materials, hubs, lane capacities and modes,
    /// named resources and a regional value content rule. Fails only on sizes that
    /// [`Spec::check_tiers`] refuses, or whose files `validate` would refuse as too
    /// large.
    pub fn generate(&self, tiers: u8) -> Result<Generated, Error> {
        if tiers == 1 {
            return generate(self);
        }
        self.check_tiers(tiers)?;
        let generated = two_tier::generate(self);
        check_sizes(
            generated
                .files()
                .map(|(name, text)| (name, text.len() as u64)),
            false,
        )?;
        Ok(generated)
    }

    /// Each size at least 1 and at most its `MAX_*`.
    fn check_ranges(&self) -> Result<(), Error> {
        for (what, n, max) in [
            ("sites", self.sites, MAX_SITES),
            ("products", self.products, MAX_PRODUCTS),
            ("markets", self.markets, MAX_MARKETS),
            ("periods", self.periods, MAX_PERIODS),
        ] {
            if n == 0 || n > max {
                return Err(Error::Usage(format!(
                    "--{what} must be between 1 and {max}, found {n}"
                )));
            }
        }
        Ok(())
    }

    /// The model's name, e.g. `generated-s6-p3-m3-t12-seed1` (with `-decisions` at
    /// the end when it has decisions).
    pub fn name(&self) -> String {
        format!(
            "generated-s{}-p{}-m{}-t{}-seed{}{}",
            self.sites,
            self.products,
            self.markets,
            self.periods,
            self.seed,
            self.decisions_suffix()
        )
    }

    /// `-decisions` with decisions, else nothing.
    fn decisions_suffix(&self) -> &'static str {
        if self.decisions {
            "-decisions"
        } else {
            ""
        }
    }

    /// ` --decisions` with decisions, else nothing: for the command in a file's header.
    fn decisions_flag(&self) -> &'static str {
        if self.decisions {
            " --decisions"
        } else {
            ""
        }
    }
}

/// The text of the generated files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub name: String,
    /// `model.yaml`: blocs, objective, policies, solver.
    pub model: String,
    /// `network.yaml`: periods, products, sites, markets, lanes.
    pub network: String,
    /// `demand.yaml`: demand per market, product and period.
    pub demand: String,
}

impl Generated {
    /// File names and contents, in the order they are written.
    pub fn files(&self) -> [(&'static str, &str); 3] {
        [
            (NETWORK_FILE, self.network.as_str()),
            (DEMAND_FILE, self.demand.as_str()),
            (MODEL_FILE, self.model.as_str()),
        ]
    }

    /// Writes the files as the new contents of folder `dir` (created if needed), in one
    /// locked step (see [`crate::output::write_dir`]). Returns their paths; the model file
    /// is the last.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>, Error> {
        let files: Vec<(String, Vec<u8>)> = self
            .files()
            .iter()
            .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
            .collect();
        crate::output::replace_dir(dir, &files)
    }
}

/// Refuses files (name, bytes) that `validate` would refuse: any one over
/// [`MAX_FILE_BYTES`], or all together over [`MAX_TOTAL_BYTES`].
/// `estimated`: the sizes are low estimates ("over N MiB"), else exact.
fn check_sizes<const N: usize>(files: [(&str, u64); N], estimated: bool) -> Result<(), Error> {
    let mib = |bytes: u64| bytes / (1024 * 1024);
    let about = if estimated { "over" } else { "about" };
    let fewer = |name: &str| {
        if name == DEMAND_FILE {
            "markets, products or periods"
        } else {
            "sites, products or markets"
        }
    };
    for (name, bytes) in files {
        if bytes > MAX_FILE_BYTES {
            return Err(Error::Usage(format!(
                "these sizes would write a {name} of {about} {} MiB, and allyplan reads files of at most {} MiB: ask for fewer {}",
                mib(bytes),
                mib(MAX_FILE_BYTES),
                fewer(name)
            )));
        }
    }
    let total: u64 = files.iter().map(|(_, bytes)| bytes).sum();
    if total > MAX_TOTAL_BYTES {
        return Err(Error::Usage(format!(
            "these sizes would write {about} {} MiB of files, and allyplan reads at most {} MiB for one model: ask for fewer sites, products, markets or periods",
            mib(total),
            mib(MAX_TOTAL_BYTES)
        )));
    }
    Ok(())
}

/// Generates a scenario. Fails only on sizes outside [`Spec::check`]'s limits, or whose
/// files `validate` would refuse as too large.
pub fn generate(spec: &Spec) -> Result<Generated, Error> {
    spec.check()?;
    let generated = one_tier::generate(spec);
    check_sizes(
        generated
            .files()
            .map(|(name, text)| (name, text.len() as u64)),
        false,
    )?;
    Ok(generated)
}

/// Rounds to `decimals` places.
fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// A number as YAML: shortest round-trip decimal (`12`, `0.25`).
fn fmt(x: f64) -> String {
    // -0 would print as `-0`.
    let x = if x == 0.0 { 0.0 } else { x };
    format!("{x}")
}

/// `[a, b, c]`.
fn list(out: &mut String, values: &[f64]) {
    out.push('[');
    for (i, &x) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&fmt(x));
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::rng::Rng;
    use super::*;

    fn spec(seed: u64) -> Spec {
        Spec {
            sites: 6,
            products: 3,
            markets: 3,
            periods: 12,
            seed,
            decisions: false,
        }
    }

    #[test]
    fn same_seed_same_text() {
        assert_eq!(generate(&spec(7)).unwrap(), generate(&spec(7)).unwrap());
        assert_ne!(
            generate(&spec(7)).unwrap().network,
            generate(&spec(8)).unwrap().network
        );
    }

    #[test]
    fn sizes_are_checked() {
        let mut s = spec(1);
        s.sites = 0;
        assert!(matches!(generate(&s), Err(Error::Usage(_))));
        s.sites = MAX_SITES + 1;
        assert!(matches!(generate(&s), Err(Error::Usage(_))));
    }

    #[test]
    fn subsets_are_distinct_and_sorted() {
        let mut rng = Rng::new(3);
        for n in 1..20 {
            for k in 0..=n {
                let s = rng.subset(n, k);
                assert_eq!(s.len(), k);
                assert!(s.windows(2).all(|w| w[0] < w[1]));
                assert!(s.iter().all(|&i| i < n));
            }
        }
    }

    #[test]
    fn numbers_are_plain() {
        assert_eq!(fmt(12.0), "12");
        assert_eq!(fmt(-0.0), "0");
        assert_eq!(fmt(0.25), "0.25");
    }
}
