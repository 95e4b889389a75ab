//! The tables of decisions over the horizon: `decisions.csv` (the timeline),
//! `expansions.csv`, `site_states.csv`, `runs.csv`, `contracts.csv` and
//! `decision_values.csv`. Written only for a plan with decisions, so a plan without them
//! keeps exactly its files.

use crate::plan::DecisionsPlan;
use crate::report::table::{columns, Cell, Kind, Table};

use Kind::{Flag, Money, Share, Text, Units};

/// Every decision table, in the order of their CSV files.
pub(super) fn decision_tables(d: &DecisionsPlan) -> Vec<Table> {
    let timeline = Table::new(
        "decisions",
        columns(&[
            ("period", Text),
            ("action", Text),
            ("site", Text),
            ("expansion", Text),
            ("fraction", Share),
            ("capacity", Units),
            ("cost", Money),
        ]),
        d.timeline
            .iter()
            .map(|e| {
                vec![
                    Cell::text(&e.period),
                    Cell::text(&e.action),
                    Cell::text(&e.site),
                    Cell::opt_text(&e.expansion),
                    Cell::opt(e.fraction),
                    Cell::opt(e.capacity),
                    Cell::num(e.cost),
                ]
            })
            .collect(),
    );
    let expansions = Table::new(
        "expansions",
        columns(&[
            ("site", Text),
            ("expansion", Text),
            ("resource", Text),
            ("capacity", Units),
            ("cost", Money),
            ("from", Text),
            ("built_in", Text),
            ("fraction", Share),
        ]),
        d.expansions
            .iter()
            .map(|x| {
                vec![
                    Cell::text(&x.site),
                    Cell::text(&x.name),
                    Cell::text(&x.resource),
                    Cell::num(x.capacity),
                    Cell::num(x.cost),
                    Cell::text(&x.from),
                    Cell::opt_text(&x.built_in),
                    Cell::num(x.fraction),
                ]
            })
            .collect(),
    );
    let sites = Table::new(
        "site_states",
        columns(&[
            ("site", Text),
            ("period", Text),
            ("open", Flag),
            ("fixed_cost", Money),
        ]),
        d.sites
            .iter()
            .map(|s| {
                vec![
                    Cell::text(&s.site),
                    Cell::text(&s.period),
                    Cell::Flag(s.open),
                    Cell::num(s.fixed_cost),
                ]
            })
            .collect(),
    );
    let runs = Table::new(
        "runs",
        columns(&[
            ("site", Text),
            ("product", Text),
            ("period", Text),
            ("min_run", Units),
            ("runs", Flag),
            ("quantity", Units),
        ]),
        d.runs
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.site),
                    Cell::text(&r.product),
                    Cell::text(&r.period),
                    Cell::num(r.min_run),
                    Cell::Flag(r.runs),
                    Cell::num(r.quantity),
                ]
            })
            .collect(),
    );
    let contracts = Table::new(
        "contracts",
        columns(&[
            ("contract", Text),
            ("site", Text),
            ("window", Text),
            ("shipped", Units),
            ("min", Units),
            ("max", Units),
            ("shortfall", Units),
            ("shortfall_cost", Money),
            ("shortfall_paid", Money),
        ]),
        d.contracts
            .iter()
            .map(|c| {
                vec![
                    Cell::text(&c.contract),
                    Cell::text(&c.site),
                    Cell::text(&c.window),
                    Cell::num(c.shipped),
                    Cell::num(c.min),
                    Cell::opt(c.max),
                    Cell::num(c.shortfall),
                    Cell::opt(c.shortfall_cost),
                    Cell::num(c.shortfall_paid),
                ]
            })
            .collect(),
    );
    let values = Table::new(
        "decision_values",
        columns(&[
            ("decision", Text),
            ("taken", Flag),
            ("period", Text),
            ("without", Money),
            ("with", Money),
            ("saves", Money),
            ("sentence", Text),
        ]),
        d.values
            .iter()
            .map(|v| {
                vec![
                    Cell::text(&v.decision),
                    Cell::Flag(v.taken),
                    Cell::opt_text(&v.period),
                    Cell::opt(v.without),
                    Cell::opt(v.with),
                    Cell::opt(v.saves),
                    Cell::text(&v.sentence),
                ]
            })
            .collect(),
    );
    vec![timeline, expansions, sites, runs, contracts, values]
}
