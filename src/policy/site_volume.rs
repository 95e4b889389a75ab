//! `site_volume`: min ≤ Σ_p x[s,p,t] ≤ max at one site in every period, over the products
//! in scope (a contract in units).

use super::kind::{
    site_place, AddRows, Bound, Checks, Columns, Facts, Gap, Names, Numbers, PolicyKind, Price,
    Range, ReadKeys, Resolve, Selector, Side, Size, When,
};
use crate::allocation::Allocation;
use crate::diag::Spanned;
use crate::fmt::qty;
use crate::network::Network;

#[derive(Debug, Clone)]
pub struct SiteVolume {
    pub site: usize,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub products: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct Raw {
    pub site: Spanned<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub products: Spanned<Selector>,
}

/// The contract's minimum or maximum in period `t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Row {
    Min { site: usize, t: usize },
    Max { site: usize, t: usize },
}

impl PolicyKind for SiteVolume {
    const NAME: &'static str = "site_volume";
    const KEYS: &'static [&'static str] = &["site", "min", "max", "products"];
    const DOC: &'static str =
        "Units made at `site` (of the products in scope) each period lie between `min` and `max`.";
    const KEY_DOCS: &'static [(&'static str, &'static str)] = &[
        ("site", "The site."),
        ("min", "Least units per period."),
        ("max", "Most units per period."),
        ("products", "Products in scope."),
    ];
    const UNIT: &'static str = "units";
    type Raw = Raw;
    type Row = Row;

    fn read(keys: &mut impl ReadKeys) -> Option<Raw> {
        let site = keys.text("site");
        let min = keys.optional("min", Range::NonNegative);
        let max = keys.optional("max", Range::NonNegative);
        if !keys.has("min") && !keys.has("max") {
            keys.error("a site_volume needs `min`, `max` or both".to_string());
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                keys.error(format!("`min` ({lo}) is greater than `max` ({hi})"));
            }
        }
        Some(Raw {
            site: site?,
            min,
            max,
            products: keys.selector("products", true),
        })
    }

    fn resolve(raw: &Raw, ids: &mut impl Resolve) -> Option<Self> {
        let site = ids.site(&raw.site);
        let products = ids.products(&raw.products);
        site.map(|site| SiteVolume {
            site,
            min: raw.min,
            max: raw.max,
            products,
        })
    }

    fn numbers(raw: &Raw, out: &mut impl Numbers) {
        for x in [raw.min, raw.max].into_iter().flatten() {
            out.bound(x, "volume limit");
        }
    }

    fn max_rows(&self, size: &Size) -> u64 {
        2 * size.periods
    }

    fn add_rows(&self, net: &Network, cols: &impl Columns, rows: &mut impl AddRows<Row>) {
        let site = self.site;
        let mut terms = Vec::new();
        for t in 0..net.n_periods() {
            terms.clear();
            terms.extend(
                cols.makes_at(site)
                    .iter()
                    .filter(|&&k| self.products[net.makes[k].product])
                    .filter_map(|&k| cols.production(k, t).map(|c| (c, 1.0))),
            );
            if let Some(min) = self.min.filter(|&m| m > 0.0) {
                let row = Row::Min { site, t };
                rows.add(row, terms.iter().copied(), Bound::AtLeast(min));
            }
            if let Some(max) = self.max {
                if !terms.is_empty() {
                    let row = Row::Max { site, t };
                    rows.add(row, terms.iter().copied(), Bound::AtMost(max));
                }
            }
        }
    }

    fn scope(row: &Row, names: &Names) -> String {
        match *row {
            Row::Min { site, t } => format!("min,{},{}", names.site(site), names.period(t)),
            Row::Max { site, t } => format!("max,{},{}", names.site(site), names.period(t)),
        }
    }

    fn check(&self, facts: &Facts, out: &mut impl Checks) {
        let net = facts.net;
        let site = self.site;
        for t in 0..net.n_periods() {
            let volume: f64 = (0..net.products.len())
                .filter(|&p| self.products[p])
                .map(|p| facts.alloc.production[[site, p, t]])
                .sum();
            if let Some(lo) = self.min.filter(|&lo| lo > 0.0) {
                out.row(lo - volume, lo, || {
                    format!(
                        "minimum volume at {} in {}",
                        net.sites[site].id,
                        facts.period(t)
                    )
                });
            }
            if let Some(hi) = self.max {
                out.row(volume - hi, hi, || {
                    format!(
                        "maximum volume at {} in {}",
                        net.sites[site].id,
                        facts.period(t)
                    )
                });
            }
        }
    }

    fn price(_row: &Row) -> Price {
        Price::Per("unit")
    }

    fn gap(&self, row: &Row, slack: f64, net: &Network, alloc: &Allocation) -> Option<Gap> {
        let (side, site, t, limit) = match *row {
            Row::Min { site, t } => (Side::Min, site, t, self.min.unwrap_or(0.0)),
            Row::Max { site, t } => (Side::Max, site, t, self.max.unwrap_or(0.0)),
        };
        let volume: f64 = (0..net.products.len())
            .filter(|&p| self.products[p])
            .map(|p| alloc.production[[site, p, t]])
            .sum();
        Some(Gap::new(side, site_place(net, site), Some(t), slack).measured(volume, limit, 0.0))
    }

    fn sentence(&self, name: &str, gap: &Gap, when: &When, _net: &Network) -> String {
        let (site, label, period) = (gap.site(), when.label, when.period);
        let more = match when.count {
            0 | 1 => String::new(),
            2 => format!(" (and in 1 other {period})"),
            n => format!(" (and in {} other {})", n - 1, when.periods),
        };
        match gap.side {
            Side::Min => format!(
                "site_volume contract '{name}' needs {} units a {period} at {site} but it can \
                 make at most {} in {label}{more}",
                qty(gap.limit),
                qty(gap.actual)
            ),
            Side::Max => format!(
                "site_volume contract '{name}' allows at most {} units a {period} at {site} \
                 but it must make {} in {label}{more}",
                qty(gap.limit),
                qty(gap.actual)
            ),
        }
    }
}
