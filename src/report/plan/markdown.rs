//! `report.md` of a plan: the headline figures and findings a planner reads in a minute.
//! The multi-tier sections are in [`super::markdown_network`], decisions over the horizon
//! in [`super::decisions`].

use std::fmt::Write;

use super::decisions::write_markdown as write_decisions;
use super::findings::findings;
use super::markdown_network::{write_network, write_network_prices};
use super::network_summary::has_network_prices;
use crate::fmt::{escape_markdown as escape, group, money, percent, units};
use crate::plan::Plan;

/// `report.md` of a plan.
pub fn render(plan: &Plan) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Allocation plan: {}\n", escape(&plan.model));
    let (Some(costs), Some(kpis)) = (&plan.costs, &plan.kpis) else {
        let _ = writeln!(md, "**Status: {}.**\n", plan.status);
        if let Some(message) = &plan.message {
            let _ = writeln!(md, "{}\n", escape(message));
        }
        if let Some(explanation) = &plan.explanation {
            write_explanation(&mut md, explanation);
        }
        write_run(&mut md, plan);
        return md;
    };
    let verified = match &plan.verification {
        Some(v) if v.passed => format!(
            "verified independently ({} checks, worst violation {:.1e})",
            v.checks, v.worst_violation
        ),
        Some(v) => format!(
            "**failed independent verification** (worst: {})",
            v.worst_constraint
                .as_deref()
                .map(escape)
                .unwrap_or_default()
        ),
        None => "not verified".to_string(),
    };
    let first = plan.periods.first().map(String::as_str).unwrap_or("");
    let last = plan.periods.last().map(String::as_str).unwrap_or("");
    let _ = writeln!(
        md,
        "**Status: {}**, {verified}. Horizon {} – {} ({} periods).\n",
        plan.status,
        escape(first),
        escape(last),
        plan.periods.len()
    );

    let _ = writeln!(md, "## Headline\n");
    let _ = writeln!(md, "| | |\n|---|---:|");
    let _ = writeln!(md, "| Total cost | {} |", money(costs.total));
    let _ = writeln!(
        md,
        "| Demand served | {} of {} units ({}) |",
        units(kpis.served),
        units(kpis.demand),
        percent(kpis.fill_rate)
    );
    let _ = writeln!(md, "| Unmet demand | {} units |", units(kpis.unmet));
    let _ = writeln!(
        md,
        "| Average utilization | {} |",
        percent(kpis.utilization)
    );
    let _ = writeln!(
        md,
        "| Overtime used | {} capacity units |",
        units(kpis.overtime_used)
    );
    let _ = writeln!(
        md,
        "| Emissions | {} t CO2e |",
        units(kpis.emissions_kg / 1000.0)
    );
    let _ = writeln!(md);

    let _ = writeln!(md, "## Findings\n");
    for finding in findings(plan) {
        let _ = writeln!(md, "- {finding}");
    }
    let _ = writeln!(md);

    let _ = writeln!(md, "## Cost breakdown\n");
    let _ = writeln!(md, "| Component | Cost | Share |\n|---|---:|---:|");
    for (name, value) in costs.components() {
        if value.abs() > 0.005 {
            let share = if costs.total != 0.0 {
                value / costs.total
            } else {
                0.0
            };
            let _ = writeln!(md, "| {name} | {} | {} |", money(value), percent(share));
        }
    }
    let _ = writeln!(md, "| **total** | **{}** | |\n", money(costs.total));

    write_decisions(&mut md, plan);

    let _ = writeln!(md, "## Utilization by site (load / regular capacity)\n");
    let _ = write!(md, "| Site | Country |");
    for p in &plan.periods {
        let _ = write!(md, " {} |", escape(p));
    }
    let _ = write!(md, "\n|---|---|");
    for _ in &plan.periods {
        let _ = write!(md, "---:|");
    }
    let _ = writeln!(md);
    for site in &plan.sites {
        let _ = write!(md, "| {} | {} |", escape(&site.id), escape(&site.country));
        for p in &site.periods {
            let mark = if p.overtime > 0.0 { "+" } else { "" };
            let _ = write!(md, " {:.0}%{mark} |", 100.0 * p.utilization);
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "\n`+` marks periods that use overtime.\n");

    if !plan.bloc_shares.is_empty() {
        let _ = writeln!(md, "## Bloc share against targets\n");
        let _ = writeln!(md, "| Policy | Market | Product | Target | Lowest share | Where | Met |\n|---|---|---|---:|---:|---|---|");
        let mut keys: Vec<(&str, &str, &str)> = plan
            .bloc_shares
            .iter()
            .map(|r| (r.policy.as_str(), r.market.as_str(), r.product.as_str()))
            .collect();
        keys.dedup();
        for (policy, market, product) in keys {
            let rows: Vec<_> = plan
                .bloc_shares
                .iter()
                .filter(|r| r.policy == policy && r.market == market && r.product == product)
                .collect();
            let lowest = rows
                .iter()
                .filter_map(|r| r.share.map(|s| (s, r.period.as_str())))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            let met = rows.iter().filter(|r| r.met).count();
            let target = rows.first().map_or(0.0, |r| r.target);
            let (low, at) = lowest.map_or(("–".to_string(), ""), |(s, p)| (percent(s), p));
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {low} | {} | {met}/{} |",
                escape(policy),
                escape(market),
                escape(product),
                percent(target),
                escape(at),
                rows.len()
            );
        }
        let _ = writeln!(md);
    }

    write_network(&mut md, plan);

    let unmet: Vec<_> = plan.unmet.iter().filter(|u| u.unmet > 0.0).collect();
    if !unmet.is_empty() {
        let _ = writeln!(md, "## Unmet demand\n");
        let _ = writeln!(
            md,
            "| Market | Product | Period | Demand | Unmet |\n|---|---|---|---:|---:|"
        );
        for u in unmet.iter().take(30) {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                escape(&u.market),
                escape(&u.product),
                escape(&u.period),
                units(u.demand),
                units(u.unmet)
            );
        }
        if unmet.len() > 30 {
            let _ = writeln!(md, "\n… and {} more rows in `unmet.csv`.", unmet.len() - 30);
        }
        let _ = writeln!(md);
    }

    write_stranded(&mut md, plan);
    write_shadow_prices(&mut md, plan);

    if !plan.policies.is_empty() {
        let _ = writeln!(md, "## Policies\n");
        let _ = writeln!(
            md,
            "| Policy | Kind | Rows | Binding | Soft slack used |\n|---|---|---:|---:|---:|"
        );
        for p in &plan.policies {
            let slack = if p.soft {
                format!("{:.1}", p.slack)
            } else {
                "hard".to_string()
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {slack} |",
                escape(&p.name),
                escape(&p.kind),
                p.rows,
                p.binding_rows
            );
        }
        let _ = writeln!(md);
    }
    write_run(&mut md, plan);
    md
}

fn write_explanation(md: &mut String, explanation: &crate::plan::Explanation) {
    let _ = writeln!(md, "## Why the model is infeasible\n");
    if !explanation.members.is_empty() {
        let _ = writeln!(
            md,
            "These rules conflict (giving up any one of them resolves it):\n"
        );
        for member in &explanation.members {
            match member.name == member.kind {
                true => writeln!(md, "- {}", escape(&member.name)),
                false => writeln!(md, "- {} ({})", escape(&member.name), escape(&member.kind)),
            }
            .unwrap_or(());
        }
        let _ = writeln!(md);
    }
    if !explanation.findings.is_empty() {
        let _ = writeln!(md, "What each would have to give, every other rule held:\n");
        for finding in &explanation.findings {
            let _ = writeln!(md, "- {}", escape(&finding.sentence));
        }
        let _ = writeln!(md);
    }
    for note in &explanation.notes {
        let _ = writeln!(md, "_{}_\n", escape(note));
    }
}

/// Stock piling up at the end of the horizon; nothing when there is none.
fn write_stranded(md: &mut String, plan: &Plan) {
    let Some(first) = plan.stranded.first() else {
        return;
    };
    let _ = writeln!(md, "## Stranded stock\n");
    let _ = writeln!(
        md,
        "Stock still held at the end of the horizon ({}): made, or held from the start, and never shipped.\n",
        escape(&first.period)
    );
    let _ = writeln!(
        md,
        "| Site | Product | Initial | Made | Shipped | End stock | Made, never shipped |\n|---|---|---:|---:|---:|---:|---:|"
    );
    for r in plan.stranded.iter().take(30) {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            escape(&r.site),
            escape(&r.product),
            units(r.initial),
            units(r.produced),
            units(r.shipped),
            units(r.end_stock),
            units(r.never_shipped)
        );
    }
    if plan.stranded.len() > 30 {
        let _ = writeln!(
            md,
            "\n… and {} more rows in `stranded.csv`.",
            plan.stranded.len() - 30
        );
    }
    let _ = writeln!(md);
}

fn write_shadow_prices(md: &mut String, plan: &Plan) {
    let _ = writeln!(md, "## Shadow prices\n");
    let Some(sp) = &plan.shadow_prices else {
        let note = plan
            .duals_note
            .as_deref()
            .unwrap_or("the solver gave no shadow prices");
        let _ = writeln!(md, "None: {}.\n", escape(note));
        return;
    };
    if let Some(basis) = &sp.basis {
        let _ = writeln!(md, "Shadow prices from {}.\n", escape(basis));
    }
    if sp.capacity.is_empty()
        && sp.bloc_share.is_empty()
        && sp.policies.is_empty()
        && !has_network_prices(sp)
    {
        let _ = writeln!(md, "No capacity or policy row is binding with a price.\n");
    }
    if !sp.capacity.is_empty() {
        let _ = writeln!(
            md,
            "Value of one more capacity unit (top {}):\n",
            sp.capacity.len().min(10)
        );
        let _ = writeln!(
            md,
            "| Site | Period | $ per capacity unit |\n|---|---|---:|"
        );
        for c in sp.capacity.iter().take(10) {
            let _ = writeln!(
                md,
                "| {} | {} | {} |",
                escape(&c.site),
                escape(&c.period),
                money(c.value)
            );
        }
        let _ = writeln!(md);
    }
    if !sp.bloc_share.is_empty() {
        let _ = writeln!(
            md,
            "Cost of one more percentage point of bloc share (top {}):\n",
            sp.bloc_share.len().min(10)
        );
        let _ = writeln!(
            md,
            "| Policy | Market | Product | Period | $ per point |\n|---|---|---|---|---:|"
        );
        for b in sp.bloc_share.iter().take(10) {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                escape(&b.policy),
                escape(&b.market),
                escape(&b.product),
                escape(&b.period),
                money(b.cost_per_point)
            );
        }
        let _ = writeln!(md);
    }
    if !sp.policies.is_empty() {
        let _ = writeln!(
            md,
            "Saving from relaxing a binding policy row by one unit (top {}):\n",
            sp.policies.len().min(10)
        );
        let _ = writeln!(md, "| Row | Kind | $ per unit | Unit |\n|---|---|---:|---|");
        for p in sp.policies.iter().take(10) {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                escape(&p.row),
                escape(&p.kind),
                money(p.value),
                escape(&p.unit)
            );
        }
        let _ = writeln!(md);
    }
    write_network_prices(md, sp);
}

fn write_run(md: &mut String, plan: &Plan) {
    let m = &plan.metadata;
    let _ = writeln!(md, "## Run\n");
    let _ = writeln!(
        md,
        "{} {} · solver {} · {} variables, {} rows, {} non-zeros\n",
        m.tool,
        m.tool_version,
        m.solver,
        group(m.variables as u64),
        group(m.rows as u64),
        group(m.nonzeros as u64),
    );
    if let Some(note) = &m.solver_note {
        let _ = writeln!(md, "Note: {}.\n", escape(note));
    }
    let _ = writeln!(md, "| Input | SHA-256 |\n|---|---|");
    for f in &m.inputs {
        let _ = writeln!(
            md,
            "| {} | {} |",
            escape(&f.path),
            crate::fmt::markdown_code(&f.sha256.chars().take(16).collect::<String>())
        );
    }
}
