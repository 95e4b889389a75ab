//! The documents of a multi-tier plan: the network diagram, value content, resources,
//! throughput, lane use and consumption in `report.html`, `report.md`, the findings and
//! the CSV tables, on a small plan made by hand (two overseas suppliers, a Mexican
//! module plant, a hub, a US pack plant and two markets), with hostile ids.

use allyplan::plan::{
    ComponentSource, ConsumptionRow, CostBreakdown, FlowRow, Kpis, LanePrice, LaneUseRow, Metadata,
    NetworkPlan, NodeKind, NodeRow, Plan, PlanStatus, ProductionRow, ResourcePrice, ResourceRow,
    ShadowPrices, ShipmentRow, SitePeriod, SitePlan, ThroughputPrice, ThroughputRow, UnmetRow,
    ValueContentPrice, ValueContentRow,
};
use allyplan::report::plan::{csv, findings, html, markdown};

const PERIODS: [&str; 2] = ["2027-05", "2027-06"];
const NINGBO: &str = "ningbo-cells";
/// `<`, `&`, `>`, backticks and a pipe.
const BUSAN: &str = "busan <&> `boards`|";
/// A line break.
const SALTILLO: &str = "saltillo\nmodules";
const HUB: &str = "laredo-dc";
const FREMONT: &str = "fremont-pack";
const WEST: &str = "us-west";
const EAST: &str = "ca <east>";

fn s(text: &str) -> String {
    text.to_string()
}

fn node(id: &str, kind: NodeKind, country: &str, tier: usize) -> NodeRow {
    let usmca = ["US", "MX", "CA"].contains(&country);
    NodeRow {
        id: s(id),
        kind,
        country: s(country),
        blocs: if usmca { vec![s("usmca")] } else { Vec::new() },
        tier,
    }
}

fn flow(from: &str, to: &str, product: &str, quantity: f64) -> FlowRow {
    FlowRow {
        from: s(from),
        to: s(to),
        mode: (from == NINGBO && to == SALTILLO).then(|| s("ocean")),
        product: s(product),
        origin: None,
        to_market: to == WEST || to == EAST,
        quantity,
    }
}

fn site(id: &str, country: &str, load: f64) -> SitePlan {
    SitePlan {
        id: s(id),
        country: s(country),
        periods: PERIODS
            .iter()
            .map(|p| SitePeriod {
                period: s(p),
                capacity: 10_000.0,
                overtime_capacity: 0.0,
                load,
                overtime: 0.0,
                utilization: load / 10_000.0,
            })
            .collect(),
    }
}

fn source(component: &str, from: &str, country: &str, share: f64) -> ComponentSource {
    ComponentSource {
        component: s(component),
        source: s(from),
        country: s(country),
        regional: ["US", "MX", "CA"].contains(&country),
        value: 100_000.0 * share,
        share,
    }
}

fn rvc(
    site: &str,
    product: &str,
    period: &str,
    share: f64,
    sources: Vec<ComponentSource>,
) -> ValueContentRow {
    ValueContentRow {
        policy: s("usmca-rvc"),
        bloc: s("usmca"),
        site: s(site),
        product: s(product),
        period: s(period),
        produced: 100.0,
        value: 200_000.0,
        value_added: 50_000.0,
        regional_components: 200_000.0 * share - 50_000.0,
        other_components: 200_000.0 * (1.0 - share),
        share: Some(share),
        target: 0.75,
        margin_points: Some(100.0 * (share - 0.75)),
        met: share >= 0.75,
        sources,
        tariff_paid: None,
    }
}

fn network() -> NetworkPlan {
    NetworkPlan {
        nodes: vec![
            node(NINGBO, NodeKind::Site, "CN", 0),
            node(BUSAN, NodeKind::Site, "KR", 0),
            node(SALTILLO, NodeKind::Site, "MX", 1),
            node(HUB, NodeKind::Hub, "US", 2),
            node(FREMONT, NodeKind::Site, "US", 3),
            node(WEST, NodeKind::Market, "US", 4),
            node(EAST, NodeKind::Market, "CA", 4),
        ],
        flows: vec![
            flow(NINGBO, SALTILLO, "cell-module", 8000.0),
            flow(SALTILLO, HUB, "battery-module", 5000.0),
            flow(HUB, FREMONT, "battery-module", 4800.0),
            flow(FREMONT, WEST, "battery-pack", 3000.0),
            flow(BUSAN, SALTILLO, "bms-board", 2000.0),
            flow(FREMONT, EAST, "battery-pack", 1200.0),
            flow(NINGBO, FREMONT, "cell-module", 600.0),
        ],
        consumption: PERIODS
            .iter()
            .flat_map(|p| {
                [
                    (SALTILLO, "battery-module", "cell-module", 4000.0),
                    (SALTILLO, "battery-module", "bms-board", 1000.0),
                    (FREMONT, "battery-pack", "battery-module", 2100.0),
                ]
                .map(|(site, product, component, quantity)| ConsumptionRow {
                    site: s(site),
                    product: s(product),
                    component: s(component),
                    period: s(p),
                    quantity,
                })
            })
            .collect(),
        resources: vec![
            ResourceRow {
                site: s(SALTILLO),
                resource: s("assembly-line"),
                period: s(PERIODS[0]),
                capacity: 3000.0,
                used: 2900.0,
                utilization: 2900.0 / 3000.0,
            },
            ResourceRow {
                site: s(SALTILLO),
                resource: s("assembly-line"),
                period: s(PERIODS[1]),
                capacity: 3000.0,
                used: 3000.0,
                utilization: 1.0,
            },
            ResourceRow {
                site: s(FREMONT),
                resource: s("default"),
                period: s(PERIODS[0]),
                capacity: 10_000.0,
                used: 2100.0,
                utilization: 0.21,
            },
        ],
        throughput: PERIODS
            .iter()
            .map(|p| ThroughputRow {
                site: s(HUB),
                period: s(p),
                capacity: Some(2500.0),
                arrived: 2500.0,
                departed: 2400.0,
                stock: 100.0,
            })
            .collect(),
        lane_use: PERIODS
            .iter()
            .flat_map(|p| {
                [
                    LaneUseRow {
                        from: s(NINGBO),
                        to: s(SALTILLO),
                        mode: Some(s("ocean")),
                        period: s(p),
                        capacity: 4000.0,
                        used: 4000.0,
                    },
                    LaneUseRow {
                        from: s(BUSAN),
                        to: s(SALTILLO),
                        mode: None,
                        period: s(p),
                        capacity: 2000.0,
                        used: 1000.0,
                    },
                ]
            })
            .collect(),
        value_content: vec![
            rvc(
                SALTILLO,
                "battery-module",
                PERIODS[0],
                0.782,
                vec![
                    source("cell-module", NINGBO, "CN", 0.55),
                    source("bms-board", BUSAN, "KR", 0.45),
                ],
            ),
            rvc(
                SALTILLO,
                "battery-module",
                PERIODS[1],
                0.73,
                vec![
                    source("bms-board", BUSAN, "KR", 0.6),
                    source("cell-module", NINGBO, "CN", 0.4),
                ],
            ),
            rvc(
                FREMONT,
                "battery-pack",
                PERIODS[0],
                0.85,
                vec![source("battery-module", SALTILLO, "MX", 1.0)],
            ),
            rvc(
                FREMONT,
                "battery-pack",
                PERIODS[1],
                0.80,
                vec![source("battery-module", SALTILLO, "MX", 1.0)],
            ),
        ],
    }
}

/// The plan without its network part: what a one-tier plan looks like.
fn base_plan() -> Plan {
    let shipments = [
        (NINGBO, SALTILLO, "cell-module", 4000.0),
        (SALTILLO, HUB, "battery-module", 2500.0),
        (FREMONT, WEST, "battery-pack", 1500.0),
    ]
    .iter()
    .flat_map(|(from, to, product, q)| {
        PERIODS.map(|p| ShipmentRow {
            from: s(from),
            to: s(to),
            product: s(product),
            departure: s(p),
            arrival: s(p),
            quantity: *q,
            unit_cost: 2.5,
            mode: (*from == NINGBO).then(|| s("ocean")),
            origin: (*to == WEST).then(|| s("MX")),
        })
    })
    .collect();
    let production = [
        (NINGBO, "cell-module", 4300.0),
        (BUSAN, "bms-board", 1000.0),
        (SALTILLO, "battery-module", 2500.0),
        (FREMONT, "battery-pack", 2100.0),
    ]
    .iter()
    .flat_map(|(site, product, q)| {
        PERIODS.map(|p| ProductionRow {
            site: s(site),
            product: s(product),
            period: s(p),
            quantity: *q,
        })
    })
    .collect();
    let unmet = [(WEST, 1500.0), (EAST, 600.0)]
        .iter()
        .flat_map(|(market, demand)| {
            PERIODS.map(|p| UnmetRow {
                market: s(market),
                product: s("battery-pack"),
                period: s(p),
                demand: *demand,
                unmet: 0.0,
            })
        })
        .collect();
    Plan {
        status: PlanStatus::Optimal,
        objective: Some(1_000_000.0),
        message: None,
        model: s("three-tier"),
        periods: PERIODS.iter().map(|p| s(p)).collect(),
        costs: Some(CostBreakdown {
            production: 900_000.0,
            transport: 100_000.0,
            total: 1_000_000.0,
            ..CostBreakdown::default()
        }),
        kpis: Some(Kpis {
            demand: 4200.0,
            served: 4200.0,
            fill_rate: 1.0,
            produced: 19_800.0,
            utilization: 0.3,
            ..Kpis::default()
        }),
        sites: vec![
            site(NINGBO, "CN", 4300.0),
            site(BUSAN, "KR", 1000.0),
            site(SALTILLO, "MX", 2500.0),
            site(FREMONT, "US", 2100.0),
        ],
        production,
        shipments,
        inventory: Vec::new(),
        unmet,
        sourcing: Vec::new(),
        bloc_shares: Vec::new(),
        policies: Vec::new(),
        stranded: Vec::new(),
        network: None,
        decisions: None,
        shadow_prices: Some(ShadowPrices::default()),
        duals_note: None,
        explanation: None,
        verification: None,
        metadata: Metadata {
            tool: s("allyplan"),
            tool_version: s("0.1.0"),
            model_name: s("three-tier"),
            solver: s("clarabel"),
            ..Metadata::default()
        },
    }
}

fn plan() -> Plan {
    let mut plan = base_plan();
    plan.network = Some(network());
    plan.shadow_prices = Some(ShadowPrices {
        resources: vec![ResourcePrice {
            site: s(SALTILLO),
            resource: s("assembly-line"),
            period: s(PERIODS[1]),
            value: 42.5,
        }],
        lanes: vec![LanePrice {
            from: s(NINGBO),
            to: s(SALTILLO),
            mode: Some(s("ocean")),
            period: s(PERIODS[0]),
            value: 3.25,
        }],
        throughput: vec![ThroughputPrice {
            site: s(HUB),
            period: s(PERIODS[0]),
            value: 1.5,
        }],
        value_content: vec![ValueContentPrice {
            policy: s("usmca-rvc"),
            site: s(SALTILLO),
            product: s("battery-module"),
            period: s(PERIODS[1]),
            dual: 0.01,
            cost_per_point: 2000.0,
        }],
        ..ShadowPrices::default()
    });
    plan
}

/// The network diagram's SVG element.
fn diagram(page: &str) -> &str {
    let start = page
        .find("<svg class=\"chart network\"")
        .expect("a network diagram");
    let end = start + page[start..].find("</svg>").expect("the diagram ends");
    &page[start..end]
}

/// The value of attribute `name` in the first tag of `text` that has it.
fn attr(text: &str, name: &str) -> f64 {
    let key = format!(" {name}=\"");
    let at = text.find(&key).expect("the attribute") + key.len();
    text[at..]
        .split('"')
        .next()
        .and_then(|v| v.parse().ok())
        .expect("a number")
}

/// The text of the first `<title>` in `text`.
fn title(text: &str) -> &str {
    let at = text.find("<title>").expect("a title") + "<title>".len();
    &text[at..at + text[at..].find("</title>").expect("title ends")]
}

/// Each node of the diagram: (tooltip, x of its label).
fn nodes(svg: &str) -> Vec<(String, f64)> {
    svg.split("<g class=\"node ")
        .skip(1)
        .map(|g| {
            let label = &g[g.find("<text").expect("a label")..];
            (title(g).to_string(), attr(label, "x"))
        })
        .collect()
}

#[test]
fn the_diagram_has_every_node_in_its_tier_column() {
    let page = html::render(&plan());
    let svg = diagram(&page);
    let nodes = nodes(svg);
    assert_eq!(nodes.len(), 7, "one node per node");
    let x = |id: &str| -> f64 {
        let escaped = allyplan::fmt::escape_html(id);
        let hits: Vec<f64> = nodes
            .iter()
            .filter(|(t, _)| t.starts_with(&format!("{escaped} — ")))
            .map(|n| n.1)
            .collect();
        assert_eq!(hits.len(), 1, "{id} drawn once");
        hits[0]
    };
    assert_eq!(x(NINGBO), x(BUSAN));
    assert!(x(NINGBO) < x(SALTILLO));
    assert!(x(SALTILLO) < x(HUB));
    assert!(x(HUB) < x(FREMONT));
    assert!(x(FREMONT) < x(WEST));
    assert_eq!(x(WEST), x(EAST));
    // Shapes by kind, and a bloc badge on every USMCA node.
    assert_eq!(svg.matches("<g class=\"node site\">").count(), 4);
    assert_eq!(svg.matches("<g class=\"node hub\"><title>").count(), 1);
    assert_eq!(svg.matches("<g class=\"node market\">").count(), 2);
    assert_eq!(svg.matches("<circle class=\"bloc\"").count(), 5);
    assert!(svg.contains(">tier 0</text>"));
    assert!(svg.contains(">markets</text>"));
}

#[test]
fn line_widths_follow_the_volumes() {
    let page = html::render(&plan());
    let svg = diagram(&page);
    let flows: Vec<(f64, String)> = svg
        .split("<path class=\"flow\"")
        .skip(1)
        .map(|p| (attr(p, "stroke-width"), title(p).to_string()))
        .collect();
    let widths: Vec<f64> = flows.iter().map(|f| f.0).collect();
    // 8000, 5000, 4800, 3000, 2000, 1200, 600 units: proportional, at least 1.5 px.
    assert_eq!(widths, vec![16.0, 10.0, 9.6, 6.0, 4.0, 2.4, 1.5]);
    assert_eq!(
        flows[0].1,
        "ningbo-cells → saltillo\nmodules: 8,000 units (cell-module 8,000)"
    );
    assert_eq!(
        flows[4].1,
        "busan &lt;&amp;&gt; `boards`| → saltillo\nmodules: 2,000 units (bms-board 2,000)"
    );
}

#[test]
fn ids_are_escaped_in_every_document() {
    let plan = plan();
    let page = html::render(&plan);
    for raw in [BUSAN, EAST, "<&>"] {
        assert!(!page.contains(raw), "raw {raw:?} in report.html");
    }
    assert!(page.contains("busan &lt;&amp;&gt; `boards`|"));
    assert!(page.contains("ca &lt;east&gt;"));
    let md = markdown::render(&plan);
    assert!(!md.contains(BUSAN));
    assert!(!md.contains(SALTILLO), "a line break inside a table row");
    assert!(md.contains("busan &lt;&amp;&gt; \\`boards\\`\\|"));
    assert!(md.contains("saltillo modules"));
}

#[test]
fn value_content_findings_name_the_tightest_window_and_the_largest_source() {
    let list = findings::findings(&plan());
    let expected = [
        "saltillo modules battery-module falls 2.0 points short of USMCA RVC 75% in 2027-06 (missed in 1 of 2 windows); bms-board from busan &lt;&amp;&gt; \\`boards\\`\\| are 60% of its component value.",
        "fremont-pack battery-pack meets USMCA RVC 75% with 5.0 points to spare in 2027-06; battery-module from saltillo modules are 100% of its component value.",
        "The busiest named resource is assembly-line at saltillo modules: 100.0% of its capacity in 2027-06.",
        "Lanes at capacity: ningbo-cells → saltillo modules (ocean) in 2 periods from 2027-05.",
        "Throughput at capacity: laredo-dc in 2 periods from 2027-05.",
        "One more point of usmca-rvc value content for saltillo modules battery-module in 2027-06 would cost $2,000.",
    ];
    for sentence in expected {
        assert!(
            list.iter().any(|f| f == sentence),
            "missing finding:\n{sentence}\nin\n{}",
            list.join("\n")
        );
    }
    // The misses come first, and each (site, product) gets one sentence.
    let rvc: Vec<&String> = list.iter().filter(|f| f.contains("RVC")).collect();
    assert_eq!(rvc.len(), 2);
    assert!(rvc[0].contains("falls"));
    // The HTML shows them too, HTML-escaped.
    let page = html::render(&plan());
    assert!(page.contains(
        "<li>saltillo modules battery-module falls 2.0 points short of USMCA RVC 75% in 2027-06 (missed in 1 of 2 windows); bms-board from busan &lt;&amp;&gt; `boards`| are 60% of its component value.</li>"
    ));
}

fn table<'a>(tables: &'a [(String, String)], name: &str) -> &'a str {
    tables
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t.as_str())
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn network_csv_tables() {
    let tables = csv::tables(&plan()).expect("tables");
    let flows = table(&tables, "flows.csv");
    assert!(flows.starts_with(
        "from,to,mode,product,origin,to_market,quantity\nningbo-cells,saltillo\\u{a}modules,ocean,cell-module,,false,8000\n"
    ));
    assert!(flows.contains("fremont-pack,us-west,,battery-pack,,true,3000\n"));
    assert!(flows.contains("busan <&> `boards`|,saltillo\\u{a}modules,,bms-board,,false,2000\n"));

    let vc = table(&tables, "value_content.csv");
    assert!(vc.starts_with("policy,bloc,site,product,period,produced,value,value_added,regional_components,other_components,share,target,margin_points,met\n"));
    assert!(vc.contains(
        "usmca-rvc,usmca,fremont-pack,battery-pack,2027-06,100,200000,50000,110000,40000,0.8,0.75,5,true\n"
    ));
    let sources = table(&tables, "value_content_sources.csv");
    assert!(sources.contains(
        "usmca-rvc,fremont-pack,battery-pack,2027-05,battery-module,saltillo\\u{a}modules,MX,true,100000,1\n"
    ));
    let lanes = table(&tables, "lane_use.csv");
    assert!(lanes.starts_with("from,to,mode,period,capacity,used,utilization\n"));
    assert!(lanes.contains("busan <&> `boards`|,saltillo\\u{a}modules,,2027-05,2000,1000,0.5\n"));
    let resources = table(&tables, "resources.csv");
    assert!(resources.starts_with("site,resource,period,capacity,used,utilization\n"));
    assert!(resources.contains("fremont-pack,default,2027-05,10000,2100,0.21\n"));
    let throughput = table(&tables, "throughput.csv");
    assert_eq!(
        throughput,
        "site,period,capacity,arrived,departed,stock\nlaredo-dc,2027-05,2500,2500,2400,100\nlaredo-dc,2027-06,2500,2500,2400,100\n"
    );
    let consumption = table(&tables, "consumption.csv");
    assert!(consumption.starts_with("site,product,component,period,quantity\n"));
    assert!(consumption.contains("fremont-pack,battery-pack,battery-module,2027-06,2100\n"));
    let shipments = table(&tables, "shipments.csv");
    assert!(
        shipments.starts_with("from,to,product,departure,arrival,quantity,unit_cost,mode,origin\n")
    );
    assert!(shipments.contains("fremont-pack,us-west,battery-pack,2027-05,2027-05,1500,2.5,,MX\n"));
    assert!(shipments.contains(",4000,2.5,ocean,\n"));
    let prices = table(&tables, "shadow_prices.csv");
    assert!(
        prices.contains("resource,,saltillo\\u{a}modules,,,2027-06,42.5,unit of assembly-line\n")
    );
    assert!(prices.contains(
        "lane,,ningbo-cells,saltillo\\u{a}modules,,2027-05,3.25,unit of lane capacity (ocean)\n"
    ));
    assert!(prices.contains("throughput,,laredo-dc,,,2027-05,1.5,unit of throughput\n"));
    assert!(prices.contains(
        "value_content,usmca-rvc,saltillo\\u{a}modules,,battery-module,2027-06,2000,percentage point\n"
    ));
}

/// A one-tier plan writes exactly the v1 tables, and no network section.
#[test]
fn a_plan_without_a_network_has_none_of_it() {
    let plan = base_plan();
    let tables = csv::tables(&plan).expect("tables");
    let names: Vec<&str> = tables.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "production.csv",
            "shipments.csv",
            "inventory.csv",
            "utilization.csv",
            "sourcing_shares.csv",
            "bloc_shares.csv",
            "unmet.csv",
            "shadow_prices.csv"
        ]
    );
    assert!(table(&tables, "shipments.csv")
        .starts_with("from,to,product,departure,arrival,quantity,unit_cost\n"));
    assert!(table(&tables, "shipments.csv").contains(",1500,2.5\n"));
    let page = html::render(&plan);
    for id in [
        "id=\"network\"",
        "id=\"value\"",
        "id=\"capacity\"",
        "id=\"components\"",
        "href=\"#network\"",
    ] {
        assert!(!page.contains(id), "{id} in a one-tier report");
    }
    assert!(page.contains("No capacity or policy row is binding with a price."));
    let md = markdown::render(&plan);
    assert!(!md.contains("## Network"));
    assert!(!md.contains("## Value content"));
}

#[test]
fn markdown_tables() {
    let md = markdown::render(&plan());
    for needle in [
        "## Network\n\n7 nodes in 5 tiers, upstream first; 24,600 units moved along lanes over the horizon.\n",
        "| tier 0 | ningbo-cells (site, CN), busan &lt;&amp;&gt; \\`boards\\`\\| (site, KR) |",
        "| markets | us-west (market, US, usmca), ca &lt;east&gt; (market, CA, usmca) |",
        "| tier 0 | tier 1 | 10,000 | 2 | ningbo-cells → saltillo modules, cell-module: 8,000 |",
        "| tier 0 | tier 3 | 600 | 1 | ningbo-cells → fremont-pack, cell-module: 600 |",
        "| tier 3 | markets | 4,200 | 2 | fremont-pack → us-west, battery-pack: 3,000 |",
        "| usmca-rvc | saltillo modules | battery-module | 75% | 75.6% | 73.0% | 2027-06 | -2.0 | 1/2 | bms-board from busan &lt;&amp;&gt; \\`boards\\`\\| (60%) |",
        "| saltillo modules | assembly-line | 5,900 | 6,000 | 98.3% | 100.0% | 2027-06 | 1 |",
        "| laredo-dc | hub | 5,000 | 5,000 | 100.0% | 2027-05 | 2 | 4,800 | 100 |",
        "| ningbo-cells | saltillo modules | ocean | 8,000 | 8,000 | 100.0% | 2027-05 | 2 |",
        "| saltillo modules | battery-module | cell-module | 8,000 | 2 |",
        "| saltillo modules | assembly-line | 2027-06 | $42.50 |",
        "| ningbo-cells | saltillo modules | ocean | 2027-05 | $3.25 |",
        "| laredo-dc | 2027-05 | $1.50 |",
        "| usmca-rvc | saltillo modules | battery-module | 2027-06 | $2,000 |",
    ] {
        assert!(md.contains(needle), "missing in report.md:\n{needle}\n\n{md}");
    }
    assert!(!md.contains("No capacity or policy row is binding with a price."));
}

#[test]
fn html_sections_and_value_content_chart() {
    let page = html::render(&plan());
    for id in [
        "href=\"#network\"",
        "href=\"#value\"",
        "href=\"#capacity\"",
        "href=\"#components\"",
        "<h2 id=\"network\">",
        "<h2 id=\"value\">",
        "<h2 id=\"capacity\">",
        "<h2 id=\"components\">",
        "One more unit of a resource",
        "One more unit of lane capacity",
        "One more unit of throughput",
        "One more point of value content",
    ] {
        assert!(page.contains(id), "missing {id}");
    }
    // One value-content chart per (site, product); the missed window is red and noted.
    assert_eq!(
        page.matches("aria-label=\"usmca-rvc value content of")
            .count(),
        2
    );
    assert!(page.contains("<title>2027-06: 73.0% (missed; target 75%)</title>"));
    assert!(page.contains(">-2.0</text>"));
    assert!(page.contains(">+3.2</text>"));
    assert!(page.contains("1 of 2 missed"));
    // cost, 4 sites, production, the diagram, 2 value-content charts.
    assert_eq!(page.matches("<svg").count(), 1 + 4 + 1 + 1 + 2);
    assert_eq!(page, html::render(&plan()), "deterministic");
}

/// Above 40 nodes the diagram keeps the nodes of the largest flows, and says so.
#[test]
fn large_networks_show_the_largest_flows() {
    let mut plan = plan();
    let net = plan.network.as_mut().expect("network");
    for i in 0..60 {
        let id = format!("supplier-{i:02}");
        net.nodes.push(node(&id, NodeKind::Site, "VN", 0));
        net.flows
            .push(flow(&id, SALTILLO, "cell-module", 10.0 + f64::from(i)));
    }
    let page = html::render(&plan);
    let svg = diagram(&page);
    let drawn = nodes(svg);
    assert_eq!(drawn.len(), 40);
    // The largest suppliers are kept, the smallest are not.
    assert!(drawn.iter().any(|(t, _)| t.starts_with("supplier-59 — ")));
    assert!(!drawn.iter().any(|(t, _)| t.starts_with("supplier-00 — ")));
    assert!(page.contains(
        "The network has 67 nodes and 67 flows between them: the diagram shows the 40 nodes and 40 flows that carry the most"
    ));
}
