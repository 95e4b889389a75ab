//! `exclude_origin`: no product in scope reaches a market in scope with its origin (the
//! country of the site that last made it) in one of the listed countries. Moves between
//! sites and hubs are allowed.
//!
//! It adds no rows: it forbids shipments (see [`PolicyKind::excluded`]). The LP leaves
//! their columns out, or prices them at the penalty when the policy is soft; the
//! verifier checks (or charges) them with the shipments, and an explanation relaxes them
//! as the policy's violation.

use super::kind::{
    AddRows, Checks, Columns, Facts, Flows, Gap, Names, Numbers, OriginRule, OriginTest,
    PolicyKind, Price, ReadKeys, Resolve, Selector, Size, When,
};
use crate::allocation::Allocation;
use crate::diag::Spanned;
use crate::fmt::qty;
use crate::network::Network;

#[derive(Debug, Clone)]
pub struct ExcludeOrigin {
    pub countries: Vec<String>,
    pub products: Vec<bool>,
    pub markets: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct Raw {
    pub countries: Vec<Spanned<String>>,
    pub products: Spanned<Selector>,
    pub markets: Spanned<Selector>,
}

/// No rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Row {}

impl PolicyKind for ExcludeOrigin {
    const NAME: &'static str = "exclude_origin";
    const KEYS: &'static [&'static str] = &["countries", "products", "markets"];
    const DOC: &'static str =
        "Deliveries to markets in scope never come from the listed countries (upstream moves are allowed).";
    const KEY_DOCS: &'static [(&'static str, &'static str)] = &[
        ("countries", "Countries of origin excluded."),
        ("products", "Products in scope."),
        ("markets", "Markets in scope."),
    ];
    const UNIT: &'static str = "units";
    type Raw = Raw;
    type Row = Row;

    fn read(keys: &mut impl ReadKeys) -> Option<Raw> {
        let countries = keys.text_list("countries");
        Some(Raw {
            countries: countries?,
            products: keys.selector("products", true),
            markets: keys.selector("markets", false),
        })
    }

    fn resolve(raw: &Raw, ids: &mut impl Resolve) -> Option<Self> {
        if raw.countries.is_empty() {
            ids.warning("exclude_origin names no country");
        }
        let codes: Vec<String> = raw.countries.iter().map(|c| c.value.clone()).collect();
        Some(ExcludeOrigin {
            countries: codes,
            products: ids.products(&raw.products),
            markets: ids.markets(&raw.markets),
        })
    }

    fn numbers(_raw: &Raw, _out: &mut impl Numbers) {}

    fn max_rows(&self, _size: &Size) -> u64 {
        // Priced on the shipments themselves: no slack columns.
        0
    }

    fn excluded(&self) -> Option<Flows<'_>> {
        Some(Flows {
            countries: &self.countries,
            products: &self.products,
            markets: &self.markets,
        })
    }

    fn origin_rules(&self, _net: &Network) -> Vec<OriginRule> {
        vec![OriginRule {
            products: self.products.clone(),
            test: OriginTest::Listed(self.countries.clone()),
        }]
    }

    fn add_rows(&self, _net: &Network, _cols: &impl Columns, _rows: &mut impl AddRows<Row>) {}

    fn scope(row: &Row, _names: &Names) -> String {
        match *row {}
    }

    /// Nothing beyond the shipments it forbids, which the verifier checks with the
    /// shipments (see [`PolicyKind::excluded`]).
    fn check(&self, _facts: &Facts, _out: &mut impl Checks) {}

    fn price(row: &Row) -> Price {
        match *row {}
    }

    fn gap(&self, row: &Row, _slack: f64, _net: &Network, _alloc: &Allocation) -> Option<Gap> {
        match *row {}
    }

    /// `gap` is the flow from excluded origins into one market, product and arrival period.
    fn sentence(&self, name: &str, gap: &Gap, when: &When, _net: &Network) -> String {
        format!(
            "exclude_origin '{name}' cannot hold for {} / {} {}: other origins can deliver at \
             most {} of the {} units needed, so {} must come from {}",
            gap.market(),
            gap.product(),
            when.text,
            qty(gap.base - gap.actual),
            qty(gap.base),
            qty(gap.actual),
            gap.origins.join(", ")
        )
    }
}
