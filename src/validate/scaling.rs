//! Numerical scaling: the ranges of the LP's costs, coefficients and bounds.
//!
//! Simplex and interior-point solvers work in floating point with tolerances near
//! 1e-9 relative; when the largest and smallest non-zero numbers of one kind are more
//! than [`MAX_RATIO`] apart (a $1e12 penalty next to a $0.001 cost), a plan can come
//! back a little infeasible or a little off the optimum. The verifier catches that (exit
//! code 6), but the planner is better served by a warning that names the two extremes,
//! so the units can be changed before solving.

use crate::diag::{Diagnostics, Loc};

/// Largest accepted ratio between the largest and smallest non-zero number of a kind.
pub const MAX_RATIO: f64 = 1e9;

/// One extreme: the value, what it is, and where it was written.
#[derive(Debug, Clone)]
struct Extreme {
    value: f64,
    what: String,
    loc: Loc,
}

#[derive(Debug, Default)]
struct Range {
    min: Option<Extreme>,
    max: Option<Extreme>,
}

impl Range {
    fn add(&mut self, value: f64, what: &dyn Fn() -> String, loc: &Loc) {
        let x = value.abs();
        if x == 0.0 || !x.is_finite() {
            return;
        }
        if self.min.as_ref().is_none_or(|m| x < m.value) {
            self.min = Some(Extreme {
                value: x,
                what: what(),
                loc: loc.clone(),
            });
        }
        if self.max.as_ref().is_none_or(|m| x > m.value) {
            self.max = Some(Extreme {
                value: x,
                what: what(),
                loc: loc.clone(),
            });
        }
    }
}

/// Collects the numbers of the LP by kind.
#[derive(Debug, Default)]
pub(super) struct Scale {
    /// Objective coefficients: costs, prices and penalties.
    costs: Range,
    /// Constraint coefficients: rates, shares, emissions under a cap.
    coefficients: Range,
    /// Right-hand sides and bounds: capacities, demand, inventory, contract volumes.
    bounds: Range,
}

impl Scale {
    pub fn cost(&mut self, value: f64, what: impl Fn() -> String, loc: &Loc) {
        self.costs.add(value, &what, loc);
    }

    pub fn coefficient(&mut self, value: f64, what: impl Fn() -> String, loc: &Loc) {
        self.coefficients.add(value, &what, loc);
    }

    pub fn bound(&mut self, value: f64, what: impl Fn() -> String, loc: &Loc) {
        self.bounds.add(value, &what, loc);
    }

    /// A warning for each kind whose range is wider than [`MAX_RATIO`], located at its
    /// largest number and naming the smallest.
    pub fn warn(&self, diags: &mut Diagnostics) {
        for (kind, range) in [
            ("costs", &self.costs),
            ("constraint coefficients", &self.coefficients),
            ("bounds (capacities, demand, limits)", &self.bounds),
        ] {
            let (Some(min), Some(max)) = (&range.min, &range.max) else {
                continue;
            };
            let ratio = max.value / min.value;
            if ratio <= MAX_RATIO {
                continue;
            }
            diags.warning_help(
                max.loc.clone(),
                format!(
                    "badly scaled input: {kind} range from {} ({}, at {}) to {} ({}), a ratio of {}, over {}; solvers lose accuracy on such ranges",
                    short(min.value),
                    min.what,
                    min.loc,
                    short(max.value),
                    max.what,
                    short(ratio),
                    short(MAX_RATIO)
                ),
                "change units (e.g. $k or thousands of units) or bring the extremes closer; a plan that loses accuracy is reported as an error (exit code 4 or 6), never as optimal",
            );
        }
    }
}

/// A number in few characters: plain when moderate, else in e-notation (`2.5e12`).
fn short(x: f64) -> String {
    if (1e-3..1e7).contains(&x.abs()) {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        let s = format!("{x:.3e}");
        match s.split_once('e') {
            Some((m, e)) => {
                let m = if m.contains('.') {
                    m.trim_end_matches('0').trim_end_matches('.')
                } else {
                    m
                };
                format!("{m}e{e}")
            }
            None => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers() {
        assert_eq!(short(310.0), "310");
        assert_eq!(short(0.05), "0.05");
        assert_eq!(short(2.5e12), "2.5e12");
        assert_eq!(short(1e-5), "1e-5");
        assert_eq!(short(1e9), "1e9");
    }

    #[test]
    fn warns_only_past_the_ratio() {
        let loc = Loc::file("d.yaml");
        let mut scale = Scale::default();
        scale.cost(0.01, || "a".into(), &loc);
        scale.cost(1e6, || "b".into(), &loc);
        scale.cost(0.0, || "zero is ignored".into(), &loc);
        let mut diags = Diagnostics::default();
        scale.warn(&mut diags);
        assert!(diags.is_empty());
        scale.cost(1e8, || "c".into(), &loc);
        scale.warn(&mut diags);
        assert_eq!(diags.warning_count(), 1);
        let text = diags.to_string();
        assert!(
            text.contains("costs range from 0.01 (a, at d.yaml) to 1e8 (c), a ratio of 1e10"),
            "{text}"
        );
    }
}
