//! The findings of a plan: plain sentences on what matters most, shared by `report.md`
//! and `report.html`. Ids in them are Markdown-escaped. The multi-tier sentences are in
//! [`super::findings_network`], those on decisions over the horizon in [`super::decisions`].

use super::decisions::decision_findings;
use super::findings_network::network_findings;
use crate::fmt::{escape_markdown as escape, money, percent, units};
use crate::plan::{Plan, StrandedRow};

/// Soft-policy slack below this (in the policy's units) is solver noise, not a finding.
const SLACK_REPORTED: f64 = 0.05;
/// Units (of demand, or of overtime) below this show as `0`: not a finding.
const UNITS_REPORTED: f64 = 0.5;
/// Stranded stock findings, largest first; the rest are counted in one more.
const STRANDED_SHOWN: usize = 3;

/// Plain sentences on what matters most in the plan.
pub fn findings(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(kpis) = &plan.kpis {
        if kpis.unmet >= UNITS_REPORTED {
            let mut worst = plan
                .unmet
                .iter()
                .filter(|u| u.unmet > 0.0)
                .collect::<Vec<_>>();
            worst.sort_by(|a, b| b.unmet.total_cmp(&a.unmet));
            if let Some(w) = worst.first() {
                out.push(format!(
                    "{} units of demand go unmet ({} of demand); the largest gap is {} {} in {} ({} units).",
                    units(kpis.unmet),
                    percent(1.0 - kpis.fill_rate),
                    escape(&w.market),
                    escape(&w.product),
                    escape(&w.period),
                    units(w.unmet)
                ));
            }
        } else {
            out.push("All demand is served.".to_string());
        }
    }
    stranded(plan, &mut out);
    decision_findings(plan, &mut out);
    let busiest = plan
        .sites
        .iter()
        .flat_map(|s| s.periods.iter().map(move |p| (s, p)))
        .filter(|(_, p)| p.capacity > 0.0)
        .max_by(|a, b| a.1.utilization.total_cmp(&b.1.utilization));
    if let Some((site, p)) = busiest {
        let overtime = if p.overtime >= UNITS_REPORTED {
            format!(", using {} overtime units", units(p.overtime))
        } else {
            String::new()
        };
        out.push(format!(
            "The busiest site is {} ({}) at {} of regular capacity in {}{overtime}.",
            escape(&site.id),
            escape(&site.country),
            percent(p.utilization),
            escape(&p.period)
        ));
    }
    if let Some(sp) = &plan.shadow_prices {
        if let Some(c) = sp.capacity.first() {
            let load = plan
                .sites
                .iter()
                .find(|s| s.id == c.site)
                .and_then(|s| s.periods.iter().find(|p| p.period == c.period))
                .map(|p| {
                    format!(
                        " runs at {} of regular capacity in {}:",
                        percent(p.utilization),
                        escape(&p.period)
                    )
                })
                .unwrap_or_default();
            out.push(format!(
                "{}{load} one more capacity unit there is worth {}, the most of any site and period.",
                escape(&c.site),
                money(c.value)
            ));
        }
        if let Some(b) = sp.bloc_share.first() {
            out.push(format!(
                "One more point of {} for {} / {} in {} would cost {}.",
                escape(&b.policy),
                escape(&b.market),
                escape(&b.product),
                escape(&b.period),
                money(b.cost_per_point)
            ));
        }
    }
    // A site is idle when it makes nothing (its load alone would call a site that loads
    // only named resources idle).
    let idle: Vec<String> = plan
        .sites
        .iter()
        .filter(|s| s.periods.iter().all(|p| p.load <= 0.0))
        .filter(|s| {
            !plan
                .production
                .iter()
                .any(|r| r.site == s.id && r.quantity > 0.0)
        })
        .map(|s| escape(&s.id))
        .collect();
    if !idle.is_empty() {
        out.push(format!("Not used at all: {}.", idle.join(", ")));
    }
    let missed: Vec<_> = plan.bloc_shares.iter().filter(|r| !r.met).collect();
    if !plan.bloc_shares.is_empty() {
        if missed.is_empty() {
            let tight = plan
                .bloc_shares
                .iter()
                .filter(|r| r.share.is_some_and(|s| s - r.target < 1e-6))
                .count();
            out.push(format!(
                "Every bloc-share target is met ({} checks); {} sit exactly on the target.",
                plan.bloc_shares.len(),
                tight
            ));
        } else {
            out.push(format!(
                "{} bloc-share targets are missed (soft policies), e.g. {} {} in {} at {} against {}.",
                missed.len(),
                escape(&missed[0].market),
                escape(&missed[0].product),
                escape(&missed[0].period),
                missed[0].share.map(percent).unwrap_or_default(),
                percent(missed[0].target)
            ));
        }
    }
    network_findings(plan, &mut out);
    let binding: Vec<String> = plan
        .policies
        .iter()
        .filter(|p| p.binding_rows > 0)
        .map(|p| {
            format!(
                "{} ({} of {} rows)",
                escape(&p.name),
                p.binding_rows,
                p.rows
            )
        })
        .collect();
    if !binding.is_empty() {
        out.push(format!("Binding policies: {}.", binding.join(", ")));
    }
    for p in plan
        .policies
        .iter()
        .filter(|p| p.soft && p.slack > SLACK_REPORTED)
    {
        out.push(format!(
            "Soft policy {} is relaxed by {:.1} units at {} per unit.",
            escape(&p.name),
            p.slack,
            money(p.penalty.unwrap_or(0.0))
        ));
    }
    out
}

/// Stock piling up at the end of the horizon: one sentence for each of the largest piles,
/// then one counting the rest.
fn stranded(plan: &Plan, out: &mut Vec<String>) {
    let mut rows: Vec<&StrandedRow> = plan
        .stranded
        .iter()
        .filter(|r| r.end_stock >= UNITS_REPORTED)
        .collect();
    rows.sort_by(|a, b| b.end_stock.total_cmp(&a.end_stock));
    for r in rows.iter().take(STRANDED_SHOWN) {
        out.push(if r.never_shipped >= UNITS_REPORTED {
            format!(
                "{} made {} units of {} that never shipped: {} units sit in stock at the end of {}.",
                escape(&r.site),
                units(r.never_shipped),
                escape(&r.product),
                units(r.end_stock),
                escape(&r.period)
            )
        } else {
            format!(
                "{} never shipped {} units of its initial stock of {}: they sit in stock at the end of {}.",
                escape(&r.site),
                units(r.end_stock),
                escape(&r.product),
                escape(&r.period)
            )
        });
    }
    if let Some(rest) = rows.get(STRANDED_SHOWN..).filter(|rest| !rest.is_empty()) {
        out.push(format!(
            "Stock also sits unshipped at the end of the horizon for {} more site–product pairs: {} units (see stranded.csv).",
            rest.len(),
            units(rest.iter().map(|r| r.end_stock).sum())
        ));
    }
}
