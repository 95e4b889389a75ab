//! The CSV tables of a multi-tier plan: flows, component consumption, resources,
//! throughput, lane use, value content and the sources of component value. Written only
//! when the plan has a network part; every cell goes through the one CSV writer.

use crate::error::Error;
use crate::fmt::csv_number;
use crate::plan::NetworkPlan;
use crate::report::csv::table;

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn number(value: Option<f64>) -> String {
    value.map(csv_number).unwrap_or_default()
}

/// Every network table as (file name, contents).
pub fn network_tables(net: &NetworkPlan) -> Result<Vec<(String, String)>, Error> {
    let flows = table(
        &[
            "from",
            "to",
            "mode",
            "product",
            "origin",
            "to_market",
            "quantity",
        ],
        net.flows.iter().map(|r| {
            vec![
                r.from.clone(),
                r.to.clone(),
                text(&r.mode),
                r.product.clone(),
                text(&r.origin),
                r.to_market.to_string(),
                csv_number(r.quantity),
            ]
        }),
    )?;
    let consumption = table(
        &["site", "product", "component", "period", "quantity"],
        net.consumption.iter().map(|r| {
            vec![
                r.site.clone(),
                r.product.clone(),
                r.component.clone(),
                r.period.clone(),
                csv_number(r.quantity),
            ]
        }),
    )?;
    let resources = table(
        &[
            "site",
            "resource",
            "period",
            "capacity",
            "used",
            "utilization",
        ],
        net.resources.iter().map(|r| {
            vec![
                r.site.clone(),
                r.resource.clone(),
                r.period.clone(),
                csv_number(r.capacity),
                csv_number(r.used),
                csv_number(r.utilization),
            ]
        }),
    )?;
    let throughput = table(
        &["site", "period", "capacity", "arrived", "departed", "stock"],
        net.throughput.iter().map(|r| {
            vec![
                r.site.clone(),
                r.period.clone(),
                number(r.capacity),
                csv_number(r.arrived),
                csv_number(r.departed),
                csv_number(r.stock),
            ]
        }),
    )?;
    let lane_use = table(
        &[
            "from",
            "to",
            "mode",
            "period",
            "capacity",
            "used",
            "utilization",
        ],
        net.lane_use.iter().map(|r| {
            vec![
                r.from.clone(),
                r.to.clone(),
                text(&r.mode),
                r.period.clone(),
                csv_number(r.capacity),
                csv_number(r.used),
                csv_number(super::network_summary::ratio(r.used, r.capacity)),
            ]
        }),
    )?;
    let value_content = table(
        &[
            "policy",
            "bloc",
            "site",
            "product",
            "period",
            "produced",
            "value",
            "value_added",
            "regional_components",
            "other_components",
            "share",
            "target",
            "margin_points",
            "met",
        ],
        net.value_content.iter().map(|r| {
            vec![
                r.policy.clone(),
                r.bloc.clone(),
                r.site.clone(),
                r.product.clone(),
                r.period.clone(),
                csv_number(r.produced),
                csv_number(r.value),
                csv_number(r.value_added),
                csv_number(r.regional_components),
                csv_number(r.other_components),
                number(r.share),
                csv_number(r.target),
                number(r.margin_points),
                r.met.to_string(),
            ]
        }),
    )?;
    let sources = table(
        &[
            "policy",
            "site",
            "product",
            "period",
            "component",
            "source",
            "country",
            "regional",
            "value",
            "share",
        ],
        net.value_content.iter().flat_map(|r| {
            r.sources.iter().map(move |s| {
                vec![
                    r.policy.clone(),
                    r.site.clone(),
                    r.product.clone(),
                    r.period.clone(),
                    s.component.clone(),
                    s.source.clone(),
                    s.country.clone(),
                    s.regional.to_string(),
                    csv_number(s.value),
                    csv_number(s.share),
                ]
            })
        }),
    )?;
    Ok(vec![
        ("flows.csv".to_string(), flows),
        ("consumption.csv".to_string(), consumption),
        ("resources.csv".to_string(), resources),
        ("throughput.csv".to_string(), throughput),
        ("lane_use.csv".to_string(), lane_use),
        ("value_content.csv".to_string(), value_content),
        ("value_content_sources.csv".to_string(), sources),
    ])
}
