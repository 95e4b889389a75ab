//! `min_fill_rate`: Σ u ≤ (1 − min)·Σ demand over the products and markets in scope, over
//! the horizon (default) or per period.

use super::kind::{
    periods_of, share, AddRows, Bound, Checks, Columns, Facts, Gap, Names, Numbers, PolicyKind,
    Price, Range, ReadKeys, Resolve, Selector, Side, Size, When,
};
use crate::allocation::Allocation;
use crate::diag::Spanned;
use crate::fmt::{pct, qty};
use crate::network::{Network, Per};
use crate::plan::Place;

#[derive(Debug, Clone)]
pub struct MinFillRate {
    pub min: f64,
    pub per: Per,
    pub products: Vec<bool>,
    pub markets: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct Raw {
    pub min: f64,
    pub per: Per,
    pub products: Spanned<Selector>,
    pub markets: Spanned<Selector>,
}

/// The fill rate of period `t`, or of the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Row {
    pub t: Option<usize>,
}

impl PolicyKind for MinFillRate {
    const NAME: &'static str = "min_fill_rate";
    const KEYS: &'static [&'static str] = &["min", "per", "products", "markets"];
    const DOC: &'static str =
        "Units served are at least `min` of the demand of the products and markets in scope.";
    const KEY_DOCS: &'static [(&'static str, &'static str)] = &[
        ("min", "Least fill rate (served / demand), in [0, 1]."),
        (
            "per",
            "`period`: each period on its own; `horizon`: over the whole horizon.",
        ),
        ("products", "Products in scope."),
        ("markets", "Markets in scope."),
    ];
    const UNIT: &'static str = "units";
    type Raw = Raw;
    type Row = Row;

    fn read(keys: &mut impl ReadKeys) -> Option<Raw> {
        let min = keys.number("min", Range::Share);
        Some(Raw {
            min,
            per: keys.per(Per::Horizon),
            products: keys.selector("products", true),
            markets: keys.selector("markets", false),
        })
    }

    fn resolve(raw: &Raw, ids: &mut impl Resolve) -> Option<Self> {
        Some(MinFillRate {
            min: raw.min,
            per: raw.per,
            products: ids.products(&raw.products),
            markets: ids.markets(&raw.markets),
        })
    }

    fn numbers(raw: &Raw, out: &mut impl Numbers) {
        if raw.min < 1.0 {
            out.coefficient(1.0 - raw.min, "1 − min");
        }
    }

    fn max_rows(&self, size: &Size) -> u64 {
        size.periods
    }

    fn add_rows(&self, net: &Network, cols: &impl Columns, rows: &mut impl AddRows<Row>) {
        let mut terms = Vec::new();
        for (t, periods) in self.per.groups(net.n_periods()) {
            terms.clear();
            let mut total_demand = 0.0;
            for m in (0..net.markets.len()).filter(|&m| self.markets[m]) {
                for p in (0..net.products.len()).filter(|&p| self.products[p]) {
                    for &period in &periods {
                        total_demand += net.demand[[m, p, period]];
                        if let Some(c) = cols.unmet(m, p, period) {
                            terms.push((c, 1.0));
                        }
                    }
                }
            }
            if !terms.is_empty() {
                let rhs = (1.0 - self.min) * total_demand;
                rows.add(Row { t }, terms.iter().copied(), Bound::AtMost(rhs));
            }
        }
    }

    fn scope(row: &Row, names: &Names) -> String {
        names.period_or_horizon(row.t).to_string()
    }

    fn check(&self, facts: &Facts, out: &mut impl Checks) {
        let net = facts.net;
        for (_, periods) in self.per.groups(net.n_periods()) {
            let (demand, unmet) = self.demand_and_unmet(net, facts.alloc, &periods);
            out.row(unmet - (1.0 - self.min) * demand, demand, || {
                "unmet demand".to_string()
            });
        }
    }

    fn price(_row: &Row) -> Price {
        Price::Per("unit")
    }

    fn gap(&self, row: &Row, slack: f64, net: &Network, alloc: &Allocation) -> Option<Gap> {
        let (demand, unmet) = self.demand_and_unmet(net, alloc, &periods_of(net, row.t));
        Some(
            Gap::new(Side::Min, Place::default(), row.t, slack).measured(
                demand - unmet,
                self.min * demand,
                demand,
            ),
        )
    }

    fn sentence(&self, name: &str, gap: &Gap, when: &When, _net: &Network) -> String {
        format!(
            "min_fill_rate '{name}' cannot hold {}: the network can serve at most {} of demand \
             against {} ({} of {} units)",
            when.text,
            pct(share(gap.actual, gap.base)),
            pct(self.min),
            qty(gap.actual),
            qty(gap.base)
        )
    }
}

impl MinFillRate {
    /// Demand and unmet demand in scope over `periods`.
    fn demand_and_unmet(&self, net: &Network, alloc: &Allocation, periods: &[usize]) -> (f64, f64) {
        let (mut demand, mut unmet) = (0.0, 0.0);
        for m in (0..net.markets.len()).filter(|&m| self.markets[m]) {
            for p in (0..net.products.len()).filter(|&p| self.products[p]) {
                for &t in periods {
                    demand += net.demand[[m, p, t]];
                    unmet += alloc.unmet[[m, p, t]];
                }
            }
        }
        (demand, unmet)
    }
}
