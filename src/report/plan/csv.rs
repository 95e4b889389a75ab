//! The tables of a plan: production, shipments, inventory, utilization, sourcing
//! shares, bloc shares, unmet demand and, when the plan has them, stranded stock, the
//! multi-tier tables ([`super::csv_network`]), the decision tables
//! ([`super::csv_decisions`]), shadow prices and reduced costs. One list
//! ([`plan_tables`]) feeds both the CSV files ([`tables`]) and the sheets of `plan.xlsx`.

use crate::error::Error;
use crate::plan::Plan;
use crate::report::table::{columns, Cell, Kind, Table};

use Kind::{Flag, Money, Share, Text, Units};

/// Every CSV table as (file name, contents).
pub fn tables(plan: &Plan) -> Result<Vec<(String, String)>, Error> {
    plan_tables(plan)
        .iter()
        .map(|t| Ok((t.file_name(), t.csv()?)))
        .collect()
}

/// Every table of a plan with a solution, in the order of its CSV files.
pub fn plan_tables(plan: &Plan) -> Vec<Table> {
    let production = Table::new(
        "production",
        columns(&[
            ("site", Text),
            ("product", Text),
            ("period", Text),
            ("quantity", Units),
        ]),
        plan.production
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.site),
                    Cell::text(&r.product),
                    Cell::text(&r.period),
                    Cell::num(r.quantity),
                ]
            })
            .collect(),
    );
    let inventory = Table::new(
        "inventory",
        columns(&[
            ("site", Text),
            ("product", Text),
            ("period", Text),
            ("quantity", Units),
        ]),
        plan.inventory
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.site),
                    Cell::text(&r.product),
                    Cell::text(&r.period),
                    Cell::num(r.quantity),
                ]
            })
            .collect(),
    );
    let utilization = Table::new(
        "utilization",
        columns(&[
            ("site", Text),
            ("country", Text),
            ("period", Text),
            ("capacity", Units),
            ("overtime_capacity", Units),
            ("load", Units),
            ("overtime", Units),
            ("utilization", Share),
        ]),
        plan.sites
            .iter()
            .flat_map(|s| {
                s.periods.iter().map(move |p| {
                    vec![
                        Cell::text(&s.id),
                        Cell::text(&s.country),
                        Cell::text(&p.period),
                        Cell::num(p.capacity),
                        Cell::num(p.overtime_capacity),
                        Cell::num(p.load),
                        Cell::num(p.overtime),
                        Cell::num(p.utilization),
                    ]
                })
            })
            .collect(),
    );
    let sourcing = Table::new(
        "sourcing_shares",
        columns(&[
            ("market", Text),
            ("product", Text),
            ("period", Text),
            ("country", Text),
            ("quantity", Units),
            ("share", Share),
        ]),
        plan.sourcing
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.market),
                    Cell::text(&r.product),
                    Cell::text(&r.period),
                    Cell::text(&r.country),
                    Cell::num(r.quantity),
                    Cell::num(r.share),
                ]
            })
            .collect(),
    );
    let bloc_shares = Table::new(
        "bloc_shares",
        columns(&[
            ("policy", Text),
            ("bloc", Text),
            ("market", Text),
            ("product", Text),
            ("period", Text),
            ("delivered", Units),
            ("from_bloc", Units),
            ("share", Share),
            ("target", Share),
            ("met", Flag),
        ]),
        plan.bloc_shares
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.policy),
                    Cell::text(&r.bloc),
                    Cell::text(&r.market),
                    Cell::text(&r.product),
                    Cell::text(&r.period),
                    Cell::num(r.delivered),
                    Cell::num(r.from_bloc),
                    Cell::opt(r.share),
                    Cell::num(r.target),
                    Cell::Flag(r.met),
                ]
            })
            .collect(),
    );
    let unmet = Table::new(
        "unmet",
        columns(&[
            ("market", Text),
            ("product", Text),
            ("period", Text),
            ("demand", Units),
            ("unmet", Units),
        ]),
        plan.unmet
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.market),
                    Cell::text(&r.product),
                    Cell::text(&r.period),
                    Cell::num(r.demand),
                    Cell::num(r.unmet),
                ]
            })
            .collect(),
    );
    let mut tables = vec![
        production,
        shipments(plan),
        inventory,
        utilization,
        sourcing,
        bloc_shares,
        unmet,
    ];
    if !plan.stranded.is_empty() {
        tables.push(Table::new(
            "stranded",
            columns(&[
                ("site", Text),
                ("product", Text),
                ("period", Text),
                ("initial", Units),
                ("produced", Units),
                ("shipped", Units),
                ("end_stock", Units),
                ("never_shipped", Units),
            ]),
            plan.stranded
                .iter()
                .map(|r| {
                    vec![
                        Cell::text(&r.site),
                        Cell::text(&r.product),
                        Cell::text(&r.period),
                        Cell::num(r.initial),
                        Cell::num(r.produced),
                        Cell::num(r.shipped),
                        Cell::num(r.end_stock),
                        Cell::num(r.never_shipped),
                    ]
                })
                .collect(),
        ));
    }
    if let Some(net) = &plan.network {
        tables.extend(super::csv_network::network_tables(net));
    }
    if let Some(d) = &plan.decisions {
        tables.extend(super::csv_decisions::decision_tables(d));
    }
    if let Some(sp) = &plan.shadow_prices {
        tables.push(shadow_prices(sp));
        if !sp.reduced_costs.is_empty() {
            tables.push(Table::new(
                "reduced_costs",
                columns(&[("variable", Text), ("reduced_cost", Money)]),
                sp.reduced_costs
                    .iter()
                    .map(|r| vec![Cell::text(&r.variable), Cell::num(r.reduced_cost)])
                    .collect(),
            ));
        }
    }
    tables
}

/// `shipments.csv`; a multi-tier plan adds each row's `mode` and `origin`.
fn shipments(plan: &Plan) -> Table {
    let mut spec = vec![
        ("from", Text),
        ("to", Text),
        ("product", Text),
        ("departure", Text),
        ("arrival", Text),
        ("quantity", Units),
        ("unit_cost", Money),
    ];
    let network = plan.network.is_some();
    if network {
        spec.extend([("mode", Text), ("origin", Text)]);
    }
    Table::new(
        "shipments",
        columns(&spec),
        plan.shipments
            .iter()
            .map(|r| {
                let mut row = vec![
                    Cell::text(&r.from),
                    Cell::text(&r.to),
                    Cell::text(&r.product),
                    Cell::text(&r.departure),
                    Cell::text(&r.arrival),
                    Cell::num(r.quantity),
                    Cell::num(r.unit_cost),
                ];
                if network {
                    row.push(Cell::opt_text(&r.mode));
                    row.push(Cell::opt_text(&r.origin));
                }
                row
            })
            .collect(),
    )
}

/// One price row: kind, policy, site, market, product, period or row, value, per (empty
/// strings are empty cells).
fn price(fields: [&str; 6], value: f64, per: &str) -> Vec<Cell> {
    let mut row: Vec<Cell> = fields.iter().map(|f| text_or_empty(f)).collect();
    row.push(Cell::num(value));
    row.push(Cell::text(per));
    row
}

fn text_or_empty(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::text(s)
    }
}

/// One table of every price: what it is about, and $ per unit.
fn shadow_prices(sp: &crate::plan::ShadowPrices) -> Table {
    let mut rows = Vec::new();
    for c in &sp.capacity {
        rows.push(price(
            ["capacity", "", &c.site, "", "", &c.period],
            c.value,
            "capacity unit",
        ));
    }
    for b in &sp.bloc_share {
        rows.push(price(
            [
                "bloc_share",
                &b.policy,
                "",
                &b.market,
                &b.product,
                &b.period,
            ],
            b.cost_per_point,
            "percentage point",
        ));
    }
    for d in &sp.demand {
        rows.push(price(
            ["demand", "", "", &d.market, &d.product, &d.period],
            d.marginal_cost,
            "unit demanded",
        ));
    }
    for p in &sp.policies {
        rows.push(price(
            [&p.kind, &p.policy, "", "", "", &p.row],
            p.value,
            &p.unit,
        ));
    }
    network_prices(sp, &mut rows);
    Table::new(
        "shadow_prices",
        columns(&[
            ("kind", Text),
            ("policy", Text),
            ("site", Text),
            ("market", Text),
            ("product", Text),
            ("period_or_row", Text),
            ("value", Money),
            ("per", Text),
        ]),
        rows,
    )
}

/// The prices of a multi-tier plan, in the columns of `shadow_prices.csv`: named
/// resources (the resource in `per`), lanes (from in `site`, to in `market`, the mode in
/// `per`), throughput and value content. None in a one-tier plan.
fn network_prices(sp: &crate::plan::ShadowPrices, rows: &mut Vec<Vec<Cell>>) {
    for r in &sp.resources {
        rows.push(price(
            ["resource", "", &r.site, "", "", &r.period],
            r.value,
            &format!("unit of {}", r.resource),
        ));
    }
    for l in &sp.lanes {
        let per = match &l.mode {
            Some(mode) => format!("unit of lane capacity ({mode})"),
            None => "unit of lane capacity".to_string(),
        };
        rows.push(price(
            ["lane", "", &l.from, &l.to, "", &l.period],
            l.value,
            &per,
        ));
    }
    for t in &sp.throughput {
        rows.push(price(
            ["throughput", "", &t.site, "", "", &t.period],
            t.value,
            "unit of throughput",
        ));
    }
    for v in &sp.value_content {
        rows.push(price(
            [
                "value_content",
                &v.policy,
                &v.site,
                "",
                &v.product,
                &v.period,
            ],
            v.cost_per_point,
            "percentage point",
        ));
    }
}
