//! The words of the multi-tier part of the compare documents: the summary's headline
//! sentences and the small texts the tables share (plain text that each document
//! escapes). Below the documents: it imports only plain data and `fmt`.

use std::fmt::Write;

use crate::fmt::{group, percent};
use crate::plan::comparison::{
    Comparison, NetworkComparison, OriginMixDelta, OriginShare, SupplyMove, ValueContentDelta,
};

/// A share change (in percentage points) worth a summary sentence.
pub const MATERIAL_POINTS: f64 = 1.0;
/// Supply moves, share changes and value content rows named in the summary, each.
const HEADLINES: usize = 3;

/// `id (country)`, or the id alone when the country is not known.
pub(super) fn place(id: &str, country: &str) -> String {
    if country.is_empty() {
        id.to_string()
    } else {
        format!("{id} ({country})")
    }
}

/// Percentage points, signed, to one decimal: `+9.3`, `−0.4`, `0.0`.
fn signed(points: f64) -> String {
    let rounded = (points * 10.0).round() / 10.0;
    let sign = match () {
        _ if rounded > 0.0 => "+",
        _ if rounded < 0.0 => "−",
        _ => "",
    };
    format!("{sign}{:.1}", rounded.abs())
}

/// Percentage points, signed: `+9.3 pp`.
pub fn points_text(points: f64) -> String {
    format!("{} pp", signed(points))
}

pub(super) fn opt_points(points: Option<f64>) -> String {
    points.map_or_else(|| "–".to_string(), points_text)
}

pub(super) fn opt_share(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), percent)
}

/// "12,000 cell-module units into saltillo moved from ningbo (CN) to monterrey-cells
/// (MX)" (plain text).
pub fn supply_sentence(m: &SupplyMove) -> String {
    format!(
        "{} {} units into {} moved from {} to {}",
        group(m.units.round() as u64),
        m.product,
        m.into,
        place(&m.from, &m.from_country),
        place(&m.to, &m.to_country)
    )
}

/// "deliveries to markets" or "received at saltillo" (plain text).
pub fn receiver_text(r: &OriginMixDelta) -> String {
    match &r.receiver {
        None => "deliveries to markets".to_string(),
        Some(id) => format!("received at {id}"),
    }
}

/// "met → missed", "met", … (plain text).
pub(super) fn met_text(old: Option<bool>, new: Option<bool>) -> String {
    let word = |m: Option<bool>| match m {
        Some(true) => "met",
        Some(false) => "missed",
        None => "–",
    };
    if old == new {
        word(new).to_string()
    } else {
        format!("{} → {}", word(old), word(new))
    }
}

pub(super) fn pair(old: String, new: String) -> String {
    if old == new {
        old
    } else {
        format!("{old} → {new}")
    }
}

/// The shares that moved materially, blocs first (countries only when no bloc moved),
/// largest first, with the group they belong to.
fn material_shares(net: &NetworkComparison) -> Vec<(&OriginMixDelta, &OriginShare, bool)> {
    let pick = |blocs: bool| {
        let mut v: Vec<(&OriginMixDelta, &OriginShare, bool)> = net
            .origin_mix
            .iter()
            .flat_map(|g| {
                let list = if blocs { &g.blocs } else { &g.countries };
                list.iter().map(move |s| (g, s, blocs))
            })
            .filter(|(_, s, _)| s.points.is_some_and(|p| p.abs() >= MATERIAL_POINTS))
            .collect();
        v.sort_by(|x, y| {
            let p = |s: &OriginShare| s.points.unwrap_or(0.0).abs();
            p(y.1).total_cmp(&p(x.1))
        });
        v
    };
    let blocs = pick(true);
    if blocs.is_empty() {
        pick(false)
    } else {
        blocs
    }
}

fn material_value_content(net: &NetworkComparison) -> Vec<&ValueContentDelta> {
    let mut v: Vec<&ValueContentDelta> = net
        .value_content
        .iter()
        .filter(|r| {
            r.presence == crate::plan::comparison::Presence::Both
                && (r.met_old != r.met_new
                    || r.points.is_some_and(|p| p.abs() >= MATERIAL_POINTS)
                    || r.component_points
                        .is_some_and(|p| p.abs() >= MATERIAL_POINTS))
        })
        .collect();
    v.sort_by(|x, y| {
        let flip = |r: &ValueContentDelta| r.met_old != r.met_new;
        let p = |r: &ValueContentDelta| r.points.unwrap_or(0.0).abs();
        flip(y).cmp(&flip(x)).then_with(|| p(y).total_cmp(&p(x)))
    });
    v
}

/// The headline sentences of the multi-tier part (plain text with `esc`-escaped ids);
/// none when nothing moved materially.
pub fn summary_lines(c: &Comparison, esc: &dyn Fn(&str) -> String) -> Vec<String> {
    let Some(net) = &c.network else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let moves: Vec<String> = net
        .supply_moves
        .iter()
        .filter(|m| m.units >= 0.5)
        .take(HEADLINES)
        .map(|m| esc(&supply_sentence(m)))
        .collect();
    if !moves.is_empty() {
        out.push(format!(
            "Supply moved between sources: {}.",
            moves.join("; ")
        ));
    }
    let shares: Vec<String> = material_shares(net)
        .into_iter()
        .take(HEADLINES)
        .map(|(g, s, _)| {
            esc(&format!(
                "{} share of {} {} {} points ({} → {})",
                s.origin,
                g.product,
                receiver_text(g),
                signed(s.points.unwrap_or(0.0)),
                opt_share(s.share_old),
                opt_share(s.share_new)
            ))
        })
        .collect();
    if !shares.is_empty() {
        out.push(format!("Origin mix: {}.", shares.join("; ")));
    }
    let rows: Vec<String> = material_value_content(net)
        .into_iter()
        .take(HEADLINES)
        .map(|r| {
            let mut text = format!(
                "{} value content of {} at {} ({}) {} → {}",
                r.bloc,
                r.product,
                r.site,
                r.period,
                opt_share(r.share_old),
                opt_share(r.share_new)
            );
            let mut why = Vec::new();
            if let Some(p) = r.points.filter(|p| p.abs() >= 0.05) {
                why.push(format!("{} points", signed(p)));
            }
            if let Some(p) = r.component_points.filter(|p| p.abs() >= 0.05) {
                why.push(format!(
                    "{} share of component value {} points",
                    r.bloc,
                    signed(p)
                ));
            }
            if !why.is_empty() {
                let _ = write!(text, " ({})", why.join("; "));
            }
            if r.met_old != r.met_new {
                let target = opt_share(r.target_new);
                if r.met_new == Some(true) {
                    let _ = write!(text, ", now meets its {target} target");
                } else {
                    let _ = write!(text, ", now misses its {target} target");
                }
            }
            esc(&text)
        })
        .collect();
    if !rows.is_empty() {
        out.push(format!("Regional value content: {}.", rows.join("; ")));
    }
    out
}
