//! `max_country_share`: no country with a site supplies more than `max_share` of each
//! product in scope arriving in each market in scope, per arrival period (or over the
//! horizon).
//!
//! As in `min_bloc_share`, the row Σ_{s∈c} y ≤ β·Σ_s y is written with the demand rows'
//! d − u for the total: Σ_{s∈c} y + β·Σ u ≤ β·Σ d over the periods with arrivals, so a
//! shipment appears only in its own country's row rather than in the row of every
//! country.

use super::kind::{
    arrivals_from, market_product, share, AddRows, Bound, Checks, Columns, Facts, Gap, Names,
    Numbers, OriginRule, OriginTest, PolicyKind, Price, Range, ReadKeys, Resolve, Selector, Side,
    Size, When,
};
use crate::allocation::Allocation;
use crate::diag::Spanned;
use crate::fmt::{pct, qty};
use crate::network::{Network, Per};

#[derive(Debug, Clone)]
pub struct MaxCountryShare {
    pub max_share: f64,
    pub products: Vec<bool>,
    pub markets: Vec<bool>,
    pub per: Per,
}

#[derive(Debug, Clone)]
pub struct Raw {
    pub max_share: f64,
    pub products: Spanned<Selector>,
    pub markets: Spanned<Selector>,
    pub per: Per,
}

/// The share of one country in (market, product) arriving in period `t`, or over the
/// horizon. `country` indexes `Network::site_countries()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Row {
    pub country: usize,
    pub market: usize,
    pub product: usize,
    pub t: Option<usize>,
}

impl PolicyKind for MaxCountryShare {
    const NAME: &'static str = "max_country_share";
    const KEYS: &'static [&'static str] = &["max_share", "products", "markets", "per"];
    const DOC: &'static str =
        "No country supplies more than `max_share` of each product in scope arriving in each market in scope.";
    const KEY_DOCS: &'static [(&'static str, &'static str)] = &[
        ("max_share", "Largest share of any one country, in [0, 1]."),
        ("products", "Products in scope."),
        ("markets", "Markets in scope."),
        (
            "per",
            "`period`: each arrival period on its own; `horizon`: over the whole horizon.",
        ),
    ];
    const UNIT: &'static str = "units";
    const SHARE_ROWS: bool = true;
    type Raw = Raw;
    type Row = Row;

    fn read(keys: &mut impl ReadKeys) -> Option<Raw> {
        let max_share = keys.number("max_share", Range::Share);
        Some(Raw {
            max_share,
            products: keys.selector("products", true),
            markets: keys.selector("markets", false),
            per: keys.per(Per::Period),
        })
    }

    fn resolve(raw: &Raw, ids: &mut impl Resolve) -> Option<Self> {
        Some(MaxCountryShare {
            max_share: raw.max_share,
            products: ids.products(&raw.products),
            markets: ids.markets(&raw.markets),
            per: raw.per,
        })
    }

    fn numbers(raw: &Raw, out: &mut impl Numbers) {
        if raw.max_share < 1.0 {
            out.coefficient(raw.max_share, "max_share");
        }
    }

    fn max_rows(&self, size: &Size) -> u64 {
        size.markets * size.products * size.periods * size.countries
    }

    fn origin_rules(&self, _net: &Network) -> Vec<OriginRule> {
        vec![OriginRule {
            products: self.products.clone(),
            test: OriginTest::Each,
        }]
    }

    fn add_rows(&self, net: &Network, cols: &impl Columns, rows: &mut impl AddRows<Row>) {
        let max_share = self.max_share;
        if max_share >= 1.0 {
            return;
        }
        let countries = &net.origins.countries;
        let groups = self.per.groups(net.n_periods());
        // Per country: its arrival columns in the current (market, product, group).
        let mut own: Vec<Vec<(usize, f64)>> = vec![Vec::new(); countries.len()];
        let mut unmet = Vec::new();
        let mut terms = Vec::new();
        for m in (0..net.markets.len()).filter(|&m| self.markets[m]) {
            for p in (0..net.products.len()).filter(|&p| self.products[p]) {
                for (t, periods) in &groups {
                    own.iter_mut().for_each(Vec::clear);
                    unmet.clear();
                    let mut demand = 0.0;
                    for &arrival in periods {
                        let mut here = false;
                        cols.for_each_arrival(m, p, arrival, |_, origin, c| {
                            here = true;
                            own[origin].push((c, 1.0));
                        });
                        if here {
                            demand += net.demand[[m, p, arrival]];
                            unmet.extend(cols.unmet(m, p, arrival).map(|u| (u, max_share)));
                        }
                    }
                    for (country, columns) in own.iter().enumerate() {
                        // Nothing to constrain when this country cannot deliver here.
                        if columns.is_empty() {
                            continue;
                        }
                        terms.clear();
                        terms.extend_from_slice(columns);
                        terms.extend_from_slice(&unmet);
                        let row = Row {
                            country,
                            market: m,
                            product: p,
                            t: *t,
                        };
                        rows.add(
                            row,
                            terms.iter().copied(),
                            Bound::AtMost(max_share * demand),
                        );
                    }
                }
            }
        }
    }

    fn scope(row: &Row, names: &Names) -> String {
        format!(
            "{},{},{},{}",
            names.countries[row.country],
            names.market(row.market),
            names.product(row.product),
            names.period_or_horizon(row.t)
        )
    }

    fn check(&self, facts: &Facts, out: &mut impl Checks) {
        let net = facts.net;
        for m in (0..net.markets.len()).filter(|&m| self.markets[m]) {
            for p in (0..net.products.len()).filter(|&p| self.products[p]) {
                for (_, periods) in self.per.groups(net.n_periods()) {
                    let mut by_country = vec![0.0; facts.countries.len()];
                    let mut total = 0.0;
                    for &t in &periods {
                        for (_, origin, y) in facts.alloc.arrivals_at(net, &facts.lanes, m, p, t) {
                            total += y;
                            by_country[origin] += y;
                        }
                    }
                    for (i, own) in by_country.iter().enumerate() {
                        if self.max_share >= 1.0 || *own <= 0.0 {
                            continue;
                        }
                        let excess = own - self.max_share * total;
                        out.row(excess, total, || {
                            format!(
                                "{} share of {} / {}",
                                facts.countries[i], net.markets[m].id, net.products[p].id
                            )
                        });
                    }
                }
            }
        }
    }

    fn price(_row: &Row) -> Price {
        Price::Per("unit of share shortfall")
    }

    fn gap(&self, row: &Row, slack: f64, net: &Network, alloc: &Allocation) -> Option<Gap> {
        let countries = net.site_countries();
        let name = countries.get(row.country)?.clone();
        let own = |c: usize| net.origins.countries[c] == name;
        let (from_country, total) =
            arrivals_from(net, alloc, (row.market, row.product), row.t, own);
        let mut place = market_product(net, row.market, row.product);
        place.country = Some(name);
        Some(Gap::new(Side::Max, place, row.t, slack).measured(
            from_country,
            self.max_share * total,
            total,
        ))
    }

    fn sentence(&self, name: &str, gap: &Gap, when: &When, _net: &Network) -> String {
        let country = gap.place.country.as_deref().unwrap_or("");
        format!(
            "max_country_share '{name}' cannot hold for {} / {} {}: other countries can \
             deliver at most {} of {} units, so {country} supplies {} ({} against at most {})",
            gap.market(),
            gap.product(),
            when.text,
            qty(gap.base - gap.actual),
            qty(gap.base),
            qty(gap.actual),
            pct(share(gap.actual, gap.base)),
            pct(self.max_share)
        )
    }
}
