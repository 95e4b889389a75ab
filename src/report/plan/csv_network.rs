//! The tables of a multi-tier plan: flows, component consumption, resources,
//! throughput, lane use, value content and the sources of component value. Written only
//! when the plan has a network part.

use crate::plan::NetworkPlan;
use crate::report::table::{columns, Cell, Kind, Table};

use Kind::{Flag, Money, Number, Share, Text, Units};

/// Every network table, in the order of their CSV files.
pub fn network_tables(net: &NetworkPlan) -> Vec<Table> {
    let flows = Table::new(
        "flows",
        columns(&[
            ("from", Text),
            ("to", Text),
            ("mode", Text),
            ("product", Text),
            ("origin", Text),
            ("to_market", Flag),
            ("quantity", Units),
        ]),
        net.flows
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.from),
                    Cell::text(&r.to),
                    Cell::opt_text(&r.mode),
                    Cell::text(&r.product),
                    Cell::opt_text(&r.origin),
                    Cell::Flag(r.to_market),
                    Cell::num(r.quantity),
                ]
            })
            .collect(),
    );
    let consumption = Table::new(
        "consumption",
        columns(&[
            ("site", Text),
            ("product", Text),
            ("component", Text),
            ("period", Text),
            ("quantity", Units),
        ]),
        net.consumption
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.site),
                    Cell::text(&r.product),
                    Cell::text(&r.component),
                    Cell::text(&r.period),
                    Cell::num(r.quantity),
                ]
            })
            .collect(),
    );
    let resources = Table::new(
        "resources",
        columns(&[
            ("site", Text),
            ("resource", Text),
            ("period", Text),
            ("capacity", Units),
            ("used", Units),
            ("utilization", Share),
        ]),
        net.resources
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.site),
                    Cell::text(&r.resource),
                    Cell::text(&r.period),
                    Cell::num(r.capacity),
                    Cell::num(r.used),
                    Cell::num(r.utilization),
                ]
            })
            .collect(),
    );
    let throughput = Table::new(
        "throughput",
        columns(&[
            ("site", Text),
            ("period", Text),
            ("capacity", Units),
            ("arrived", Units),
            ("departed", Units),
            ("stock", Units),
        ]),
        net.throughput
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.site),
                    Cell::text(&r.period),
                    Cell::opt(r.capacity),
                    Cell::num(r.arrived),
                    Cell::num(r.departed),
                    Cell::num(r.stock),
                ]
            })
            .collect(),
    );
    let lane_use = Table::new(
        "lane_use",
        columns(&[
            ("from", Text),
            ("to", Text),
            ("mode", Text),
            ("period", Text),
            ("capacity", Units),
            ("used", Units),
            ("utilization", Share),
        ]),
        net.lane_use
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.from),
                    Cell::text(&r.to),
                    Cell::opt_text(&r.mode),
                    Cell::text(&r.period),
                    Cell::num(r.capacity),
                    Cell::num(r.used),
                    Cell::num(super::network_summary::ratio(r.used, r.capacity)),
                ]
            })
            .collect(),
    );
    let value_content = Table::new(
        "value_content",
        columns(&[
            ("policy", Text),
            ("bloc", Text),
            ("site", Text),
            ("product", Text),
            ("period", Text),
            ("produced", Units),
            ("value", Money),
            ("value_added", Money),
            ("regional_components", Money),
            ("other_components", Money),
            ("share", Share),
            ("target", Share),
            ("margin_points", Number),
            ("met", Flag),
        ]),
        net.value_content
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.policy),
                    Cell::text(&r.bloc),
                    Cell::text(&r.site),
                    Cell::text(&r.product),
                    Cell::text(&r.period),
                    Cell::num(r.produced),
                    Cell::num(r.value),
                    Cell::num(r.value_added),
                    Cell::num(r.regional_components),
                    Cell::num(r.other_components),
                    Cell::opt(r.share),
                    Cell::num(r.target),
                    Cell::opt(r.margin_points),
                    Cell::Flag(r.met),
                ]
            })
            .collect(),
    );
    let sources = Table::new(
        "value_content_sources",
        columns(&[
            ("policy", Text),
            ("site", Text),
            ("product", Text),
            ("period", Text),
            ("component", Text),
            ("source", Text),
            ("country", Text),
            ("regional", Flag),
            ("value", Money),
            ("share", Share),
        ]),
        net.value_content
            .iter()
            .flat_map(|r| {
                r.sources.iter().map(move |s| {
                    vec![
                        Cell::text(&r.policy),
                        Cell::text(&r.site),
                        Cell::text(&r.product),
                        Cell::text(&r.period),
                        Cell::text(&s.component),
                        Cell::text(&s.source),
                        Cell::text(&s.country),
                        Cell::Flag(s.regional),
                        Cell::num(s.value),
                        Cell::num(s.share),
                    ]
                })
            })
            .collect(),
    );
    vec![
        flows,
        consumption,
        resources,
        throughput,
        lane_use,
        value_content,
        sources,
    ]
}
