//! Pieces shared by the sections of `report.html`: sizes, the country palette, period
//! positions and labels, and the status pill.

use std::collections::BTreeMap;

use crate::fmt::escape_html as escape;
use crate::plan::{Plan, PlanStatus};
use crate::report::chart::{OVERSEAS_COLORS, USMCA_COLORS};

/// Rows of the shipments table; the rest are summed in one row.
pub const MAX_LANES: usize = 60;

/// Width of full-width charts and of the small multiples (3 a row), in px.
pub const FULL_W: f64 = 1100.0;
pub const SMALL_W: f64 = 356.0;
pub const SMALL_H: f64 = 190.0;

pub fn is_usmca(country: &str) -> bool {
    USMCA_COLORS.iter().any(|(c, _)| *c == country)
}

/// One colour per origin country, in order of first appearance in the plan's sites.
pub struct Palette {
    pub countries: Vec<(String, String)>,
}

impl Palette {
    pub fn new(plan: &Plan) -> Palette {
        let mut countries: Vec<(String, String)> = Vec::new();
        let mut warm = 0;
        for site in &plan.sites {
            if countries.iter().any(|(c, _)| *c == site.country) {
                continue;
            }
            let color =
                if let Some((_, color)) = USMCA_COLORS.iter().find(|(c, _)| *c == site.country) {
                    (*color).to_string()
                } else {
                    warm += 1;
                    OVERSEAS_COLORS[(warm - 1) % OVERSEAS_COLORS.len()].to_string()
                };
            countries.push((site.country.clone(), color));
        }
        // USMCA first (US, MX, CA), then overseas in order of appearance.
        countries.sort_by_key(|(c, _)| {
            USMCA_COLORS
                .iter()
                .position(|(u, _)| u == c)
                .unwrap_or(USMCA_COLORS.len())
        });
        Palette { countries }
    }
    pub fn color(&self, country: &str) -> &str {
        self.countries
            .iter()
            .find(|(c, _)| c == country)
            .map_or("#adb5bd", |(_, color)| color.as_str())
    }
}

/// Position of each period label.
pub fn period_index(plan: &Plan) -> BTreeMap<&str, usize> {
    plan.periods
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect()
}

/// Distinct values in order of first appearance.
pub fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The legend's note on the axes of small multiples, which have no axis titles.
pub fn axes_note(plan: &Plan, y: &str) -> String {
    let first = plan.periods.first().map(String::as_str).unwrap_or("");
    let last = plan.periods.last().map(String::as_str).unwrap_or("");
    format!(
        "y: {} · x: periods {} … {}",
        escape(y),
        escape(first),
        escape(last)
    )
}

/// The title of a period axis whose ticks may have lost a common prefix.
pub fn x_title(plan: &Plan, prefix: &Option<String>) -> String {
    match (prefix, plan.periods.first(), plan.periods.last()) {
        (Some(_), Some(first), Some(last)) => format!("period ({first} … {last})"),
        _ => "period".to_string(),
    }
}

/// The status as a green (optimal) or red pill.
pub fn status_pill(status: &PlanStatus) -> String {
    let class = if *status == PlanStatus::Optimal {
        "ok"
    } else {
        "bad"
    };
    format!(
        "<span class=\"pill {class}\">{}</span>",
        escape(status.word())
    )
}
