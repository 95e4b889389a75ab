//! Comparisons of small made-up plans, and what their documents say.

use super::compare;
use super::volumes::match_moves;
use crate::plan::comparison::{BindingChange, Delta, Matched, Presence};
use crate::plan::{
    BlocShareRow, CostBreakdown, Kpis, Metadata, Plan, PlanStatus, PolicyResult, ProductionRow,
    SitePeriod, SitePlan,
};
use crate::report::compare::html::render as render_html;
use crate::report::compare::markdown::render as render_markdown;
use crate::report::compare::text::move_sentence;

/// A solved plan: sites (id, country), periods, production (site, product, period, units);
/// each unit loads its site by one capacity unit; capacity 100 per period.
fn plan(
    model: &str,
    periods: &[&str],
    sites: &[(&str, &str)],
    production: &[(&str, &str, &str, f64)],
) -> Plan {
    let production: Vec<ProductionRow> = production
        .iter()
        .map(|(s, p, t, q)| ProductionRow {
            site: s.to_string(),
            product: p.to_string(),
            period: t.to_string(),
            quantity: *q,
        })
        .collect();
    let sites = sites
        .iter()
        .map(|(id, country)| SitePlan {
            id: id.to_string(),
            country: country.to_string(),
            periods: periods
                .iter()
                .map(|t| {
                    let load: f64 = production
                        .iter()
                        .filter(|r| r.site == *id && r.period == *t)
                        .map(|r| r.quantity)
                        .sum();
                    SitePeriod {
                        period: t.to_string(),
                        capacity: 100.0,
                        overtime_capacity: 0.0,
                        load,
                        overtime: 0.0,
                        utilization: load / 100.0,
                    }
                })
                .collect(),
        })
        .collect();
    let produced = production.iter().map(|r| r.quantity).sum();
    let costs = CostBreakdown {
        production: produced,
        total: produced,
        ..CostBreakdown::default()
    };
    Plan {
        status: PlanStatus::Optimal,
        objective: Some(produced),
        message: None,
        model: model.to_string(),
        periods: periods.iter().map(|t| t.to_string()).collect(),
        costs: Some(costs),
        kpis: Some(Kpis {
            produced,
            fill_rate: 1.0,
            ..Kpis::default()
        }),
        sites,
        production,
        shipments: Vec::new(),
        inventory: Vec::new(),
        unmet: Vec::new(),
        sourcing: Vec::new(),
        bloc_shares: Vec::new(),
        policies: Vec::new(),
        stranded: Vec::new(),
        network: None,
        decisions: None,
        shadow_prices: None,
        duals_note: None,
        verification: None,
        explanation: None,
        metadata: Metadata {
            model_name: model.to_string(),
            ..Metadata::default()
        },
    }
}

fn policy(name: &str, kind: &str, binding: usize, examples: &[&str]) -> PolicyResult {
    PolicyResult {
        name: name.to_string(),
        kind: kind.to_string(),
        soft: false,
        penalty: None,
        rows: 10,
        binding_rows: binding,
        binding_examples: examples.iter().map(|e| e.to_string()).collect(),
        slack: 0.0,
    }
}

fn share_row(policy: &str, market: &str, period: &str, share: f64, target: f64) -> BlocShareRow {
    BlocShareRow {
        policy: policy.to_string(),
        bloc: "usmca".to_string(),
        market: market.to_string(),
        product: "cell".to_string(),
        period: period.to_string(),
        delivered: 100.0,
        from_bloc: 100.0 * share,
        share: Some(share),
        target,
        met: share + 1e-9 >= target,
    }
}

#[test]
fn largest_decreases_go_to_largest_increases() {
    let d = |id: &str, c: &str, old: f64, new: f64| {
        (id.to_string(), c.to_string(), Delta::new(old, new))
    };
    let moves = match_moves(
        "cell",
        &[
            d("a", "CN", 5000.0, 1800.0),
            d("b", "VN", 1000.0, 500.0),
            d("m", "MX", 0.0, 3000.0),
            d("h", "US", 100.0, 700.0),
        ],
    );
    let got: Vec<(&str, &str, f64)> = moves
        .iter()
        .map(|m| (m.from.as_str(), m.to.as_str(), m.units))
        .collect();
    assert_eq!(
        got,
        vec![("a", "m", 3000.0), ("a", "h", 200.0), ("b", "h", 400.0)]
    );
    assert_eq!(
        move_sentence(&moves[0], false),
        "3,000 cell units moved from a (CN) to m (MX)"
    );
}

#[test]
fn a_plan_compared_with_itself_is_unchanged() {
    let p = plan(
        "m",
        &["t1", "t2"],
        &[("a", "US"), ("b", "MX")],
        &[("a", "cell", "t1", 10.0), ("b", "cell", "t2", 20.0)],
    );
    let c = compare(&p, &p);
    assert!(c.unchanged);
    assert!(render_markdown(&c).contains("No changes"));
}

#[test]
fn different_periods_and_sites_compare_the_common_part() {
    let old = plan(
        "jan",
        &["t1", "t2", "t3"],
        &[("a", "CN"), ("b", "MX")],
        &[
            ("a", "cell", "t1", 50.0),
            ("a", "cell", "t2", 50.0),
            ("a", "cell", "t3", 50.0),
            ("b", "cell", "t2", 10.0),
        ],
    );
    let new = plan(
        "feb",
        &["t2", "t3", "t4"],
        &[("b", "MX"), ("c", "US")],
        &[
            ("b", "cell", "t2", 40.0),
            ("c", "cell", "t3", 70.0),
            ("c", "cell", "t4", 99.0),
        ],
    );
    let c = compare(&old, &new);
    assert!(!c.unchanged);
    assert_eq!(c.periods.compared, vec!["t2", "t3"]);
    assert_eq!(c.periods.only_old, vec!["t1"]);
    assert_eq!(c.periods.only_new, vec!["t4"]);
    let site = |id: &str| c.sites.iter().find(|s| s.site == id).unwrap();
    assert_eq!(site("a").presence, Presence::OldOnly);
    assert_eq!(site("c").presence, Presence::NewOnly);
    // Over t2–t3 only: a 100 → 0, b 10 → 40, c 0 → 70.
    assert_eq!(site("a").units.change, -100.0);
    assert_eq!(site("b").units.change, 30.0);
    assert_eq!(site("c").units.change, 70.0);
    let total: f64 = c.sites.iter().map(|s| s.units.change).sum();
    assert_eq!(c.production.unwrap().change, total);
    let moves: Vec<(&str, &str, f64)> = c
        .site_moves
        .iter()
        .map(|m| (m.from.as_str(), m.to.as_str(), m.units))
        .collect();
    assert_eq!(moves, vec![("a", "c", 70.0), ("a", "b", 30.0)]);
    assert!(c
        .notes
        .iter()
        .any(|n| n.contains("only in the old plan: t1")));
    let md = render_markdown(&c);
    assert!(md.contains("a (old plan only)"), "{md}");
    assert!(
        md.contains("70 cell units moved from a (CN) to c (US)"),
        "{md}"
    );
    assert!(md.contains("## Notes"), "{md}");
}

#[test]
fn renamed_policies_are_matched_and_binding_changes_found() {
    let mut old = plan("base", &["t1"], &[("a", "US")], &[("a", "cell", "t1", 1.0)]);
    let mut new = old.clone();
    old.policies = vec![
        policy("crit-70", "min_bloc_share", 0, &[]),
        policy("ramp", "ramp_limit", 1, &["ramp[a,t1]"]),
        policy("fill-97", "min_fill_rate", 0, &[]),
    ];
    old.bloc_shares = vec![share_row("crit-70", "east", "t1", 0.8, 0.7)];
    new.policies = vec![
        policy("crit-90", "min_bloc_share", 1, &["crit-90[east,cell,t1]"]),
        policy("ramp", "ramp_limit", 0, &[]),
        policy("fill-95", "min_fill_rate", 0, &[]),
        policy("cap", "emissions_cap", 1, &["cap[horizon]"]),
    ];
    new.bloc_shares = vec![share_row("crit-90", "east", "t1", 0.9, 0.9)];
    let c = compare(&old, &new);
    let p = |name: &str| {
        c.policies
            .iter()
            .find(|p| p.new_name.as_deref() == Some(name) || p.old_name.as_deref() == Some(name))
            .unwrap()
    };
    assert_eq!(p("crit-90").matched, Matched::Scope);
    assert_eq!(p("crit-90").old_name.as_deref(), Some("crit-70"));
    assert_eq!(p("crit-90").change, BindingChange::NewlyBinding);
    assert_eq!(
        p("crit-90").newly_binding_rows,
        vec!["crit-90[east,cell,t1]"]
    );
    assert_eq!(p("ramp").change, BindingChange::NoLongerBinding);
    assert_eq!(p("ramp").no_longer_binding_rows, vec!["ramp[a,t1]"]);
    assert_eq!(p("fill-95").matched, Matched::Kind);
    assert_eq!(p("cap").matched, Matched::NewOnly);
    assert_eq!(p("cap").change, BindingChange::NewlyBinding);
    let share = &c.bloc_shares[0];
    assert_eq!((share.target_old, share.target_new), (Some(0.7), Some(0.9)));
    assert_eq!((share.lowest_old, share.lowest_new), (Some(0.8), Some(0.9)));
    let md = render_markdown(&c);
    assert!(
        md.contains("crit-70 → crit-90 (usmca): target 70.0% → 90.0%"),
        "{md}"
    );
    assert!(
        md.contains("Newly binding: crit-70 → crit-90, cap."),
        "{md}"
    );
    assert!(md.contains("No longer binding: ramp."), "{md}");
}

#[test]
fn every_id_is_escaped() {
    let evil = "<script>alert(1)</script>|*x*";
    let old = plan(evil, &["t1"], &[(evil, "C<N")], &[(evil, evil, "t1", 10.0)]);
    let new = plan(
        "ok",
        &["t1"],
        &[("fine", "US")],
        &[("fine", evil, "t1", 10.0)],
    );
    let c = compare(&old, &new);
    let md = render_markdown(&c);
    assert!(!md.contains("<script>"), "{md}");
    assert!(!md.contains("C<N"), "{md}");
    assert!(md.contains("&lt;script&gt;"), "{md}");
    let page = render_html(&c);
    assert!(!page.contains("<script>"), "{page}");
    assert!(!page.contains("C<N"), "{page}");
    assert!(page.contains("&lt;script&gt;"));
}

#[test]
fn plans_without_a_solution_compare_status_and_metadata() {
    let old = plan("m", &["t1"], &[("a", "US")], &[("a", "cell", "t1", 10.0)]);
    let mut new = old.clone();
    new.status = PlanStatus::Infeasible;
    new.objective = None;
    new.costs = None;
    new.kpis = None;
    new.message = Some("the model is infeasible".to_string());
    let c = compare(&old, &new);
    assert!(c.status_changed);
    assert!(c.costs.is_empty() && c.sites.is_empty() && c.objective.is_none());
    assert!(c
        .notes
        .iter()
        .any(|n| n.contains("new plan has no solution")));
    let md = render_markdown(&c);
    assert!(
        md.contains("Status changed from optimal to infeasible."),
        "{md}"
    );
    assert!(md.contains("| Objective | $10.00 | – | gone |"), "{md}");
    assert!(render_html(&c).contains("infeasible"));
}

#[test]
fn shadow_prices_are_compared_when_both_plans_have_them() {
    use crate::plan::{CapacityPrice, ShadowPrices};
    let price = |site: &str, value: f64| CapacityPrice {
        site: site.to_string(),
        period: "t1".to_string(),
        value,
    };
    let mut old = plan("m", &["t1"], &[("a", "US")], &[("a", "cell", "t1", 10.0)]);
    let mut new = old.clone();
    old.shadow_prices = Some(ShadowPrices {
        capacity: vec![price("a", 12.0), price("b", 3.0)],
        ..ShadowPrices::default()
    });
    new.shadow_prices = Some(ShadowPrices {
        capacity: vec![price("a", 20.0), price("b", 3.0)],
        ..ShadowPrices::default()
    });
    let c = compare(&old, &new);
    assert!(c.shadow_prices.compared);
    assert_eq!(c.shadow_prices.capacity.len(), 1);
    assert_eq!(c.shadow_prices.capacity[0].item, "a, t1");
    assert_eq!(c.shadow_prices.capacity[0].delta.change, 8.0);
    new.shadow_prices = None;
    new.duals_note = Some("microlp gives no duals".to_string());
    let c = compare(&old, &new);
    assert!(!c.shadow_prices.compared);
    assert!(c
        .shadow_prices
        .note
        .as_deref()
        .unwrap()
        .contains("only the old plan"));
}

// ---------------------------------------------------------------------------------------
// Multi-tier plans

use crate::fmt::escape_html;
use crate::plan::comparison::{Comparison, LaneFlowDelta, OriginMixDelta};
use crate::plan::{FlowRow, NetworkPlan, NodeKind, NodeRow, ValueContentRow};
use crate::report::compare::json as render_json;
use crate::report::compare::network_words::supply_sentence;
use crate::report::compare::text::summary;

/// A node: id, kind, country, blocs, tier.
type Node<'a> = (&'a str, NodeKind, &'a str, &'a [&'a str], usize);
/// A flow over the horizon: from, to, product, origin, units (to a market when `to` is a
/// market node).
type Flow<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, f64);

/// `p` with a network of these nodes and flows.
fn networked(mut p: Plan, nodes: &[Node], flows: &[Flow]) -> Plan {
    let markets: Vec<&str> = nodes
        .iter()
        .filter(|n| n.1 == NodeKind::Market)
        .map(|n| n.0)
        .collect();
    p.network = Some(NetworkPlan {
        nodes: nodes
            .iter()
            .map(|(id, kind, country, blocs, tier)| NodeRow {
                id: id.to_string(),
                kind: *kind,
                country: country.to_string(),
                blocs: blocs.iter().map(|b| b.to_string()).collect(),
                tier: *tier,
            })
            .collect(),
        flows: flows
            .iter()
            .map(|(from, to, product, origin, q)| FlowRow {
                from: from.to_string(),
                to: to.to_string(),
                mode: None,
                product: product.to_string(),
                origin: origin.map(str::to_string),
                to_market: markets.contains(to),
                quantity: *q,
            })
            .collect(),
        ..NetworkPlan::default()
    });
    p
}

const USMCA: &[&str] = &["usmca"];
const NONE: &[&str] = &[];

/// Cells from ningbo (CN) and vinh (VN) into saltillo (MX), packs to us-east; the new plan
/// moves 12,000 cells from ningbo and 1,000 from vinh to monterrey-cells (MX), a lane the
/// old plan does not have, and opens a lane to ca-west.
fn supplier_shift() -> (Plan, Plan) {
    let nodes: &[Node] = &[
        ("ningbo", NodeKind::Site, "CN", NONE, 0),
        ("vinh", NodeKind::Site, "VN", NONE, 0),
        ("monterrey-cells", NodeKind::Site, "MX", USMCA, 0),
        ("saltillo", NodeKind::Site, "MX", USMCA, 1),
        ("us-east", NodeKind::Market, "US", USMCA, 2),
        ("ca-west", NodeKind::Market, "CA", USMCA, 2),
    ];
    let base = plan("m", &["t1"], &[("saltillo", "MX")], &[]);
    let old = networked(
        base.clone(),
        nodes,
        &[
            ("ningbo", "saltillo", "cell", Some("CN"), 16_000.0),
            ("vinh", "saltillo", "cell", Some("VN"), 4_000.0),
            ("saltillo", "us-east", "pack", Some("MX"), 5_000.0),
        ],
    );
    let new = networked(
        base,
        nodes,
        &[
            ("ningbo", "saltillo", "cell", Some("CN"), 4_000.0),
            ("vinh", "saltillo", "cell", Some("VN"), 3_000.0),
            ("monterrey-cells", "saltillo", "cell", Some("MX"), 13_000.0),
            ("saltillo", "us-east", "pack", Some("MX"), 5_000.0),
            ("saltillo", "ca-west", "pack", Some("MX"), 500.0),
        ],
    );
    (old, new)
}

fn lane<'a>(c: &'a Comparison, from: &str, to: &str) -> &'a LaneFlowDelta {
    let net = c.network.as_ref().unwrap();
    net.lanes
        .iter()
        .find(|l| l.from == from && l.to == to)
        .unwrap_or_else(|| panic!("no lane {from} → {to}"))
}

fn mix<'a>(c: &'a Comparison, receiver: Option<&str>, product: &str) -> &'a OriginMixDelta {
    let net = c.network.as_ref().unwrap();
    net.origin_mix
        .iter()
        .find(|g| g.receiver.as_deref() == receiver && g.product == product)
        .unwrap()
}

fn points_of(g: &OriginMixDelta, origin: &str, bloc: bool) -> Option<f64> {
    let list = if bloc { &g.blocs } else { &g.countries };
    list.iter().find(|s| s.origin == origin).unwrap().points
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn a_supplier_shift_gives_exact_lane_and_tier_deltas_largest_first() {
    let (old, new) = supplier_shift();
    let c = compare(&old, &new);
    assert!(!c.unchanged);
    let net = c.network.as_ref().unwrap();
    assert!(net.old_network && net.new_network);
    let lanes: Vec<(&str, &str, f64, f64, f64)> = net
        .lanes
        .iter()
        .map(|l| {
            (
                l.from.as_str(),
                l.to.as_str(),
                l.units.old,
                l.units.new,
                l.units.change,
            )
        })
        .collect();
    assert_eq!(
        lanes,
        vec![
            ("monterrey-cells", "saltillo", 0.0, 13_000.0, 13_000.0),
            ("ningbo", "saltillo", 16_000.0, 4_000.0, -12_000.0),
            ("vinh", "saltillo", 4_000.0, 3_000.0, -1_000.0),
            ("saltillo", "ca-west", 0.0, 500.0, 500.0),
            ("saltillo", "us-east", 5_000.0, 5_000.0, 0.0),
        ]
    );
    assert_eq!(lane(&c, "ningbo", "saltillo").units.relative, Some(-0.75));
    assert!(!lane(&c, "saltillo", "us-east").units.changed());
    assert!(lane(&c, "saltillo", "ca-west").to_market);
    assert_eq!(lane(&c, "ningbo", "saltillo").from_country, "CN");

    let tiers: Vec<(&str, f64, f64)> = net
        .tiers
        .iter()
        .map(|t| (t.label.as_str(), t.units.old, t.units.new))
        .collect();
    assert_eq!(
        tiers,
        vec![
            ("tier 1 → markets", 5_000.0, 5_500.0),
            ("tier 0 → tier 1", 20_000.0, 20_000.0),
        ]
    );
    assert!(net.tiers[0].to_markets && net.tiers[0].from_tier == Some(1));
    let page = render_html(&c);
    assert!(
        page.contains("Change in units moved between tiers"),
        "a chart of the tier pairs that changed"
    );

    let moves: Vec<(&str, &str, &str, f64)> = net
        .supply_moves
        .iter()
        .map(|m| (m.into.as_str(), m.from.as_str(), m.to.as_str(), m.units))
        .collect();
    assert_eq!(
        moves,
        vec![
            ("saltillo", "ningbo", "monterrey-cells", 12_000.0),
            ("saltillo", "vinh", "monterrey-cells", 1_000.0),
        ]
    );
    assert_eq!(
        supply_sentence(&net.supply_moves[0]),
        "12,000 cell units into saltillo moved from ningbo (CN) to monterrey-cells (MX)"
    );
    let lines = summary(&c, &|s: &str| s.to_string());
    assert!(
        lines.contains(
            &"Supply moved between sources: 12,000 cell units into saltillo moved from ningbo (CN) to monterrey-cells (MX); 1,000 cell units into saltillo moved from vinh (VN) to monterrey-cells (MX)."
                .to_string()
        ),
        "{lines:?}"
    );
}

#[test]
fn origin_shares_are_compared_in_points_by_country_and_bloc() {
    let (old, new) = supplier_shift();
    let c = compare(&old, &new);
    let cells = mix(&c, Some("saltillo"), "cell");
    assert_eq!((cells.units.old, cells.units.new), (20_000.0, 20_000.0));
    // CN 80% → 20%, VN 20% → 15%, MX 0% → 65%: largest change first.
    let order: Vec<&str> = cells.countries.iter().map(|s| s.origin.as_str()).collect();
    assert_eq!(order, vec!["MX", "CN", "VN"]);
    assert!(close(points_of(cells, "CN", false).unwrap(), -60.0));
    assert!(close(points_of(cells, "VN", false).unwrap(), -5.0));
    assert!(close(points_of(cells, "MX", false).unwrap(), 65.0));
    let usmca = &cells.blocs[0];
    assert_eq!(usmca.origin, "usmca");
    assert_eq!((usmca.share_old, usmca.share_new), (Some(0.0), Some(0.65)));
    assert_eq!(cells.blocs.len(), 1, "no other bloc supplies anything");
    // Deliveries to the markets come first; all of them are Mexican in both plans.
    let net = c.network.as_ref().unwrap();
    assert_eq!(net.origin_mix[0].receiver, None);
    let packs = mix(&c, None, "pack");
    assert_eq!((packs.units.old, packs.units.new), (5_000.0, 5_500.0));
    assert_eq!(points_of(packs, "MX", false), Some(0.0));
    assert!(!packs.countries[0].changed());

    let lines = summary(&c, &|s: &str| s.to_string());
    assert!(
        lines.contains(
            &"Origin mix: usmca share of cell received at saltillo +65.0 points (0.0% → 65.0%)."
                .to_string()
        ),
        "{lines:?}"
    );
    let md = render_markdown(&c);
    assert!(
        md.contains("| saltillo | cell | usmca (bloc) | 0.0% | 65.0% | +65.0 pp |"),
        "{md}"
    );
    assert!(
        md.contains("| saltillo | cell | CN | 80.0% | 20.0% | −60.0 pp |"),
        "{md}"
    );
}

#[test]
fn deliveries_to_markets_are_shared_by_origin_across_markets() {
    let nodes: &[Node] = &[
        ("shenzhen", NodeKind::Site, "CN", NONE, 0),
        ("saltillo", NodeKind::Site, "MX", USMCA, 0),
        ("laredo-dc", NodeKind::Hub, "US", USMCA, 1),
        ("us-east", NodeKind::Market, "US", USMCA, 2),
        ("us-west", NodeKind::Market, "US", USMCA, 2),
    ];
    let base = plan("m", &["t1"], &[("saltillo", "MX")], &[]);
    let old = networked(
        base.clone(),
        nodes,
        &[
            ("shenzhen", "us-west", "pack", Some("CN"), 5_000.0),
            ("saltillo", "laredo-dc", "pack", Some("MX"), 5_000.0),
            ("laredo-dc", "us-east", "pack", Some("MX"), 5_000.0),
        ],
    );
    let new = networked(
        base,
        nodes,
        &[
            ("shenzhen", "us-west", "pack", Some("CN"), 2_000.0),
            ("saltillo", "laredo-dc", "pack", Some("MX"), 8_000.0),
            ("laredo-dc", "us-east", "pack", Some("MX"), 8_000.0),
        ],
    );
    let c = compare(&old, &new);
    let packs = mix(&c, None, "pack");
    assert_eq!((packs.units.old, packs.units.new), (10_000.0, 10_000.0));
    assert!(close(points_of(packs, "usmca", true).unwrap(), 30.0));
    assert!(close(points_of(packs, "CN", false).unwrap(), -30.0));
    let tiers: Vec<&str> = c
        .network
        .as_ref()
        .unwrap()
        .tiers
        .iter()
        .map(|t| t.label.as_str())
        .collect();
    assert_eq!(
        tiers,
        vec![
            "tier 0 → tier 1 (hubs)",
            "tier 0 → markets",
            "tier 1 (hubs) → markets"
        ]
    );
    let lines = summary(&c, &|s: &str| s.to_string());
    assert!(
        lines.contains(
            &"Origin mix: usmca share of pack deliveries to markets +30.0 points (50.0% → 80.0%)."
                .to_string()
        ),
        "{lines:?}"
    );
}

#[test]
fn a_lane_in_one_plan_only_counts_zero_in_the_other() {
    let nodes: &[Node] = &[
        ("a", NodeKind::Site, "CN", NONE, 0),
        ("c", NodeKind::Site, "MX", USMCA, 0),
        ("b", NodeKind::Site, "US", USMCA, 1),
    ];
    let base = plan("m", &["t1"], &[("b", "US")], &[]);
    let old = networked(
        base.clone(),
        nodes,
        &[("a", "b", "cell", Some("CN"), 700.0)],
    );
    let new = networked(base, nodes, &[("c", "b", "cell", Some("MX"), 650.0)]);
    let c = compare(&old, &new);
    let gone = lane(&c, "a", "b");
    assert_eq!(gone.presence, Presence::OldOnly);
    assert_eq!((gone.units.old, gone.units.new), (700.0, 0.0));
    assert_eq!(gone.products[0].product, "cell");
    assert_eq!(gone.products[0].delta.change, -700.0);
    let added = lane(&c, "c", "b");
    assert_eq!(added.presence, Presence::NewOnly);
    assert_eq!((added.units.old, added.units.new), (0.0, 650.0));
    assert_eq!(added.units.relative, None);
    let net = c.network.as_ref().unwrap();
    assert_eq!(net.lanes[0].from, "a", "the larger change first");
    // 650 of the 700 moved to c; the rest is a net fall.
    assert_eq!(net.supply_moves.len(), 1);
    assert_eq!(net.supply_moves[0].units, 650.0);
    let md = render_markdown(&c);
    assert!(
        md.contains("| a (CN) → b (US) (old plan only) | cell −700 | 700 | 0 | ▼ −700 (−100.0%) |"),
        "{md}"
    );
    assert!(
        md.contains("| c (MX) → b (US) (new plan only) | cell +650 | 0 | 650 | ▲ +650 |"),
        "{md}"
    );
}

#[test]
fn a_one_tier_plan_is_read_from_its_shipments() {
    use crate::plan::ShipmentRow;
    let ship = |from: &str, to: &str, q: f64| ShipmentRow {
        from: from.to_string(),
        to: to.to_string(),
        product: "pack".to_string(),
        departure: "t1".to_string(),
        arrival: "t1".to_string(),
        quantity: q,
        unit_cost: 1.0,
        mode: None,
        origin: None,
    };
    let mut old = plan(
        "v1",
        &["t1"],
        &[("shenzhen", "CN"), ("saltillo", "MX")],
        &[],
    );
    old.shipments = vec![
        ship("shenzhen", "us-east", 600.0),
        ship("saltillo", "us-east", 400.0),
    ];
    let new = networked(
        plan(
            "v2",
            &["t1"],
            &[("shenzhen", "CN"), ("saltillo", "MX")],
            &[],
        ),
        &[
            ("shenzhen", NodeKind::Site, "CN", NONE, 0),
            ("saltillo", NodeKind::Site, "MX", USMCA, 0),
            ("us-east", NodeKind::Market, "US", USMCA, 1),
        ],
        &[
            ("shenzhen", "us-east", "pack", Some("CN"), 100.0),
            ("saltillo", "us-east", "pack", Some("MX"), 900.0),
        ],
    );
    let c = compare(&old, &new);
    let net = c.network.as_ref().unwrap();
    assert!(!net.old_network && net.new_network);
    assert_eq!(lane(&c, "shenzhen", "us-east").units.change, -500.0);
    assert_eq!(lane(&c, "saltillo", "us-east").units.change, 500.0);
    assert_eq!(net.tiers.len(), 1);
    assert_eq!(net.tiers[0].label, "tier 0 → markets");
    // The one-tier plan borrows the other plan's blocs: MX is in usmca.
    let packs = mix(&c, None, "pack");
    assert!(close(points_of(packs, "usmca", true).unwrap(), 50.0));
    assert!(c
        .notes
        .iter()
        .any(|n| n.contains("The old plan has one tier")));
    // Neither plan with a network: nothing of it, and compare.json does not name it.
    let c = compare(&old, &old);
    assert!(c.network.is_none());
    assert!(!render_json(&c).unwrap().contains("\"network\""));
}

fn rvc_row(share: f64, regional: f64, other: f64) -> ValueContentRow {
    ValueContentRow {
        policy: "rvc-75".to_string(),
        bloc: "usmca".to_string(),
        site: "saltillo".to_string(),
        product: "pack".to_string(),
        period: "horizon".to_string(),
        produced: 1_000.0,
        value: 9.0e6,
        value_added: 9.0e6 * share - regional,
        regional_components: regional,
        other_components: other,
        share: Some(share),
        target: 0.75,
        margin_points: Some(100.0 * (share - 0.75)),
        met: share >= 0.75,
        sources: Vec::new(),
        tariff_paid: None,
    }
}

#[test]
fn value_content_shares_and_margins_are_compared_per_site_product_and_window() {
    let (mut old, mut new) = supplier_shift();
    if let Some(n) = old.network.as_mut() {
        n.value_content = vec![rvc_row(0.68, 3.0e6, 3.0e6)];
    }
    if let Some(n) = new.network.as_mut() {
        let mut renamed = rvc_row(0.773, 4.5e6, 1.5e6);
        renamed.policy = "rvc-strict".to_string();
        n.value_content = vec![renamed];
    }
    let c = compare(&old, &new);
    let net = c.network.as_ref().unwrap();
    assert_eq!(
        net.value_content.len(),
        1,
        "matched by bloc, site, product, window"
    );
    let r = &net.value_content[0];
    assert_eq!(r.presence, Presence::Both);
    assert_eq!(r.policy_name(), "rvc-75 → rvc-strict");
    assert!(close(r.points.unwrap(), 9.3));
    assert!(close(r.margin_old.unwrap(), -7.0));
    assert!(close(r.margin_new.unwrap(), 2.3));
    assert_eq!((r.met_old, r.met_new), (Some(false), Some(true)));
    // Components from the bloc: 50% → 75% of component value.
    assert_eq!(
        (r.component_share_old, r.component_share_new),
        (Some(0.5), Some(0.75))
    );
    assert!(close(r.component_points.unwrap(), 25.0));
    let lines = summary(&c, &|s: &str| s.to_string());
    assert!(
        lines.contains(
            &"Regional value content: usmca value content of pack at saltillo (horizon) 68.0% → 77.3% (+9.3 points; usmca share of component value +25.0 points), now meets its 75.0% target."
                .to_string()
        ),
        "{lines:?}"
    );
    let md = render_markdown(&c);
    assert!(
        md.contains("| rvc-75 → rvc-strict | usmca | saltillo | pack | horizon | 68.0% → 77.3% (+9.3 pp) | 75.0% | −7.0 pp → +2.3 pp (missed → met) | 50.0% → 75.0% (+25.0 pp) |"),
        "{md}"
    );
    // A row in one plan only is listed as such.
    if let Some(n) = new.network.as_mut() {
        n.value_content[0].period = "t1".to_string();
    }
    let c = compare(&old, &new);
    let rows = &c.network.as_ref().unwrap().value_content;
    let presence: Vec<Presence> = rows.iter().map(|r| r.presence).collect();
    assert_eq!(presence, vec![Presence::OldOnly, Presence::NewOnly]);
    assert_eq!(rows[0].produced.new, 0.0);
}

#[test]
fn a_multi_tier_plan_compared_with_itself_is_unchanged() {
    let (old, _) = supplier_shift();
    let c = compare(&old, &old);
    assert!(c.unchanged);
    let md = render_markdown(&c);
    assert!(md.contains("No changes"), "{md}");
    assert!(md.contains("No lane's volume changed (3 lanes)."), "{md}");
    assert!(
        md.contains("No origin's share changed in what the markets and the sites receive."),
        "{md}"
    );
}

#[test]
fn every_document_has_the_network_section_and_escapes_its_ids() {
    let evil = "<script>alert(1)</script>|*x*";
    let nodes: &[Node] = &[
        (evil, NodeKind::Site, "C<N", &["b<loc"], 0),
        ("ok", NodeKind::Site, "MX", &["b<loc"], 0),
        ("m|kt", NodeKind::Market, "US", NONE, 1),
    ];
    let base = plan("m", &["t1"], &[("ok", "MX")], &[]);
    let old = networked(
        base.clone(),
        nodes,
        &[(evil, "m|kt", evil, Some("C<N"), 100.0)],
    );
    let new = networked(base, nodes, &[("ok", "m|kt", evil, Some("MX"), 100.0)]);
    let c = compare(&old, &new);
    let md = render_markdown(&c);
    assert!(md.contains("## Network flows"), "{md}");
    assert!(
        md.contains("### Between tiers") && md.contains("### Origin mix"),
        "{md}"
    );
    assert!(
        !md.contains("<script>") && !md.contains("C<N") && !md.contains("b<loc"),
        "{md}"
    );
    assert!(
        md.contains("&lt;script&gt;alert(1)&lt;/script&gt;\\|\\*x\\*"),
        "{md}"
    );
    assert!(md.contains("m\\|kt"), "{md}");
    // Every table row of the section keeps its column count.
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.contains("m\\|kt") && l.starts_with('|'))
        .collect();
    assert_eq!(rows.len(), 2, "both lanes: {md}");
    for line in rows {
        let cells = line.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 6, "{line}");
    }
    let page = render_html(&c);
    assert!(page.contains("<h2>Network flows</h2>"), "{page}");
    assert!(page.contains("<h3>Origin mix</h3>"), "{page}");
    assert!(!page.contains("<script>") && !page.contains("C<N") && !page.contains("b<loc"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;|*x*"));
    let lines = summary(&c, &|s: &str| escape_html(s));
    let supply = lines
        .iter()
        .find(|l| l.starts_with("Supply moved"))
        .unwrap();
    assert!(supply.contains("from &lt;script&gt;"), "{supply}");
    assert!(lines.iter().all(|l| !l.contains('<')), "{lines:?}");
    let json = render_json(&c).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["network"]["lanes"][0]["from"], evil);
    assert_eq!(v["network"]["supply_moves"][0]["to"], "ok");
    assert_eq!(v["network"]["origin_mix"][0]["blocs"][0]["origin"], "b<loc");
}
