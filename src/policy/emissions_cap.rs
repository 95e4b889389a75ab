//! `emissions_cap`: Σ emissions·y ≤ max over the shipments in scope (products, markets
//! and origin sites), over the horizon or per departure period.

use super::kind::{
    periods_of, AddRows, Bound, Checks, Columns, Facts, Gap, Names, Numbers, PolicyKind, Price,
    Range, ReadKeys, Resolve, Selector, Side, Size, When,
};
use crate::allocation::Allocation;
use crate::diag::Spanned;
use crate::fmt::qty;
use crate::network::{Lane, Network, Per};
use crate::plan::Place;

#[derive(Debug, Clone)]
pub struct EmissionsCap {
    pub max: f64,
    pub per: Per,
    pub products: Vec<bool>,
    pub markets: Vec<bool>,
    pub sites: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct Raw {
    pub max: f64,
    pub per: Per,
    pub products: Spanned<Selector>,
    pub markets: Spanned<Selector>,
    pub sites: Spanned<Selector>,
}

/// The emissions of departure period `t`, or of the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Row {
    pub t: Option<usize>,
}

impl PolicyKind for EmissionsCap {
    const NAME: &'static str = "emissions_cap";
    const KEYS: &'static [&'static str] = &["max", "per", "products", "markets", "sites"];
    const DOC: &'static str = "Lane emissions (kg CO2e, by departure period) stay at most `max`.";
    const KEY_DOCS: &'static [(&'static str, &'static str)] = &[
        ("max", "Most kg CO2e per window."),
        (
            "per",
            "`period`: each period on its own; `horizon`: over the whole horizon.",
        ),
        ("products", "Products in scope."),
        ("markets", "Markets in scope."),
        ("sites", "Sites in scope."),
    ];
    const UNIT: &'static str = "kg CO2e";
    type Raw = Raw;
    type Row = Row;

    fn read(keys: &mut impl ReadKeys) -> Option<Raw> {
        let max = keys.number("max", Range::NonNegative);
        Some(Raw {
            max,
            per: keys.per(Per::Horizon),
            products: keys.selector("products", true),
            markets: keys.selector("markets", false),
            sites: keys.selector("sites", false),
        })
    }

    fn resolve(raw: &Raw, ids: &mut impl Resolve) -> Option<Self> {
        Some(EmissionsCap {
            max: raw.max,
            per: raw.per,
            products: ids.products(&raw.products),
            markets: ids.markets(&raw.markets),
            sites: ids.sites(&raw.sites),
        })
    }

    fn numbers(raw: &Raw, out: &mut impl Numbers) {
        out.bound(raw.max, "emissions cap");
    }

    fn max_rows(&self, size: &Size) -> u64 {
        size.periods
    }

    fn add_rows(&self, net: &Network, cols: &impl Columns, rows: &mut impl AddRows<Row>) {
        let mut terms = Vec::new();
        for (t, periods) in self.per.groups(net.n_periods()) {
            terms.clear();
            for (l, lane) in net.lanes.iter().enumerate() {
                if lane.emissions <= 0.0 || !self.covers(lane) {
                    continue;
                }
                for p in (0..net.products.len()).filter(|&p| self.products[p]) {
                    for &departure in &periods {
                        terms.extend(cols.shipments(l, p, departure).map(|c| (c, lane.emissions)));
                    }
                }
            }
            if !terms.is_empty() {
                rows.add(Row { t }, terms.iter().copied(), Bound::AtMost(self.max));
            }
        }
    }

    fn scope(row: &Row, names: &Names) -> String {
        names.period_or_horizon(row.t).to_string()
    }

    fn check(&self, facts: &Facts, out: &mut impl Checks) {
        let net = facts.net;
        for (_, periods) in self.per.groups(net.n_periods()) {
            let emitted = self.emitted(net, facts.alloc, &periods);
            out.row(emitted - self.max, self.max, || "emissions".to_string());
        }
    }

    fn price(_row: &Row) -> Price {
        Price::Per("kg CO2e")
    }

    fn gap(&self, row: &Row, slack: f64, net: &Network, alloc: &Allocation) -> Option<Gap> {
        let emitted = self.emitted(net, alloc, &periods_of(net, row.t));
        Some(Gap::new(Side::Max, Place::default(), row.t, slack).measured(emitted, self.max, 0.0))
    }

    fn sentence(&self, name: &str, gap: &Gap, when: &When, _net: &Network) -> String {
        format!(
            "emissions_cap '{name}' cannot hold {}: the deliveries the other rules require \
             emit at least {} kg CO2e against a cap of {} ({} over)",
            when.text,
            qty(gap.actual),
            qty(gap.limit),
            qty(gap.shortfall)
        )
    }
}

impl EmissionsCap {
    /// Does it count the lane? Lanes from sites in scope: into markets in scope, and
    /// every lane into a site or hub (`markets` selects deliveries only).
    fn covers(&self, lane: &Lane) -> bool {
        self.sites[lane.from] && lane.market().is_none_or(|m| self.markets[m])
    }

    /// kg CO2e of the shipments in scope departing in `periods`.
    fn emitted(&self, net: &Network, alloc: &Allocation, periods: &[usize]) -> f64 {
        let mut emitted = 0.0;
        for (l, lane) in net.lanes.iter().enumerate() {
            if !self.covers(lane) {
                continue;
            }
            for p in (0..net.products.len()).filter(|&p| self.products[p]) {
                for &t in periods {
                    emitted += lane.emissions * alloc.shipments[[l, p, t]];
                }
            }
        }
        emitted
    }
}
