//! The words and figures both compare documents use (plain text; each document escapes
//! it): signed changes with ▲/▼, values by unit, the summary sentences and table cells.

use crate::fmt::{capitalize, group, money, percent};
use crate::plan::comparison::{
    same, BindingChange, BlocShareDelta, Comparison, CostDelta, Delta, InputChange, Matched,
    PlanSide, PolicyDelta, Presence, Unit, VolumeMove,
};

/// Rows of long tables shown in the documents (the JSON has them all).
pub const SHOWN_ROWS: usize = 20;
/// Volume moves listed in the documents (the JSON has them all).
pub const SHOWN_MOVES: usize = 12;

pub fn arrow(change: f64, changed: bool) -> &'static str {
    match () {
        _ if !changed => "",
        _ if change > 0.0 => "▲",
        _ => "▼",
    }
}

pub fn delta_units(x: f64) -> String {
    let sign = if x < 0.0 { "−" } else { "+" };
    if x.abs() >= 0.5 {
        format!("{sign}{}", group(x.abs().round() as u64))
    } else {
        format!("{sign}{:.2}", x.abs())
    }
}

pub fn delta_money(x: f64) -> String {
    let sign = if x < 0.0 { "−" } else { "+" };
    format!("{sign}{}", money(x.abs()))
}

pub fn delta_points(x: f64) -> String {
    let sign = if x < 0.0 { "−" } else { "+" };
    format!("{sign}{:.1} pp", 100.0 * x.abs())
}

pub fn delta_percent(x: f64) -> String {
    let sign = if x < 0.0 { "−" } else { "+" };
    format!("{sign}{:.1}%", 100.0 * x.abs())
}

pub fn plain_units(x: f64) -> String {
    if x < 0.0 {
        format!("−{}", group((-x).round() as u64))
    } else {
        group(x.round() as u64)
    }
}

pub fn value(x: f64, unit: Unit) -> String {
    match unit {
        Unit::Dollars => money(x),
        Unit::Units => plain_units(x),
        Unit::CapacityUnits => plain_units(x),
        Unit::Share => percent(x),
        Unit::KgCo2e => format!("{} t", plain_units(x / 1000.0)),
    }
}

pub fn opt_value(x: Option<f64>, unit: Unit) -> String {
    x.map_or_else(|| "–".to_string(), |x| value(x, unit))
}

/// The change of a delta, signed, with an arrow; empty text when unchanged.
pub fn change_text(d: &Delta, unit: Unit) -> String {
    if !d.changed() {
        return "–".to_string();
    }
    let amount = match unit {
        Unit::Dollars => delta_money(d.change),
        Unit::Units | Unit::CapacityUnits => delta_units(d.change),
        Unit::Share => delta_points(d.change),
        Unit::KgCo2e => format!("{} t", delta_units(d.change / 1000.0)),
    };
    // Percentages of a near-zero base (beyond ±1000%) say nothing; they are left out.
    let relative = match (unit, d.relative) {
        (Unit::Share, _) | (_, None) => String::new(),
        (_, Some(r)) if r.abs() > 10.0 => String::new(),
        (_, Some(r)) => format!(" ({})", delta_percent(r)),
    };
    format!("{} {amount}{relative}", arrow(d.change, true))
}

pub fn opt_change_text(old: Option<f64>, new: Option<f64>, unit: Unit) -> String {
    match (old, new) {
        (Some(a), Some(b)) => change_text(&Delta::new(a, b), unit),
        (None, None) => "–".to_string(),
        (None, Some(_)) => "new".to_string(),
        (Some(_), None) => "gone".to_string(),
    }
}

pub fn presence_word(p: Presence) -> &'static str {
    match p {
        Presence::Both => "",
        Presence::OldOnly => " (old plan only)",
        Presence::NewOnly => " (new plan only)",
    }
}

pub fn matched_word(m: Matched) -> &'static str {
    match m {
        Matched::Name => "",
        Matched::Scope => "renamed (same bloc and scope)",
        Matched::Kind => "renamed (only policy of its kind)",
        Matched::OldOnly => "old plan only",
        Matched::NewOnly => "new plan only",
    }
}

pub fn binding_word(c: BindingChange) -> &'static str {
    match c {
        BindingChange::NewlyBinding => "newly binding",
        BindingChange::NoLongerBinding => "no longer binding",
        BindingChange::StillBinding => "still binding",
        BindingChange::NotBinding => "not binding",
    }
}

pub fn opt_count(x: Option<usize>) -> String {
    x.map_or_else(|| "–".to_string(), |n| n.to_string())
}

pub fn policy_names(c: &Comparison, change: BindingChange) -> Vec<String> {
    c.policies
        .iter()
        .filter(|p| p.change == change)
        .map(PolicyDelta::display_name)
        .collect()
}

/// "3,200 battery-module units moved from shenzhen (CN) to monterrey (MX)" (plain text).
pub fn move_sentence(m: &VolumeMove, countries: bool) -> String {
    if countries {
        format!(
            "{} {} units moved from {} to {}",
            group(m.units.round() as u64),
            m.product,
            m.from,
            m.to
        )
    } else {
        format!(
            "{} {} units moved from {} ({}) to {} ({})",
            group(m.units.round() as u64),
            m.product,
            m.from,
            m.from_country,
            m.to,
            m.to_country
        )
    }
}

/// Moves worth showing: at least half a unit.
pub fn shown_moves(moves: &[VolumeMove]) -> Vec<&VolumeMove> {
    moves.iter().filter(|m| m.units >= 0.5).collect()
}

/// The headline sentences, as (plain text) items; `esc` escapes ids for the document.
pub fn summary(c: &Comparison, esc: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut out = Vec::new();
    if c.unchanged {
        out.push(
            "No changes: every compared figure is the same in both plans (run timings aside)."
                .to_string(),
        );
        return out;
    }
    if c.status_changed {
        out.push(format!(
            "Status changed from {} to {}.",
            esc(c.old.status.word()),
            esc(c.new.status.word())
        ));
    }
    if let Some(total) = c.total_cost().or(c.objective.as_ref()) {
        if total.changed() {
            let verb = if total.change > 0.0 { "rises" } else { "falls" };
            let rel = total
                .relative
                .map(|r| format!(" ({})", delta_percent(r)))
                .unwrap_or_default();
            out.push(format!(
                "Total cost {verb} by {}{rel}, from {} to {}.",
                money(total.change.abs()),
                money(total.old),
                money(total.new)
            ));
        } else {
            out.push(format!("Total cost is unchanged at {}.", money(total.new)));
        }
    }
    let mut drivers: Vec<&CostDelta> = c.changed_costs().collect();
    drivers.sort_by(|a, b| b.delta.change.abs().total_cmp(&a.delta.change.abs()));
    let drivers: Vec<String> = drivers
        .iter()
        .filter(|d| d.delta.change.abs() >= 0.5)
        .take(3)
        .map(|d| format!("{} {}", d.component, delta_money(d.delta.change)))
        .collect();
    if !drivers.is_empty() {
        out.push(format!("Largest cost changes: {}.", drivers.join(", ")));
    }
    for m in &c.measures {
        if m.delta.changed() && (m.measure == "fill rate" || m.measure == "unmet demand") {
            // A change that shows as none ("0 → 0") is round-off, not a finding.
            let (old, new) = (value(m.delta.old, m.unit), value(m.delta.new, m.unit));
            if old != new {
                out.push(format!("{}: {old} → {new}.", capitalize(&m.measure)));
            }
        }
    }
    let moves = shown_moves(&c.site_moves);
    if !moves.is_empty() {
        let total: f64 = moves.iter().map(|m| m.units).sum();
        let top: Vec<String> = moves
            .iter()
            .take(3)
            .map(|m| esc(&move_sentence(m, false)))
            .collect();
        out.push(format!(
            "{} units of production moved between sites; largest: {}.",
            group(total.round() as u64),
            top.join("; ")
        ));
    }
    let cross = shown_moves(&c.country_moves);
    if !cross.is_empty() {
        let top: Vec<String> = cross
            .iter()
            .take(3)
            .map(|m| esc(&move_sentence(m, true)))
            .collect();
        out.push(format!("Between countries: {}.", top.join("; ")));
    }
    out.extend(super::network_words::summary_lines(c, esc));
    out.extend(super::decisions::summary_line(c, esc));
    let mut targets: Vec<String> = Vec::new();
    for b in &c.bloc_shares {
        if let (Some(x), Some(y)) = (b.target_old, b.target_new) {
            if !same(x, y) {
                let name = bloc_policy_name(b);
                let text = format!(
                    "{} ({}): target {} → {}",
                    esc(&name),
                    esc(&b.bloc),
                    percent(x),
                    percent(y)
                );
                if !targets.contains(&text) {
                    targets.push(text);
                }
            }
        }
    }
    if !targets.is_empty() {
        out.push(format!(
            "Bloc-share targets changed: {}.",
            targets.join("; ")
        ));
    }
    let added: Vec<String> = c
        .policies
        .iter()
        .filter(|p| p.matched == Matched::NewOnly)
        .map(|p| esc(&p.display_name()))
        .collect();
    if !added.is_empty() {
        out.push(format!("New policies: {}.", added.join(", ")));
    }
    let removed: Vec<String> = c
        .policies
        .iter()
        .filter(|p| p.matched == Matched::OldOnly)
        .map(|p| esc(&p.display_name()))
        .collect();
    if !removed.is_empty() {
        out.push(format!("Policies dropped: {}.", removed.join(", ")));
    }
    let newly: Vec<String> = policy_names(c, BindingChange::NewlyBinding)
        .iter()
        .map(|n| esc(n))
        .collect();
    if !newly.is_empty() {
        out.push(format!("Newly binding: {}.", newly.join(", ")));
    }
    let gone: Vec<String> = policy_names(c, BindingChange::NoLongerBinding)
        .iter()
        .map(|n| esc(n))
        .collect();
    if !gone.is_empty() {
        out.push(format!("No longer binding: {}.", gone.join(", ")));
    }
    let lim = &c.capacity_limits;
    if !lim.newly_full.is_empty() || !lim.no_longer_full.is_empty() {
        out.push(format!(
            "Site-periods at full capacity (regular + overtime): {} → {} ({} new, {} freed).",
            lim.full_old,
            lim.full_new,
            lim.newly_full.len(),
            lim.no_longer_full.len()
        ));
    }
    let settings: Vec<String> = c
        .metadata
        .iter()
        .filter(|f| f.field != "LP size" && f.field != "model name")
        .map(|f| format!("{} ({} → {})", f.field, esc(&f.old), esc(&f.new)))
        .collect();
    if !settings.is_empty() {
        out.push(format!("Run settings changed: {}.", settings.join("; ")));
    }
    let changed_inputs: Vec<String> = c
        .inputs
        .iter()
        .filter(|i| i.change != "same")
        .map(|i| input_text(i, esc))
        .collect();
    if !changed_inputs.is_empty() {
        out.push(format!("Inputs changed: {}.", changed_inputs.join(", ")));
    }
    out
}

pub fn input_text(i: &InputChange, esc: &dyn Fn(&str) -> String) -> String {
    match (&i.old_path, &i.new_path) {
        (Some(a), Some(b)) if a != b => format!("{} → {} ({})", esc(a), esc(b), i.change),
        (_, Some(p)) | (Some(p), None) => format!("{} ({})", esc(p), i.change),
        (None, None) => String::new(),
    }
}

pub fn sha_short(x: &Option<String>) -> String {
    x.as_deref()
        .map_or_else(|| "–".to_string(), |s| s.chars().take(12).collect())
}

pub fn periods_text(side: &PlanSide) -> String {
    match (&side.first_period, &side.last_period) {
        (Some(a), Some(b)) => format!("{} periods, {a} – {b}", side.periods),
        _ => "no periods".to_string(),
    }
}

pub fn utilization_text(load: &Delta, capacity: &Delta) -> String {
    let u = |l: f64, c: f64| (c > 0.0).then(|| l / c);
    let (a, b) = (u(load.old, capacity.old), u(load.new, capacity.new));
    format!(
        "{} → {}",
        opt_value(a, Unit::Share),
        opt_value(b, Unit::Share)
    )
}

pub fn bloc_policy_name(b: &BlocShareDelta) -> String {
    match (&b.old_policy, &b.new_policy) {
        (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
        (_, Some(n)) => n.clone(),
        (Some(o), None) => o.clone(),
        _ => String::new(),
    }
}

pub fn share_pair(a: Option<f64>, b: Option<f64>) -> String {
    let arrow = match (a, b) {
        (Some(x), Some(y)) if !same(x, y) => {
            if y > x {
                " ▲"
            } else {
                " ▼"
            }
        }
        _ => "",
    };
    format!(
        "{} → {}{arrow}",
        opt_value(a, Unit::Share),
        opt_value(b, Unit::Share)
    )
}

pub fn bloc_row(b: &BlocShareDelta, esc: &dyn Fn(&str) -> String) -> Vec<String> {
    vec![
        format!("{}{}", esc(&bloc_policy_name(b)), presence_word(b.presence)),
        esc(&b.bloc),
        esc(&b.market),
        esc(&b.product),
        share_pair(b.target_old, b.target_new),
        share_pair(b.lowest_old, b.lowest_new),
        share_pair(b.average_old, b.average_new),
        format!(
            "{}/{} → {}/{}",
            b.missed_old, b.rows_old, b.missed_new, b.rows_new
        ),
    ]
}
