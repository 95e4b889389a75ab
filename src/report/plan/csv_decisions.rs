//! The CSV tables of decisions over the horizon: `decisions.csv` (the timeline),
//! `expansions.csv`, `site_states.csv`, `runs.csv`, `contracts.csv` and
//! `decision_values.csv`. Written only for a plan with decisions, so a plan without them
//! keeps exactly its files.

use crate::error::Error;
use crate::fmt::csv_number;
use crate::plan::DecisionsPlan;
use crate::report::csv::table;

fn opt_number(x: Option<f64>) -> String {
    x.map(csv_number).unwrap_or_default()
}

/// Every decision table as (file name, contents).
pub(super) fn decision_tables(d: &DecisionsPlan) -> Result<Vec<(String, String)>, Error> {
    let timeline = table(
        &[
            "period",
            "action",
            "site",
            "expansion",
            "fraction",
            "capacity",
            "cost",
        ],
        d.timeline.iter().map(|e| {
            vec![
                e.period.clone(),
                e.action.clone(),
                e.site.clone(),
                e.expansion.clone().unwrap_or_default(),
                opt_number(e.fraction),
                opt_number(e.capacity),
                csv_number(e.cost),
            ]
        }),
    )?;
    let expansions = table(
        &[
            "site",
            "expansion",
            "resource",
            "capacity",
            "cost",
            "from",
            "built_in",
            "fraction",
        ],
        d.expansions.iter().map(|x| {
            vec![
                x.site.clone(),
                x.name.clone(),
                x.resource.clone(),
                csv_number(x.capacity),
                csv_number(x.cost),
                x.from.clone(),
                x.built_in.clone().unwrap_or_default(),
                csv_number(x.fraction),
            ]
        }),
    )?;
    let sites = table(
        &["site", "period", "open", "fixed_cost"],
        d.sites.iter().map(|s| {
            vec![
                s.site.clone(),
                s.period.clone(),
                s.open.to_string(),
                csv_number(s.fixed_cost),
            ]
        }),
    )?;
    let runs = table(
        &["site", "product", "period", "min_run", "runs", "quantity"],
        d.runs.iter().map(|r| {
            vec![
                r.site.clone(),
                r.product.clone(),
                r.period.clone(),
                csv_number(r.min_run),
                r.runs.to_string(),
                csv_number(r.quantity),
            ]
        }),
    )?;
    let contracts = table(
        &[
            "contract",
            "site",
            "window",
            "shipped",
            "min",
            "max",
            "shortfall",
            "shortfall_cost",
            "shortfall_paid",
        ],
        d.contracts.iter().map(|c| {
            vec![
                c.contract.clone(),
                c.site.clone(),
                c.window.clone(),
                csv_number(c.shipped),
                csv_number(c.min),
                opt_number(c.max),
                csv_number(c.shortfall),
                opt_number(c.shortfall_cost),
                csv_number(c.shortfall_paid),
            ]
        }),
    )?;
    let values = table(
        &[
            "decision", "taken", "period", "without", "with", "saves", "sentence",
        ],
        d.values.iter().map(|v| {
            vec![
                v.decision.clone(),
                v.taken.to_string(),
                v.period.clone().unwrap_or_default(),
                opt_number(v.without),
                opt_number(v.with),
                opt_number(v.saves),
                v.sentence.clone(),
            ]
        }),
    )?;
    Ok(vec![
        ("decisions.csv".to_string(), timeline),
        ("expansions.csv".to_string(), expansions),
        ("site_states.csv".to_string(), sites),
        ("runs.csv".to_string(), runs),
        ("contracts.csv".to_string(), contracts),
        ("decision_values.csv".to_string(), values),
    ])
}
