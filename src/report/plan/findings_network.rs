//! The findings of a multi-tier plan: regional value content per site and product (its
//! tightest window, and where the component value came from), the busiest named
//! resource, lanes and throughput at capacity, and the price of one more point of value
//! content. Ids are Markdown-escaped, as in every finding.

use super::network_summary::{hubs, lanes, resources, value_groups_by_margin, ValueGroup};
use crate::fmt::{escape_markdown as escape, money, pct, percent, target_pct};
use crate::plan::{Plan, ValueContentRow};

/// Value-content sentences, tightest first; the rest are counted in one more.
const VALUE_SHOWN: usize = 4;
/// Lanes or hubs named in a sentence; the rest are counted.
const FULL_SHOWN: usize = 3;

/// Sentences on the multi-tier part of the plan; none for a one-tier plan.
pub fn network_findings(plan: &Plan, out: &mut Vec<String>) {
    let Some(net) = &plan.network else { return };
    let groups: Vec<ValueGroup> = value_groups_by_margin(net)
        .into_iter()
        .filter(|g| g.tightest().is_some())
        .collect();
    for g in groups.iter().take(VALUE_SHOWN) {
        if let Some(sentence) = value_sentence(g) {
            out.push(sentence);
        }
    }
    if groups.len() > VALUE_SHOWN {
        let rest = &groups[VALUE_SHOWN..];
        let missed = rest.iter().filter(|g| g.missed() > 0).count();
        out.push(format!(
            "{} more site–product pairs are checked for value content ({} with a missed window; see value_content.csv).",
            rest.len(),
            missed
        ));
    }
    let busiest = resources(net)
        .into_iter()
        .find(|r| r.resource != "default" && r.peak.is_some_and(|(_, u)| u > 0.0));
    if let Some((r, (period, u))) = busiest.and_then(|r| r.peak.map(|p| (r, p))) {
        out.push(format!(
            "The busiest named resource is {} at {}: {} of its capacity in {}.",
            escape(r.resource),
            escape(r.site),
            percent(u),
            escape(period)
        ));
    }
    let full_lanes: Vec<String> = lanes(net)
        .iter()
        .filter(|l| l.full > 0)
        .map(|l| {
            let mode = l
                .mode
                .map(|m| format!(" ({})", escape(m)))
                .unwrap_or_default();
            format!(
                "{} → {}{mode} {}",
                escape(l.from),
                escape(l.to),
                periods_phrase(l.full, l.first_full)
            )
        })
        .collect();
    if !full_lanes.is_empty() {
        out.push(format!(
            "Lanes at capacity: {}.",
            listed(&full_lanes, "lanes")
        ));
    }
    let full_hubs: Vec<String> = hubs(net)
        .iter()
        .filter(|h| h.full > 0)
        .map(|h| {
            format!(
                "{} {}",
                escape(h.site),
                periods_phrase(h.full, h.first_full)
            )
        })
        .collect();
    if !full_hubs.is_empty() {
        out.push(format!(
            "Throughput at capacity: {}.",
            listed(&full_hubs, "sites")
        ));
    }
    if let Some(sp) = &plan.shadow_prices {
        let dearest = sp
            .value_content
            .iter()
            .max_by(|a, b| a.cost_per_point.abs().total_cmp(&b.cost_per_point.abs()));
        if let Some(v) = dearest.filter(|v| v.cost_per_point != 0.0) {
            out.push(format!(
                "One more point of {} value content for {} {} {} would cost {}.",
                escape(&v.policy),
                escape(&v.site),
                escape(&v.product),
                window(&v.period),
                money(v.cost_per_point)
            ));
        }
    }
}

/// `in 2027-05`, or `over the horizon`.
fn window(period: &str) -> String {
    if period == "horizon" {
        "over the horizon".to_string()
    } else {
        format!("in {}", escape(period))
    }
}

/// `in 2027-02`, or `in 3 periods from 2027-02`.
fn periods_phrase(full: usize, first: Option<&str>) -> String {
    let first = escape(first.unwrap_or(""));
    if full == 1 {
        format!("in {first}")
    } else {
        format!("in {full} periods from {first}")
    }
}

/// The first few items joined with `; `, and how many more.
fn listed(items: &[String], what: &str) -> String {
    let mut text = items
        .iter()
        .take(FULL_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if items.len() > FULL_SHOWN {
        text.push_str(&format!("; and {} more {what}", items.len() - FULL_SHOWN));
    }
    text
}

/// One sentence on a (rule, site, product): its tightest window, met or missed, and the
/// largest source of its component value there.
pub fn value_sentence(g: &ValueGroup) -> Option<String> {
    let row = g.tightest()?;
    let margin = row.margin_points?;
    let rule = format!(
        "{} RVC {}",
        escape(&g.bloc.to_uppercase()),
        target_pct(g.target)
    );
    let at = window(&row.period);
    let head = format!("{} {}", escape(g.site), escape(g.product));
    let mut text = if !row.met {
        let windows = if g.rows.len() > 1 {
            format!(" (missed in {} of {} windows)", g.missed(), g.rows.len())
        } else {
            String::new()
        };
        format!(
            "{head} falls {:.1} points short of {rule} {at}{windows}",
            margin.abs()
        )
    } else if margin < 0.05 {
        format!("{head} meets {rule} exactly {at}")
    } else {
        format!("{head} meets {rule} with {margin:.1} points to spare {at}")
    };
    match top_source(row) {
        Some(s) => text.push_str(&format!(
            "; {} from {} are {} of its component value.",
            escape(&s.component),
            escape(&s.source),
            pct(s.share)
        )),
        None => text.push('.'),
    }
    Some(text)
}

/// The largest source of a row's component value (the first of equals).
fn top_source(row: &ValueContentRow) -> Option<&crate::plan::ComponentSource> {
    row.sources
        .iter()
        .filter(|s| s.share > 0.0)
        .reduce(|best, s| if s.share > best.share { s } else { best })
}

#[cfg(test)]
mod tests {
    use super::super::network_summary::value_groups;
    use super::*;
    use crate::plan::{ComponentSource, NetworkPlan};

    fn row(period: &str, share: f64, sources: &[(&str, &str, f64)]) -> ValueContentRow {
        let target = 0.75;
        ValueContentRow {
            policy: "rvc".into(),
            bloc: "usmca".into(),
            site: "saltillo".into(),
            product: "battery-pack".into(),
            period: period.into(),
            produced: 10.0,
            value: 90_000.0,
            value_added: 30_000.0,
            regional_components: 90_000.0 * share - 30_000.0,
            other_components: 90_000.0 * (1.0 - share),
            share: Some(share),
            target,
            margin_points: Some(100.0 * (share - target)),
            met: share + 1e-9 >= target,
            tariff_paid: None,
            sources: sources
                .iter()
                .map(|(component, source, share)| ComponentSource {
                    component: component.to_string(),
                    source: source.to_string(),
                    country: "CN".into(),
                    regional: false,
                    value: 60_000.0 * share,
                    share: *share,
                })
                .collect(),
        }
    }

    fn group(rows: Vec<ValueContentRow>) -> Option<String> {
        let net = NetworkPlan {
            value_content: rows,
            ..NetworkPlan::default()
        };
        value_groups(&net).first().and_then(value_sentence)
    }

    #[test]
    fn met_rows_say_the_tightest_margin_and_the_largest_source() {
        let text = group(vec![
            row("2027-04", 0.80, &[("cells", "busan", 0.5)]),
            row(
                "2027-05",
                0.781,
                &[("cells", "busan", 0.3), ("cells", "ningbo", 0.41)],
            ),
        ]);
        assert_eq!(
            text.as_deref(),
            Some("saltillo battery-pack meets USMCA RVC 75% with 3.1 points to spare in 2027-05; cells from ningbo are 41% of its component value.")
        );
    }

    #[test]
    fn a_miss_names_the_shortfall_and_how_many_windows() {
        let text = group(vec![
            row("2027-04", 0.80, &[]),
            row("2027-05", 0.73, &[]),
            row("2027-06", 0.74, &[]),
        ]);
        assert_eq!(
            text.as_deref(),
            Some("saltillo battery-pack falls 2.0 points short of USMCA RVC 75% in 2027-05 (missed in 2 of 3 windows).")
        );
        let text = group(vec![row("horizon", 0.75, &[("a|b", "x_y", 1.0)])]);
        assert_eq!(
            text.as_deref(),
            Some("saltillo battery-pack meets USMCA RVC 75% exactly over the horizon; a\\|b from x\\_y are 100% of its component value.")
        );
    }

    #[test]
    fn nothing_made_says_nothing() {
        let mut r = row("2027-04", 0.8, &[]);
        r.share = None;
        r.margin_points = None;
        assert_eq!(group(vec![r]), None);
    }
}
