//! The table sections of `report.html`: shipments by lane, stranded stock, policies,
//! shadow prices, verification and the run.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::html_network::network_price_panels;
use super::html_parts::{distinct, status_pill, Palette, MAX_LANES};
use super::network_summary::has_network_prices;
use crate::fmt::{count, escape_html as escape, group, money, money_short, percent, units};
use crate::plan::Plan;

pub fn shipments_section(b: &mut String, plan: &Plan, palette: &Palette) {
    struct Lane<'a> {
        from: &'a str,
        to: &'a str,
        product: &'a str,
        units: f64,
        cost: f64,
        periods: Vec<&'a str>,
    }
    let mut lanes: Vec<Lane> = Vec::new();
    let mut at: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for s in &plan.shipments {
        let key = (s.from.as_str(), s.to.as_str(), s.product.as_str());
        let i = *at.entry(key).or_insert_with(|| {
            lanes.push(Lane {
                from: key.0,
                to: key.1,
                product: key.2,
                units: 0.0,
                cost: 0.0,
                periods: Vec::new(),
            });
            lanes.len() - 1
        });
        let lane = &mut lanes[i];
        lane.units += s.quantity;
        lane.cost += s.quantity * s.unit_cost;
        if !lane.periods.contains(&s.departure.as_str()) {
            lane.periods.push(s.departure.as_str());
        }
    }
    lanes.retain(|l| l.units >= 0.5);
    lanes.sort_by(|a, b| {
        b.units
            .total_cmp(&a.units)
            .then_with(|| (a.from, a.to, a.product).cmp(&(b.from, b.to, b.product)))
    });
    let total_units: f64 = lanes.iter().map(|l| l.units).sum();
    let total_cost: f64 = lanes.iter().map(|l| l.cost).sum();
    let _ = writeln!(
        b,
        "<h2 id=\"shipments\">Shipments by lane</h2><p class=\"lead\">{} lane–product flows carrying {} units, largest first. Lane cost is freight, tariff, duty and carbon (production cost not included).</p>",
        lanes.len(),
        units(total_units)
    );
    if lanes.is_empty() {
        b.push_str("<p class=\"note\">Nothing is shipped.</p>\n");
        return;
    }
    let country: BTreeMap<&str, &str> = plan
        .sites
        .iter()
        .map(|s| (s.id.as_str(), s.country.as_str()))
        .collect();
    let n_t = plan.periods.len();
    let max_units = lanes.first().map_or(1.0, |l| l.units.max(1.0));
    b.push_str("<div class=\"panel\"><table><tr><th>From</th><th>To</th><th>Product</th><th class=\"num\">Units</th><th></th><th class=\"num\">Periods active</th><th class=\"num\">Lane cost / unit</th><th class=\"num\">Lane cost</th></tr>");
    for l in lanes.iter().take(MAX_LANES) {
        let c = country.get(l.from).copied().unwrap_or("");
        let _ = write!(
            b,
            "<tr><td class=\"id\"><span class=\"sw\" style=\"background:{}\" title=\"{}\"></span>{} <span class=\"meta\">{}</span></td><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"num\">{}</td><td style=\"width:110px\"><span class=\"bar\" style=\"width:{}px;background:{}\"></span></td><td class=\"num\">{} of {n_t}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            palette.color(c),
            escape(c),
            escape(l.from),
            escape(c),
            escape(l.to),
            escape(l.product),
            units(l.units),
            (100.0 * l.units / max_units).round().max(1.0),
            palette.color(c),
            l.periods.len(),
            money(if l.units > 0.0 { l.cost / l.units } else { 0.0 }),
            money(l.cost)
        );
    }
    if lanes.len() > MAX_LANES {
        let rest = &lanes[MAX_LANES..];
        let _ = write!(
            b,
            "<tr><td colspan=\"3\" class=\"meta\">… {} smaller flows (all in shipments.csv)</td><td class=\"num\">{}</td><td></td><td></td><td></td><td class=\"num\">{}</td></tr>",
            rest.len(),
            units(rest.iter().map(|l| l.units).sum()),
            money(rest.iter().map(|l| l.cost).sum())
        );
    }
    let _ = writeln!(
        b,
        "<tr class=\"total\"><td colspan=\"3\">total</td><td class=\"num\">{}</td><td></td><td></td><td></td><td class=\"num\">{}</td></tr></table></div>",
        units(total_units),
        money(total_cost)
    );
}

/// Stock piling up at the end of the horizon; nothing when there is none.
pub fn stranded_section(b: &mut String, plan: &Plan) {
    let Some(first) = plan.stranded.first() else {
        return;
    };
    let total: f64 = plan.stranded.iter().map(|r| r.end_stock).sum();
    let _ = writeln!(
        b,
        "<h2 id=\"stranded\">Stranded stock</h2><p class=\"lead\">{} units still held at the end of the horizon ({}): made, or held from the start, and never shipped.</p>",
        units(total),
        escape(&first.period)
    );
    b.push_str("<div class=\"panel\"><table><tr><th>Site</th><th>Product</th><th class=\"num\">Initial</th><th class=\"num\">Made</th><th class=\"num\">Shipped</th><th class=\"num\">End stock</th><th class=\"num\">Made, never shipped</th></tr>");
    for r in plan.stranded.iter().take(MAX_LANES) {
        let _ = write!(
            b,
            "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\"><b>{}</b></td><td class=\"num\">{}</td></tr>",
            escape(&r.site),
            escape(&r.product),
            units(r.initial),
            units(r.produced),
            units(r.shipped),
            units(r.end_stock),
            units(r.never_shipped)
        );
    }
    if plan.stranded.len() > MAX_LANES {
        let _ = write!(
            b,
            "<tr><td colspan=\"7\" class=\"meta\">… {} more (all in stranded.csv)</td></tr>",
            plan.stranded.len() - MAX_LANES
        );
    }
    b.push_str("</table></div>\n");
}

pub fn policies_section(b: &mut String, plan: &Plan) {
    let _ = writeln!(b, "<h2 id=\"policies\">Policies</h2>");
    if plan.policies.is_empty() {
        b.push_str("<p class=\"note\">The model has no policies.</p>\n");
        return;
    }
    let _ = writeln!(
        b,
        "<p class=\"lead\">Rows each policy added to the LP and how many bind (hold with equality) at the optimum; binding policies are what the plan pushes against.</p>"
    );
    b.push_str("<div class=\"panel\"><table><tr><th>Policy</th><th>Kind</th><th>Type</th><th class=\"num\">Rows</th><th class=\"num\">Binding</th><th class=\"num\">Slack used</th><th>Binding rows, e.g.</th></tr>");
    for p in &plan.policies {
        let kind = if p.soft {
            format!("soft, {} per unit", money_short(p.penalty.unwrap_or(0.0)))
        } else {
            "hard".to_string()
        };
        let slack = if p.soft {
            if p.slack >= 0.05 {
                format!("<b>{}</b>", count(p.slack, 0.1))
            } else {
                "0".to_string()
            }
        } else {
            "–".to_string()
        };
        let examples: Vec<String> = p
            .binding_examples
            .iter()
            .take(3)
            .map(|e| format!("<span class=\"mono\">{}</span>", escape(e)))
            .collect();
        let more = if p.binding_rows > examples.len() {
            format!(" … +{}", p.binding_rows - examples.len())
        } else {
            String::new()
        };
        let binding = if p.binding_rows > 0 {
            format!("<b>{}</b>", p.binding_rows)
        } else {
            "0".to_string()
        };
        let _ = write!(
            b,
            "<tr><td class=\"id\"><b>{}</b></td><td>{}</td><td>{kind}</td><td class=\"num\">{}</td><td class=\"num\">{binding}</td><td class=\"num\">{slack}</td><td class=\"id\">{}{more}</td></tr>",
            escape(&p.name),
            escape(&p.kind),
            p.rows,
            examples.join(", ")
        );
    }
    b.push_str("</table></div>\n");
}

pub fn shadow_section(b: &mut String, plan: &Plan) {
    let _ = writeln!(b, "<h2 id=\"prices\">Shadow prices</h2>");
    let Some(sp) = &plan.shadow_prices else {
        let note = plan
            .duals_note
            .as_deref()
            .unwrap_or("the solver gave no shadow prices");
        let _ = writeln!(
            b,
            "<p class=\"note\">No shadow prices in this plan: {}.</p>",
            escape(note)
        );
        return;
    };
    let _ = writeln!(
        b,
        "<p class=\"lead\">What one more unit of a binding limit is worth at the optimum (from the solver's duals). Top 10 of each kind.</p>"
    );
    if let Some(basis) = &sp.basis {
        let _ = writeln!(
            b,
            "<p class=\"note\">Shadow prices from {}.</p>",
            escape(basis)
        );
    }
    if sp.capacity.is_empty()
        && sp.bloc_share.is_empty()
        && sp.policies.is_empty()
        && !has_network_prices(sp)
    {
        b.push_str("<p class=\"note\">No capacity or policy row is binding with a price.</p>\n");
    }
    b.push_str("<div class=\"tables\">");
    if !sp.capacity.is_empty() {
        let _ = write!(
            b,
            "<div class=\"panel\"><h3 style=\"margin-top:0\">One more capacity unit</h3><p class=\"meta\">{} site-periods with a price</p><table><tr><th>Site</th><th>Period</th><th class=\"num\">$ / capacity unit</th><th class=\"num\">Utilization</th></tr>",
            sp.capacity.len()
        );
        for c in sp.capacity.iter().take(10) {
            let util = plan
                .sites
                .iter()
                .find(|s| s.id == c.site)
                .and_then(|s| s.periods.iter().find(|p| p.period == c.period))
                .map_or("–".to_string(), |p| percent(p.utilization));
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"nw\">{}</td><td class=\"num\">{}</td><td class=\"num\">{util}</td></tr>",
                escape(&c.site),
                escape(&c.period),
                money(c.value)
            );
        }
        b.push_str("</table></div>");
    }
    if !sp.bloc_share.is_empty() {
        let _ = write!(
            b,
            "<div class=\"panel\"><h3 style=\"margin-top:0\">One more point of bloc share</h3><p class=\"meta\">{} binding targets</p><table><tr><th>Market</th><th>Product</th><th>Period</th><th class=\"num\">$ / point</th></tr>",
            sp.bloc_share.len()
        );
        for s in sp.bloc_share.iter().take(10) {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"nw\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&s.market),
                escape(&s.product),
                escape(&s.period),
                money(s.cost_per_point)
            );
        }
        let policies = distinct(sp.bloc_share.iter().map(|s| s.policy.as_str()));
        let names: Vec<String> = policies.iter().map(|p| escape(p)).collect();
        let _ = write!(
            b,
            "</table><p class=\"meta\">Policy: {}</p></div>",
            names.join(", ")
        );
    }
    if !sp.policies.is_empty() {
        let _ = write!(
            b,
            "<div class=\"panel\"><h3 style=\"margin-top:0\">Relaxing a policy row by one unit</h3><p class=\"meta\">{} rows with a price</p><table><tr><th>Row</th><th class=\"num\">$ saved</th><th>per</th></tr>",
            sp.policies.len()
        );
        for p in sp.policies.iter().take(10) {
            let _ = write!(
                b,
                "<tr><td class=\"id mono\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                escape(&p.row),
                money(p.value),
                escape(&p.unit)
            );
        }
        b.push_str("</table></div>");
    }
    if !sp.demand.is_empty() {
        let mut demand: Vec<_> = sp.demand.iter().collect();
        demand.sort_by(|a, b| b.marginal_cost.total_cmp(&a.marginal_cost));
        let _ = write!(
            b,
            "<div class=\"panel\"><h3 style=\"margin-top:0\">One more unit of demand</h3><p class=\"meta\">most expensive of {} market-product-periods</p><table><tr><th>Market</th><th>Product</th><th>Period</th><th class=\"num\">$ / unit</th></tr>",
            demand.len()
        );
        for d in demand.iter().take(10) {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"nw\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&d.market),
                escape(&d.product),
                escape(&d.period),
                money(d.marginal_cost)
            );
        }
        b.push_str("</table></div>");
    }
    network_price_panels(b, sp);
    b.push_str("</div>\n");
    if !sp.reduced_costs.is_empty() {
        let _ = writeln!(
            b,
            "<p class=\"meta\">{} variables have a nonzero reduced cost (see <code>plan.json</code>).</p>",
            sp.reduced_costs.len()
        );
    }
}

pub fn verification_section(b: &mut String, plan: &Plan) {
    let _ = writeln!(b, "<h2 id=\"verification\">Independent verification</h2>");
    let Some(v) = &plan.verification else {
        b.push_str("<p class=\"note\">This plan was not verified.</p>\n");
        return;
    };
    let _ = writeln!(
        b,
        "<p class=\"note {}\">{} Every constraint was re-checked against the input with plain arithmetic, outside the solver: {} checks; \
         worst violation {:.1e} relative{}. Objective reported {}, recomputed {} (gap {:.1e}).</p>",
        if v.passed { "good" } else { "badn" },
        if v.passed {
            "<b>Passed.</b>"
        } else {
            "<b>Failed.</b>"
        },
        group(v.checks as u64),
        v.worst_violation,
        v.worst_constraint
            .as_deref()
            .map(|c| format!(" at <span class=\"id\">{}</span>", escape(c)))
            .unwrap_or_default(),
        money(v.objective_reported),
        money(v.objective_recomputed),
        v.objective_gap
    );
    if !v.violations.is_empty() {
        b.push_str("<div class=\"panel\"><table><tr><th>Violated constraint</th><th class=\"num\">By</th></tr>");
        for x in &v.violations {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"num\">{:.3e}</td></tr>",
                escape(&x.constraint),
                x.amount
            );
        }
        b.push_str("</table></div>\n");
    }
}

pub fn run_section(b: &mut String, plan: &Plan) {
    let m = &plan.metadata;
    let _ = writeln!(b, "<h2 id=\"run\">Run</h2>");
    b.push_str("<div class=\"tables\"><div class=\"panel\"><table>");
    let rows: Vec<(&str, String)> = vec![
        (
            "Tool",
            format!("{} {}", escape(&m.tool), escape(&m.tool_version)),
        ),
        ("Model", escape(&m.model_name)),
        ("Status", status_pill(&plan.status)),
        (
            "Solver",
            format!(
                "{}{}",
                escape(&m.solver),
                m.time_limit_s
                    .map(|t| format!(" (time limit {t} s)"))
                    .unwrap_or_default()
            ),
        ),
        (
            "Size",
            format!(
                "{} variables · {} rows · {} non-zeros",
                group(m.variables as u64),
                group(m.rows as u64),
                group(m.nonzeros as u64)
            ),
        ),
        (
            "Overrides",
            if m.overrides.is_empty() {
                "none".to_string()
            } else {
                m.overrides
                    .iter()
                    .map(|o| format!("<span class=\"mono\">{}</span>", escape(o)))
                    .collect::<Vec<_>>()
                    .join("<br>")
            },
        ),
    ];
    for (k, v) in rows {
        let _ = write!(
            b,
            "<tr><th style=\"width:110px\">{k}</th><td class=\"id\">{v}</td></tr>"
        );
    }
    b.push_str("</table></div><div class=\"panel\"><table><tr><th>Input file</th><th>SHA-256 (first 16)</th></tr>");
    for f in &m.inputs {
        let sha: String = f.sha256.chars().take(16).collect();
        let _ = write!(
            b,
            "<tr><td class=\"id mono\">{}</td><td class=\"mono\">{}</td></tr>",
            escape(&f.path),
            escape(&sha)
        );
    }
    b.push_str("</table></div></div>\n");
    let _ = writeln!(
        b,
        "<footer>Generated by {} {} from the plan alone; re-render with <code>allyplan report plan.json</code>.</footer>",
        escape(&m.tool),
        escape(&m.tool_version)
    );
}
