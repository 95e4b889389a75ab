//! `report.html` of a plan: a self-contained page with inline SVG charts and CSS (no
//! scripts, no fonts or images to fetch; it opens from a file). Rendered from a [`Plan`]
//! alone, and deterministic: the same plan gives the same bytes.
//!
//! Colours: USMCA countries (US, MX, CA) in cool blues and greens, every other origin in
//! warm colours, the same on every chart.

use std::fmt::Write;

use super::decisions::nodes_text;
use super::findings::findings;
use super::html_charts::{
    bloc_section, costs_section, decisions_section, load_section, production_section, unmet_section,
};
use super::html_network::{
    capacity_section, components_section, network_section, value_content_section,
};
use super::html_parts::{distinct, status_pill, Palette};
use super::html_tables::{
    policies_section, run_section, shadow_section, shipments_section, stranded_section,
    verification_section,
};
use crate::fmt::{
    capitalize, escape_html as escape, gap_words, group, markdown_to_html, money_short, percent,
    target_pct, units,
};
use crate::plan::{BlocShareRow, Plan, PlanStatus};
use crate::report::page::page;

/// Renders the whole report of one plan.
pub fn render(plan: &Plan) -> String {
    let title = format!("allyplan — {}", plan.model);
    let (Some(_), Some(_)) = (&plan.costs, &plan.kpis) else {
        return page(&title, &no_solution(plan));
    };
    let palette = Palette::new(plan);
    let mut b = String::new();
    header(&mut b, plan);
    headline(&mut b, plan);
    costs_section(&mut b, plan);
    decisions_section(&mut b, plan);
    load_section(&mut b, plan);
    production_section(&mut b, plan, &palette);
    network_section(&mut b, plan, &palette);
    bloc_section(&mut b, plan);
    value_content_section(&mut b, plan);
    unmet_section(&mut b, plan);
    stranded_section(&mut b, plan);
    shipments_section(&mut b, plan, &palette);
    capacity_section(&mut b, plan);
    components_section(&mut b, plan);
    policies_section(&mut b, plan);
    shadow_section(&mut b, plan);
    verification_section(&mut b, plan);
    run_section(&mut b, plan);
    page(&title, &b)
}

fn header(b: &mut String, plan: &Plan) {
    let _ = writeln!(b, "<h1>Allocation plan: {}</h1>", escape(&plan.model));
    let verified = match &plan.verification {
        Some(v) if v.passed => "<span class=\"pill ok\">verified</span>".to_string(),
        Some(_) => "<span class=\"pill bad\">failed verification</span>".to_string(),
        None => "<span class=\"pill warn\">not verified</span>".to_string(),
    };
    let first = plan.periods.first().map(String::as_str).unwrap_or("");
    let last = plan.periods.last().map(String::as_str).unwrap_or("");
    let _ = writeln!(
        b,
        "<p class=\"meta\">{} {verified} &nbsp;Horizon {} – {} ({} periods) · solver {} · {} {}</p>",
        status_pill(&plan.status),
        escape(first),
        escape(last),
        plan.periods.len(),
        escape(&plan.metadata.solver),
        escape(&plan.metadata.tool),
        escape(&plan.metadata.tool_version)
    );
    b.push_str("<nav class=\"toc\">");
    let stranded = !plan.stranded.is_empty();
    let network = plan.network.is_some();
    let value = plan
        .network
        .as_ref()
        .is_some_and(|n| !n.value_content.is_empty());
    for (id, name) in [
        ("cost", "Cost"),
        ("decisions", "Decisions"),
        ("load", "Load"),
        ("production", "Production"),
        ("network", "Network"),
        ("bloc", "Bloc share"),
        ("value", "Value content"),
        ("unmet", "Unmet demand"),
        ("stranded", "Stranded stock"),
        ("shipments", "Shipments"),
        ("capacity", "Resources & lanes"),
        ("components", "Components"),
        ("policies", "Policies"),
        ("prices", "Shadow prices"),
        ("verification", "Verification"),
        ("run", "Run"),
    ] {
        let shown = match id {
            "stranded" => stranded,
            "network" | "capacity" | "components" => network,
            "value" => value,
            "decisions" => plan.decisions.is_some(),
            _ => true,
        };
        if !shown {
            continue;
        }
        let _ = write!(b, "<a href=\"#{id}\">{name}</a>");
    }
    b.push_str("</nav>\n");
}

fn card(b: &mut String, key: &str, value: &str, sub: &str, alert: bool) {
    let _ = writeln!(
        b,
        "<div class=\"card{}\"><div class=\"k\">{key}</div><div class=\"v\">{value}</div><div class=\"s\">{sub}</div></div>",
        if alert { " alert" } else { "" }
    );
}

fn headline(b: &mut String, plan: &Plan) {
    let (Some(costs), Some(kpis)) = (&plan.costs, &plan.kpis) else {
        return;
    };
    b.push_str("<div class=\"cards\">\n");
    let mut parts: Vec<(&str, f64)> = costs
        .components()
        .into_iter()
        .filter(|(_, v)| v.abs() > 0.005)
        .collect();
    parts.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top: Vec<String> = parts
        .iter()
        .take(3)
        .map(|(name, v)| {
            let share = if costs.total != 0.0 {
                v / costs.total
            } else {
                0.0
            };
            format!("{name} {:.0}%", 100.0 * share)
        })
        .collect();
    card(
        b,
        "Total cost",
        &money_short(costs.total),
        &top.join(" · "),
        false,
    );
    card(
        b,
        "Demand served",
        &percent(kpis.fill_rate),
        &format!(
            "{} of {} units; {} unmet",
            units(kpis.served),
            units(kpis.demand),
            units(kpis.unmet)
        ),
        kpis.unmet >= 0.5,
    );
    let policies = distinct(plan.bloc_shares.iter().map(|r| r.policy.as_str()));
    for policy in policies.iter().take(3) {
        let rows: Vec<&BlocShareRow> = plan
            .bloc_shares
            .iter()
            .filter(|r| r.policy == *policy)
            .collect();
        let delivered: f64 = rows.iter().map(|r| r.delivered).sum();
        let from_bloc: f64 = rows.iter().map(|r| r.from_bloc).sum();
        let met = rows.iter().filter(|r| r.met).count();
        let target = rows.first().map_or(0.0, |r| r.target);
        let bloc = rows.first().map_or("", |r| r.bloc.as_str());
        let lowest = rows
            .iter()
            .filter_map(|r| r.share)
            .min_by(|a, b| a.total_cmp(b));
        let value = if delivered > 0.0 {
            percent(from_bloc / delivered)
        } else {
            "–".to_string()
        };
        card(
            b,
            &format!("{} share", escape(&bloc.to_uppercase())),
            &value,
            &format!(
                "{}: target ≥ {} · lowest {} · {met} of {} met",
                escape(policy),
                target_pct(target),
                lowest.map_or("–".to_string(), percent),
                rows.len()
            ),
            met < rows.len(),
        );
    }
    if policies.is_empty() {
        card(b, "Bloc share", "–", "no min_bloc_share policy", false);
    }
    card(
        b,
        "Average utilization",
        &percent(kpis.utilization),
        &format!(
            "load / regular capacity; {} overtime capacity units",
            units(kpis.overtime_used)
        ),
        false,
    );
    if let Some(mip) = plan.decisions.as_ref().and_then(|d| d.mip.as_ref()) {
        let gap = gap_words(mip.gap);
        let asked = gap_words(mip.target_gap);
        let stopped = plan.status == PlanStatus::TimeLimit;
        card(
            b,
            "MIP gap",
            gap.strip_suffix(" gap").unwrap_or(&gap),
            &format!(
                "{}asked for {} · {} · {}",
                if stopped {
                    "stopped at the time limit · "
                } else {
                    ""
                },
                asked.strip_suffix(" gap").unwrap_or(&asked),
                nodes_text(mip.nodes),
                if mip.bound.is_finite() {
                    format!("best bound {}", money_short(mip.bound))
                } else {
                    "no best bound".to_string()
                }
            ),
            stopped,
        );
    }
    match &plan.verification {
        Some(v) => card(
            b,
            "Verifier",
            if v.passed { "passed" } else { "FAILED" },
            &format!(
                "worst violation {:.1e} (relative), {} checks",
                v.worst_violation,
                group(v.checks as u64)
            ),
            !v.passed,
        ),
        None => card(b, "Verifier", "–", "not verified", true),
    }
    card(
        b,
        "Freight emissions",
        &format!("{} t", units(kpis.emissions_kg / 1000.0)),
        "CO2e over the horizon",
        false,
    );
    b.push_str("</div>\n");
    let list = findings(plan);
    if !list.is_empty() {
        b.push_str("<div class=\"panel\"><h3 style=\"margin-top:0\">What to look at</h3><ul class=\"findings\">\n");
        for f in list {
            let _ = writeln!(b, "<li>{}</li>", markdown_to_html(&f));
        }
        b.push_str("</ul></div>\n");
    }
}

/// The short page of a run without a usable solution.
fn no_solution(plan: &Plan) -> String {
    let mut b = String::new();
    let _ = writeln!(b, "<h1>Allocation plan: {}</h1>", escape(&plan.model));
    let _ = writeln!(
        b,
        "<p class=\"meta\">{} &nbsp;No plan to report: the solver found no usable solution.</p>",
        status_pill(&plan.status)
    );
    let _ = writeln!(
        b,
        "<p class=\"note badn\"><b>Status: {}.</b> {}</p>",
        escape(plan.status.word()),
        escape(&capitalize(plan.message.as_deref().unwrap_or("")))
    );
    if plan.status == PlanStatus::Infeasible {
        b.push_str("<p>Relax or disable a policy (<code>--disable NAME</code>, or <code>soft: {penalty: N}</code> in the model) and solve again; \
                    <code>allyplan explain</code> can point at the conflicting constraints.</p>\n");
    }
    run_section(&mut b, plan);
    b
}
