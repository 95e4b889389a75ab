//! `load_band`: min·capacity[s,t] ≤ ℓ[s,t] ≤ max·capacity[s,t] for each site in scope
//! that makes anything (the load counts overtime hours too).

use super::kind::{
    share, site_place, AddRows, Bound, Checks, Columns, Facts, Gap, Names, Numbers, PolicyKind,
    Price, Range, ReadKeys, Resolve, Selector, Side, Size, When,
};
use crate::allocation::Allocation;
use crate::diag::Spanned;
use crate::fmt::{pct, qty};
use crate::network::Network;

#[derive(Debug, Clone)]
pub struct LoadBand {
    pub min: f64,
    pub max: f64,
    pub sites: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct Raw {
    pub min: f64,
    pub max: f64,
    pub sites: Spanned<Selector>,
}

/// The band's minimum or maximum at a site in period `t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Row {
    Min {
        site: usize,
        t: usize,
    },
    Max {
        site: usize,
        t: usize,
    },
    /// The maximum against the site's largest capacity × open, where a site that may
    /// close has expansions.
    MaxOpen {
        site: usize,
        t: usize,
    },
}

impl PolicyKind for LoadBand {
    const NAME: &'static str = "load_band";
    const KEYS: &'static [&'static str] = &["min", "max", "sites"];
    const DOC: &'static str =
        "The share of regular capacity each site in scope uses stays between `min` and `max`, each period.";
    const KEY_DOCS: &'static [(&'static str, &'static str)] = &[
        ("min", "Least share of regular capacity used, in [0, 1]."),
        (
            "max",
            "Largest share of regular capacity used (above 1 uses overtime).",
        ),
        ("sites", "Sites in scope."),
    ];
    const UNIT: &'static str = "capacity hours";
    type Raw = Raw;
    type Row = Row;

    fn read(keys: &mut impl ReadKeys) -> Option<Raw> {
        let min = keys.optional("min", Range::Share).unwrap_or(0.0);
        let max = keys.optional("max", Range::NonNegative).unwrap_or(1.0);
        if !keys.has("min") && !keys.has("max") {
            keys.error("a load_band needs `min`, `max` or both".to_string());
        }
        if min > max {
            keys.error(format!("`min` ({min}) is greater than `max` ({max})"));
        }
        Some(Raw {
            min,
            max,
            sites: keys.selector("sites", false),
        })
    }

    fn resolve(raw: &Raw, ids: &mut impl Resolve) -> Option<Self> {
        Some(LoadBand {
            min: raw.min,
            max: raw.max,
            sites: ids.sites(&raw.sites),
        })
    }

    fn numbers(_raw: &Raw, _out: &mut impl Numbers) {}

    fn max_rows(&self, size: &Size) -> u64 {
        2 * size.sites * size.periods
    }

    fn add_rows(&self, net: &Network, cols: &impl Columns, rows: &mut impl AddRows<Row>) {
        let (min, max) = (self.min, self.max);
        for s in (0..net.sites.len()).filter(|&s| self.sites[s]) {
            if cols.makes_at(s).is_empty() || !net.sites[s].default_resource {
                continue;
            }
            for t in 0..net.n_periods() {
                // The effective capacity: × open, plus expansions built so far.
                let cap = cols.capacity(s, t);
                if min * cap.fixed > 0.0 || (min > 0.0 && !cap.is_fixed()) {
                    let row = Row::Min { site: s, t };
                    let (extra, rhs) = cap.at_least(min);
                    let terms = cols.load_terms(s, t).chain(extra);
                    rows.add(row, terms, Bound::AtLeast(rhs));
                }
                for (i, (extra, rhs)) in cap.at_most(max).into_iter().enumerate() {
                    let row = if i == 0 {
                        Row::Max { site: s, t }
                    } else {
                        Row::MaxOpen { site: s, t }
                    };
                    let terms = cols.load_terms(s, t).chain(extra);
                    rows.add(row, terms, Bound::AtMost(rhs));
                }
            }
        }
    }

    fn scope(row: &Row, names: &Names) -> String {
        match *row {
            Row::Min { site, t } => format!("min,{},{}", names.site(site), names.period(t)),
            Row::Max { site, t } => format!("max,{},{}", names.site(site), names.period(t)),
            Row::MaxOpen { site, t } => {
                format!("max,{},{},open", names.site(site), names.period(t))
            }
        }
    }

    fn check(&self, facts: &Facts, out: &mut impl Checks) {
        let (net, loads) = (facts.net, &facts.loads);
        let (min, max) = (self.min, self.max);
        for s in (0..net.sites.len()).filter(|&s| self.sites[s]) {
            if !net.makes_anything(s) || !net.sites[s].default_resource {
                continue;
            }
            for t in 0..net.n_periods() {
                let cap = facts.alloc.capacity(net, s, t);
                if min * cap > 0.0 {
                    out.row(min * cap - loads[[s, t]], min * cap, || {
                        format!("minimum load at {} in {}", net.sites[s].id, facts.period(t))
                    });
                }
                out.row(loads[[s, t]] - max * cap, max * cap, || {
                    format!("maximum load at {} in {}", net.sites[s].id, facts.period(t))
                });
            }
        }
    }

    fn price(_row: &Row) -> Price {
        Price::Per("capacity unit")
    }

    fn gap(&self, row: &Row, slack: f64, net: &Network, alloc: &Allocation) -> Option<Gap> {
        let (side, site, t, share) = match *row {
            Row::Min { site, t } => (Side::Min, site, t, self.min),
            Row::Max { site, t } | Row::MaxOpen { site, t } => (Side::Max, site, t, self.max),
        };
        let cap = alloc.capacity(net, site, t);
        Some(
            Gap::new(side, site_place(net, site), Some(t), slack).measured(
                alloc.load(net, site, t),
                share * cap,
                cap,
            ),
        )
    }

    fn sentence(&self, name: &str, gap: &Gap, when: &When, _net: &Network) -> String {
        let site = gap.site();
        let when = &when.text;
        match gap.side {
            Side::Min => format!(
                "load_band '{name}' cannot hold at {site} {when}: it can use at most {} \
                 capacity hours, below the band's minimum of {} ({} of capacity)",
                qty(gap.actual),
                qty(gap.limit),
                pct(share(gap.limit, gap.base))
            ),
            Side::Max => format!(
                "load_band '{name}' cannot hold at {site} {when}: it must use {} capacity \
                 hours, above the band's maximum of {} ({} of capacity)",
                qty(gap.actual),
                qty(gap.limit),
                pct(share(gap.limit, gap.base))
            ),
        }
    }
}
