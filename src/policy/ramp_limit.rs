//! `ramp_limit`: a site's load changes by at most `max_change` of its capacity from one
//! period to the next: Δ⁺[s,t] + Δ⁻[s,t] ≤ r·capacity[s,t] for each site in scope. The
//! first period compares with the site's `last_load`, when it gives one.

use super::kind::{
    site_place, AddRows, Bound, Checks, Columns, Facts, Gap, Names, Numbers, PolicyKind, Price,
    Range, ReadKeys, Resolve, Selector, Side, Size, When,
};
use crate::allocation::Allocation;
use crate::diag::Spanned;
use crate::fmt::{pct, qty};
use crate::network::Network;

#[derive(Debug, Clone)]
pub struct RampLimit {
    pub max_change: f64,
    pub sites: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct Raw {
    pub max_change: f64,
    pub sites: Spanned<Selector>,
}

/// The load change of a site into period `t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Row {
    pub site: usize,
    pub t: usize,
    /// The limit against the site's largest capacity × open, where a site that may
    /// close has expansions.
    pub open: bool,
}

impl PolicyKind for RampLimit {
    const NAME: &'static str = "ramp_limit";
    const KEYS: &'static [&'static str] = &["max_change", "sites"];
    const DOC: &'static str =
        "The load of each site in scope changes between consecutive periods by at most `max_change` of its capacity.";
    const KEY_DOCS: &'static [(&'static str, &'static str)] = &[
        (
            "max_change",
            "Largest load change, as a share of capacity in [0, 1] (0.15 = 15%).",
        ),
        ("sites", "Sites in scope."),
    ];
    const UNIT: &'static str = "capacity hours";
    type Raw = Raw;
    type Row = Row;

    fn read(keys: &mut impl ReadKeys) -> Option<Raw> {
        Some(Raw {
            max_change: keys.number("max_change", Range::Share),
            sites: keys.selector("sites", false),
        })
    }

    fn resolve(raw: &Raw, ids: &mut impl Resolve) -> Option<Self> {
        Some(RampLimit {
            max_change: raw.max_change,
            sites: ids.sites(&raw.sites),
        })
    }

    fn numbers(_raw: &Raw, _out: &mut impl Numbers) {}

    fn max_rows(&self, size: &Size) -> u64 {
        size.sites * size.periods
    }

    fn needs_load_changes(&self, site: usize) -> bool {
        self.sites[site]
    }

    fn add_rows(&self, net: &Network, cols: &impl Columns, rows: &mut impl AddRows<Row>) {
        for s in (0..net.sites.len()).filter(|&s| self.sites[s]) {
            for t in 0..net.n_periods() {
                let Some((up, down)) = cols.load_changes(s, t) else {
                    continue;
                };
                // The effective capacity: × open, plus expansions built so far (two
                // rows where a site that may close has expansions).
                let cap = cols.capacity(s, t);
                for (i, (extra, rhs)) in cap.at_most(self.max_change).into_iter().enumerate() {
                    rows.add(
                        Row {
                            site: s,
                            t,
                            open: i > 0,
                        },
                        [(up, 1.0), (down, 1.0)].into_iter().chain(extra),
                        Bound::AtMost(rhs),
                    );
                }
            }
        }
    }

    fn scope(row: &Row, names: &Names) -> String {
        let open = if row.open { ",open" } else { "" };
        format!("{},{}{open}", names.site(row.site), names.period(row.t))
    }

    fn check(&self, facts: &Facts, out: &mut impl Checks) {
        let net = facts.net;
        for s in (0..net.sites.len()).filter(|&s| self.sites[s]) {
            if !net.sites[s].default_resource {
                continue;
            }
            for t in 0..net.n_periods() {
                if let Some(d) = facts.load_change(s, t) {
                    let limit = self.max_change * facts.alloc.capacity(net, s, t);
                    out.row(d.abs() - limit, limit, || {
                        format!("load change at {} in {}", net.sites[s].id, facts.period(t))
                    });
                }
            }
        }
    }

    fn price(_row: &Row) -> Price {
        Price::Per("capacity unit")
    }

    fn gap(&self, row: &Row, slack: f64, net: &Network, alloc: &Allocation) -> Option<Gap> {
        let Row { site, t, .. } = *row;
        let previous = if t == 0 {
            net.sites[site].last_load.unwrap_or(0.0)
        } else {
            alloc.load(net, site, t - 1)
        };
        Some(
            Gap::new(Side::Max, site_place(net, site), Some(t), slack).measured(
                alloc.load(net, site, t),
                self.max_change * alloc.capacity(net, site, t),
                previous,
            ),
        )
    }

    fn sentence(&self, name: &str, gap: &Gap, when: &When, _net: &Network) -> String {
        let direction = if gap.actual >= gap.base {
            "rise"
        } else {
            "fall"
        };
        format!(
            "ramp_limit '{name}' cannot hold at {} {}: load must {direction} from {} to {} \
             capacity hours, a change of {} against the {} ({} of capacity) allowed",
            gap.site(),
            when.text,
            qty(gap.base),
            qty(gap.actual),
            qty((gap.actual - gap.base).abs()),
            qty(gap.limit),
            pct(self.max_change)
        )
    }
}
