//! `min_bloc_share`: at least `min_share` of each product in scope arriving in each
//! market in scope comes from sites in the bloc, per arrival period (or over the horizon).
//!
//! The row Σ_{s∈bloc} y ≥ α·Σ_s y over arrivals is written with the demand rows'
//! Σ_s y = d − u substituted for the total, as Σ_{s∈bloc} y + α·Σ u ≥ α·Σ d, summed over
//! the periods with arrivals. On the feasible set it is the same row (a multiple of
//! equality rows added), but each shipment appears only when it comes from the bloc,
//! instead of in every share row of its market and product: far fewer non-zeros, and no
//! dense rows for the interior-point solvers.

use super::kind::{
    arrivals_from, market_product, share, AddRows, Bound, Checks, Columns, Facts, Gap, Names,
    Numbers, OriginRule, OriginTest, PolicyKind, Price, Range, ReadKeys, Resolve, Selector, Side,
    Size, When,
};
use crate::allocation::Allocation;
use crate::diag::Spanned;
use crate::fmt::{pct, qty};
use crate::network::{Network, Per};
use crate::plan::BlocShareRow;

#[derive(Debug, Clone)]
pub struct MinBlocShare {
    pub bloc: usize,
    pub min_share: f64,
    pub products: Vec<bool>,
    pub markets: Vec<bool>,
    pub per: Per,
}

#[derive(Debug, Clone)]
pub struct Raw {
    pub bloc: Spanned<String>,
    pub min_share: f64,
    pub products: Spanned<Selector>,
    pub markets: Spanned<Selector>,
    pub per: Per,
}

/// The share of (market, product) arriving in period `t`, or over the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Row {
    pub market: usize,
    pub product: usize,
    pub t: Option<usize>,
}

impl PolicyKind for MinBlocShare {
    const NAME: &'static str = "min_bloc_share";
    const KEYS: &'static [&'static str] = &["bloc", "min_share", "products", "markets", "per"];
    const DOC: &'static str =
        "At least `min_share` of each product in scope arriving in each market in scope comes from sites in the bloc.";
    const KEY_DOCS: &'static [(&'static str, &'static str)] = &[
        (
            "bloc",
            "The bloc (a name under `blocs`) whose countries count.",
        ),
        (
            "min_share",
            "Least share from the bloc, in [0, 1] (0.8 = 80%).",
        ),
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
        let bloc = keys.text("bloc");
        let min_share = keys.number("min_share", Range::Share);
        Some(Raw {
            bloc: bloc?,
            min_share,
            products: keys.selector("products", true),
            markets: keys.selector("markets", false),
            per: keys.per(Per::Period),
        })
    }

    fn resolve(raw: &Raw, ids: &mut impl Resolve) -> Option<Self> {
        let bloc = ids.bloc(&raw.bloc);
        let products = ids.products(&raw.products);
        let markets = ids.markets(&raw.markets);
        bloc.map(|bloc| MinBlocShare {
            bloc,
            min_share: raw.min_share,
            products,
            markets,
            per: raw.per,
        })
    }

    fn numbers(raw: &Raw, out: &mut impl Numbers) {
        out.coefficient(raw.min_share, "min_share");
    }

    fn max_rows(&self, size: &Size) -> u64 {
        size.markets * size.products * size.periods
    }

    fn origin_rules(&self, _net: &Network) -> Vec<OriginRule> {
        vec![OriginRule {
            products: self.products.clone(),
            test: OriginTest::Bloc(self.bloc),
        }]
    }

    fn add_rows(&self, net: &Network, cols: &impl Columns, rows: &mut impl AddRows<Row>) {
        if self.min_share <= 0.0 {
            return;
        }
        let in_bloc = net.countries_in_bloc(self.bloc);
        let groups = self.per.groups(net.n_periods());
        let mut terms = Vec::new();
        for m in (0..net.markets.len()).filter(|&m| self.markets[m]) {
            for p in (0..net.products.len()).filter(|&p| self.products[p]) {
                for (t, periods) in &groups {
                    terms.clear();
                    let mut any = false;
                    let mut demand = 0.0;
                    for &arrival in periods {
                        let mut here = false;
                        cols.for_each_arrival(m, p, arrival, |_, origin, c| {
                            here = true;
                            if in_bloc[origin] {
                                terms.push((c, 1.0));
                            }
                        });
                        if here {
                            any = true;
                            demand += net.demand[[m, p, arrival]];
                            terms.extend(cols.unmet(m, p, arrival).map(|u| (u, self.min_share)));
                        }
                    }
                    if !any {
                        continue;
                    }
                    let row = Row {
                        market: m,
                        product: p,
                        t: *t,
                    };
                    rows.add(
                        row,
                        terms.iter().copied(),
                        Bound::AtLeast(self.min_share * demand),
                    );
                }
            }
        }
    }

    fn scope(row: &Row, names: &Names) -> String {
        format!(
            "{},{},{}",
            names.market(row.market),
            names.product(row.product),
            names.period_or_horizon(row.t)
        )
    }

    fn check(&self, facts: &Facts, out: &mut impl Checks) {
        let net = facts.net;
        let in_bloc = net.countries_in_bloc(self.bloc);
        for m in (0..net.markets.len()).filter(|&m| self.markets[m]) {
            for p in (0..net.products.len()).filter(|&p| self.products[p]) {
                for (_, periods) in self.per.groups(net.n_periods()) {
                    let (mut total, mut inside) = (0.0, 0.0);
                    for &t in &periods {
                        for (_, origin, y) in facts.alloc.arrivals_at(net, &facts.lanes, m, p, t) {
                            total += y;
                            if in_bloc[origin] {
                                inside += y;
                            }
                        }
                    }
                    let excess = self.min_share * total - inside;
                    out.row(excess, total, || {
                        format!(
                            "{} share of {} / {}",
                            net.blocs[self.bloc].name, net.markets[m].id, net.products[p].id
                        )
                    });
                }
            }
        }
    }

    fn price(row: &Row) -> Price {
        Price::PerPoint {
            market: row.market,
            product: row.product,
            t: row.t,
        }
    }

    fn gap(&self, row: &Row, slack: f64, net: &Network, alloc: &Allocation) -> Option<Gap> {
        let in_bloc = |c: usize| net.bloc_contains(self.bloc, &net.origins.countries[c]);
        let (inside, total) = arrivals_from(net, alloc, (row.market, row.product), row.t, in_bloc);
        let place = market_product(net, row.market, row.product);
        Some(Gap::new(Side::Min, place, row.t, slack).measured(
            inside,
            self.min_share * total,
            total,
        ))
    }

    fn sentence(&self, name: &str, gap: &Gap, when: &When, net: &Network) -> String {
        format!(
            "min_bloc_share '{name}' cannot hold for {} / {} {}: {} sites can deliver at most \
             {} of {} units ({} against {})",
            gap.market(),
            gap.product(),
            when.text,
            bloc_words(&net.blocs[self.bloc].name),
            qty(gap.actual),
            qty(gap.base),
            pct(share(gap.actual, gap.base)),
            pct(self.min_share)
        )
    }

    fn bloc_shares(&self, name: &str, facts: &Facts) -> Vec<BlocShareRow> {
        let net = facts.net;
        let in_bloc = net.countries_in_bloc(self.bloc);
        let groups: Vec<(String, Vec<usize>)> = self
            .per
            .groups(net.n_periods())
            .into_iter()
            .map(|(t, periods)| {
                let label = t.map_or_else(|| "horizon".to_string(), |t| net.periods[t].clone());
                (label, periods)
            })
            .collect();
        let mut rows = Vec::new();
        for m in (0..net.markets.len()).filter(|&m| self.markets[m]) {
            for p in (0..net.products.len()).filter(|&p| self.products[p]) {
                for (label, periods) in &groups {
                    let (mut delivered, mut from_bloc) = (0.0, 0.0);
                    for &t in periods {
                        for (_, origin, y) in facts.alloc.arrivals_at(net, &facts.lanes, m, p, t) {
                            delivered += y;
                            if in_bloc[origin] {
                                from_bloc += y;
                            }
                        }
                    }
                    let demand: f64 = periods.iter().map(|&t| net.demand[[m, p, t]]).sum();
                    if demand <= 0.0 {
                        continue;
                    }
                    let share = (delivered > 0.0).then(|| from_bloc / delivered);
                    rows.push(BlocShareRow {
                        policy: name.to_string(),
                        bloc: net.blocs[self.bloc].name.clone(),
                        market: net.markets[m].id.clone(),
                        product: net.products[p].id.clone(),
                        period: label.clone(),
                        delivered,
                        from_bloc,
                        share,
                        target: self.min_share,
                        met: share.is_none_or(|s| s + 1e-9 >= self.min_share),
                    });
                }
            }
        }
        rows
    }
}

/// `USMCA` for short bloc names, `'allies'` otherwise.
fn bloc_words(bloc: &str) -> String {
    if bloc.len() <= 5 && bloc.chars().all(|c| c.is_ascii_alphabetic()) {
        bloc.to_ascii_uppercase()
    } else {
        format!("'{bloc}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_bloc_names_are_acronyms() {
        assert_eq!(bloc_words("usmca"), "USMCA");
        assert_eq!(bloc_words("allies"), "'allies'");
    }
}
