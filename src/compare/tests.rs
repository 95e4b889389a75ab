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
