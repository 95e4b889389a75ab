//! The CSV tables of a plan: production, shipments, inventory, utilization, sourcing
//! shares, bloc shares, unmet demand and, when the plan has them, stranded stock, the
//! multi-tier tables ([`super::csv_network`]), the decision tables
//! ([`super::csv_decisions`]), shadow prices and reduced costs.

use crate::error::Error;
use crate::fmt::csv_number;
use crate::plan::Plan;
use crate::report::csv::table;

/// Every table as (file name, contents).
pub fn tables(plan: &Plan) -> Result<Vec<(String, String)>, Error> {
    let production = table(
        &["site", "product", "period", "quantity"],
        plan.production.iter().map(|r| {
            vec![
                r.site.clone(),
                r.product.clone(),
                r.period.clone(),
                csv_number(r.quantity),
            ]
        }),
    )?;
    let shipments = shipments(plan)?;
    let inventory = table(
        &["site", "product", "period", "quantity"],
        plan.inventory.iter().map(|r| {
            vec![
                r.site.clone(),
                r.product.clone(),
                r.period.clone(),
                csv_number(r.quantity),
            ]
        }),
    )?;
    let utilization = table(
        &[
            "site",
            "country",
            "period",
            "capacity",
            "overtime_capacity",
            "load",
            "overtime",
            "utilization",
        ],
        plan.sites.iter().flat_map(|s| {
            s.periods.iter().map(move |p| {
                vec![
                    s.id.clone(),
                    s.country.clone(),
                    p.period.clone(),
                    csv_number(p.capacity),
                    csv_number(p.overtime_capacity),
                    csv_number(p.load),
                    csv_number(p.overtime),
                    csv_number(p.utilization),
                ]
            })
        }),
    )?;
    let sourcing = table(
        &[
            "market", "product", "period", "country", "quantity", "share",
        ],
        plan.sourcing.iter().map(|r| {
            vec![
                r.market.clone(),
                r.product.clone(),
                r.period.clone(),
                r.country.clone(),
                csv_number(r.quantity),
                csv_number(r.share),
            ]
        }),
    )?;
    let bloc_shares = table(
        &[
            "policy",
            "bloc",
            "market",
            "product",
            "period",
            "delivered",
            "from_bloc",
            "share",
            "target",
            "met",
        ],
        plan.bloc_shares.iter().map(|r| {
            vec![
                r.policy.clone(),
                r.bloc.clone(),
                r.market.clone(),
                r.product.clone(),
                r.period.clone(),
                csv_number(r.delivered),
                csv_number(r.from_bloc),
                r.share.map(csv_number).unwrap_or_default(),
                csv_number(r.target),
                r.met.to_string(),
            ]
        }),
    )?;
    let unmet = table(
        &["market", "product", "period", "demand", "unmet"],
        plan.unmet.iter().map(|r| {
            vec![
                r.market.clone(),
                r.product.clone(),
                r.period.clone(),
                csv_number(r.demand),
                csv_number(r.unmet),
            ]
        }),
    )?;
    let mut tables = vec![
        ("production.csv".to_string(), production),
        ("shipments.csv".to_string(), shipments),
        ("inventory.csv".to_string(), inventory),
        ("utilization.csv".to_string(), utilization),
        ("sourcing_shares.csv".to_string(), sourcing),
        ("bloc_shares.csv".to_string(), bloc_shares),
        ("unmet.csv".to_string(), unmet),
    ];
    if !plan.stranded.is_empty() {
        let stranded = table(
            &[
                "site",
                "product",
                "period",
                "initial",
                "produced",
                "shipped",
                "end_stock",
                "never_shipped",
            ],
            plan.stranded.iter().map(|r| {
                vec![
                    r.site.clone(),
                    r.product.clone(),
                    r.period.clone(),
                    csv_number(r.initial),
                    csv_number(r.produced),
                    csv_number(r.shipped),
                    csv_number(r.end_stock),
                    csv_number(r.never_shipped),
                ]
            }),
        )?;
        tables.push(("stranded.csv".to_string(), stranded));
    }
    if let Some(net) = &plan.network {
        tables.extend(super::csv_network::network_tables(net)?);
    }
    if let Some(d) = &plan.decisions {
        tables.extend(super::csv_decisions::decision_tables(d)?);
    }
    if let Some(sp) = &plan.shadow_prices {
        tables.push(("shadow_prices.csv".to_string(), shadow_prices(sp)?));
        if !sp.reduced_costs.is_empty() {
            let reduced = table(
                &["variable", "reduced_cost"],
                sp.reduced_costs
                    .iter()
                    .map(|r| vec![r.variable.clone(), csv_number(r.reduced_cost)]),
            )?;
            tables.push(("reduced_costs.csv".to_string(), reduced));
        }
    }
    Ok(tables)
}

/// `shipments.csv`; a multi-tier plan adds each row's `mode` and `origin`.
fn shipments(plan: &Plan) -> Result<String, Error> {
    let mut header = vec![
        "from",
        "to",
        "product",
        "departure",
        "arrival",
        "quantity",
        "unit_cost",
    ];
    let network = plan.network.is_some();
    if network {
        header.extend(["mode", "origin"]);
    }
    table(
        &header,
        plan.shipments.iter().map(|r| {
            let mut row = vec![
                r.from.clone(),
                r.to.clone(),
                r.product.clone(),
                r.departure.clone(),
                r.arrival.clone(),
                csv_number(r.quantity),
                csv_number(r.unit_cost),
            ];
            if network {
                row.push(r.mode.clone().unwrap_or_default());
                row.push(r.origin.clone().unwrap_or_default());
            }
            row
        }),
    )
}

/// One table of every price: what it is about, and $ per unit.
fn shadow_prices(sp: &crate::plan::ShadowPrices) -> Result<String, Error> {
    let capacity = sp.capacity.iter().map(|c| {
        let unit = "capacity unit".to_string();
        vec![
            "capacity".into(),
            String::new(),
            c.site.clone(),
            String::new(),
            String::new(),
            c.period.clone(),
            csv_number(c.value),
            unit,
        ]
    });
    let bloc = sp.bloc_share.iter().map(|b| {
        let unit = "percentage point".to_string();
        vec![
            "bloc_share".into(),
            b.policy.clone(),
            String::new(),
            b.market.clone(),
            b.product.clone(),
            b.period.clone(),
            csv_number(b.cost_per_point),
            unit,
        ]
    });
    let demand = sp.demand.iter().map(|d| {
        let unit = "unit demanded".to_string();
        vec![
            "demand".into(),
            String::new(),
            String::new(),
            d.market.clone(),
            d.product.clone(),
            d.period.clone(),
            csv_number(d.marginal_cost),
            unit,
        ]
    });
    let policies = sp.policies.iter().map(|p| {
        vec![
            p.kind.clone(),
            p.policy.clone(),
            String::new(),
            String::new(),
            String::new(),
            p.row.clone(),
            csv_number(p.value),
            p.unit.clone(),
        ]
    });
    table(
        &[
            "kind",
            "policy",
            "site",
            "market",
            "product",
            "period_or_row",
            "value",
            "per",
        ],
        capacity
            .chain(bloc)
            .chain(demand)
            .chain(policies)
            .chain(network_prices(sp)),
    )
}

/// The prices of a multi-tier plan, in the columns of `shadow_prices.csv`: named
/// resources (the resource in `per`), lanes (from in `site`, to in `market`, the mode in
/// `per`), throughput and value content. None in a one-tier plan.
fn network_prices(sp: &crate::plan::ShadowPrices) -> impl Iterator<Item = Vec<String>> + '_ {
    let resources = sp.resources.iter().map(|r| {
        vec![
            "resource".into(),
            String::new(),
            r.site.clone(),
            String::new(),
            String::new(),
            r.period.clone(),
            csv_number(r.value),
            format!("unit of {}", r.resource),
        ]
    });
    let lanes = sp.lanes.iter().map(|l| {
        let per = match &l.mode {
            Some(mode) => format!("unit of lane capacity ({mode})"),
            None => "unit of lane capacity".to_string(),
        };
        vec![
            "lane".into(),
            String::new(),
            l.from.clone(),
            l.to.clone(),
            String::new(),
            l.period.clone(),
            csv_number(l.value),
            per,
        ]
    });
    let throughput = sp.throughput.iter().map(|t| {
        vec![
            "throughput".into(),
            String::new(),
            t.site.clone(),
            String::new(),
            String::new(),
            t.period.clone(),
            csv_number(t.value),
            "unit of throughput".into(),
        ]
    });
    let value_content = sp.value_content.iter().map(|v| {
        vec![
            "value_content".into(),
            v.policy.clone(),
            v.site.clone(),
            String::new(),
            v.product.clone(),
            v.period.clone(),
            csv_number(v.cost_per_point),
            "percentage point".into(),
        ]
    });
    resources
        .chain(lanes)
        .chain(throughput)
        .chain(value_content)
}
