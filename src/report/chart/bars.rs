//! Bar charts: stacked bars with a line, the per-site load chart, horizontal bars and
//! diverging bars of changes.

use std::fmt::Write;

use super::{
    axes, escape, left_margin, n, nice_ticks, open, value_text, AxisText, Fmt, Frame, Series,
    CAPACITY_COLOR, CHAR_W, INK, LOAD_COLOR, MUTED, OVERTIME_BAND, OVERTIME_COLOR,
};
use crate::fmt::count;

/// A stacked bar chart (one stack per category) with an optional overlaid line.
pub struct Stacked<'a> {
    pub label: &'a str,
    pub width: f64,
    pub height: f64,
    pub categories: &'a [String],
    /// The categories' full names, for tooltips.
    pub category_names: &'a [String],
    pub series: &'a [Series],
    pub line: Option<&'a Series>,
    pub fmt: Fmt,
    pub y_title: &'a str,
    pub x_title: &'a str,
    /// Unit words for tooltips, e.g. "units".
    pub unit: &'a str,
}

pub fn stacked_bars(c: &Stacked) -> String {
    let count_cats = c.categories.len();
    let totals: Vec<f64> = (0..count_cats)
        .map(|i| {
            c.series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0.0).max(0.0))
                .sum()
        })
        .collect();
    let line_max = c
        .line
        .map_or(0.0, |l| l.values.iter().fold(0.0f64, |m, v| m.max(*v)));
    let top_value = totals.iter().fold(line_max, |m, v| m.max(*v));
    let (ticks, step) = nice_ticks(0.0, top_value.max(1e-9), 5);
    let mut f = Frame {
        w: c.width,
        h: c.height,
        left: left_margin(&ticks, step, c.fmt, !c.y_title.is_empty()),
        right: 12.0,
        top: 10.0,
        bottom: if c.x_title.is_empty() { 24.0 } else { 40.0 },
        n: count_cats,
        y0: 0.0,
        y1: ticks.last().copied().unwrap_or(1.0),
    };
    f.left = f.left.max(40.0);
    let mut out = String::new();
    open(&mut out, c.width, c.height, c.label);
    axes(
        &mut out,
        &f,
        &AxisText {
            ticks: &ticks,
            step,
            fmt: c.fmt,
            y_title: c.y_title,
            x_labels: c.categories,
            x_title: c.x_title,
        },
    );
    let bar_w = (f.band() * 0.7).min(56.0);
    for i in 0..count_cats {
        let mut base = 0.0;
        let name = c
            .category_names
            .get(i)
            .or(c.categories.get(i))
            .map(String::as_str)
            .unwrap_or("");
        for s in c.series {
            let v = s.values.get(i).copied().unwrap_or(0.0).max(0.0);
            if v <= 0.0 {
                continue;
            }
            let (ya, yb) = (f.y(base + v), f.y(base));
            let share = if totals[i] > 0.0 { v / totals[i] } else { 0.0 };
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} · {}: {} {} ({:.0}%)</title></rect>",
                n(f.xc(i) - 0.5 * bar_w),
                n(ya),
                n(bar_w),
                n((yb - ya).max(0.5)),
                s.color,
                escape(name),
                escape(&s.name),
                escape(&value_text(v, c.fmt)),
                escape(c.unit),
                100.0 * share
            );
            base += v;
        }
    }
    if let Some(line) = c.line {
        let mut d = String::new();
        for (i, v) in line.values.iter().enumerate().take(count_cats) {
            let _ = write!(
                d,
                "{}{} {}",
                if i == 0 { "M" } else { " L" },
                n(f.xc(i)),
                n(f.y(*v))
            );
        }
        let _ = write!(
            out,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
            line.color
        );
        for (i, v) in line.values.iter().enumerate().take(count_cats) {
            let name = c.category_names.get(i).map(String::as_str).unwrap_or("");
            let _ = write!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"#fff\" stroke=\"{}\" stroke-width=\"2\"><title>{} · {}: {} {}</title></circle>",
                n(f.xc(i)),
                n(f.y(*v)),
                line.color,
                escape(name),
                escape(&line.name),
                escape(&value_text(*v, c.fmt)),
                escape(c.unit)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// One period of one site for [`site_load`].
#[derive(Debug, Clone)]
pub struct SiteBar {
    pub period: String,
    pub capacity: f64,
    pub overtime_capacity: f64,
    pub load: f64,
    pub overtime: f64,
}

/// Load (regular part and overtime part) per period as bars, regular capacity as a step
/// line and the overtime allowance as a band above it; `y_max` shares one scale across
/// the small multiples.
pub fn site_load(
    site: &str,
    bars: &[SiteBar],
    labels: &[String],
    y_max: f64,
    width: f64,
    height: f64,
) -> String {
    let (ticks, step) = nice_ticks(0.0, y_max.max(1e-9), 4);
    let mut f = Frame {
        w: width,
        h: height,
        left: left_margin(&ticks, step, Fmt::Count, false),
        right: 8.0,
        top: 8.0,
        bottom: 22.0,
        n: bars.len(),
        y0: 0.0,
        y1: ticks.last().copied().unwrap_or(1.0),
    };
    f.left = f.left.max(36.0);
    let mut out = String::new();
    open(
        &mut out,
        width,
        height,
        &format!("Load against capacity at {site}"),
    );
    // The overtime allowance, drawn first so bars and the capacity line sit on top.
    for (i, b) in bars.iter().enumerate() {
        if b.overtime_capacity > 0.0 {
            let (ya, yb) = (f.y(b.capacity + b.overtime_capacity), f.y(b.capacity));
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{OVERTIME_BAND}\"/>",
                n(f.x0(i)),
                n(ya),
                n(f.band() + 0.5),
                n((yb - ya).max(0.0))
            );
        }
    }
    axes(
        &mut out,
        &f,
        &AxisText {
            ticks: &ticks,
            step,
            fmt: Fmt::Count,
            y_title: "",
            x_labels: labels,
            x_title: "",
        },
    );
    let bar_w = (f.band() * 0.64).min(40.0);
    for (i, b) in bars.iter().enumerate() {
        let regular = (b.load - b.overtime).max(0.0);
        let utilization = if b.capacity > 0.0 {
            format!(" ({:.0}% of regular capacity)", 100.0 * b.load / b.capacity)
        } else {
            String::new()
        };
        let tip = format!(
            "{} · {}: load {}{utilization}; regular capacity {}; overtime {} of {} allowed",
            site,
            b.period,
            count(b.load, 1.0),
            count(b.capacity, 1.0),
            count(b.overtime, 1.0),
            count(b.overtime_capacity, 1.0)
        );
        let x = f.xc(i) - 0.5 * bar_w;
        let _ = write!(out, "<g><title>{}</title>", escape(&tip));
        if regular > 0.0 {
            let (ya, yb) = (f.y(regular), f.y(0.0));
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{LOAD_COLOR}\"/>",
                n(x),
                n(ya),
                n(bar_w),
                n((yb - ya).max(0.5))
            );
        }
        if b.overtime > 0.0 {
            let (ya, yb) = (f.y(regular + b.overtime), f.y(regular));
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{OVERTIME_COLOR}\"/>",
                n(x),
                n(ya),
                n(bar_w),
                n((yb - ya).max(1.0))
            );
        }
        out.push_str("</g>");
    }
    // Regular capacity as a step line over the bands.
    let mut d = String::new();
    for (i, b) in bars.iter().enumerate() {
        let y = f.y(b.capacity);
        let _ = write!(
            d,
            "{}{} {} H{}",
            if i == 0 { "M" } else { " L" },
            n(f.x0(i)),
            n(y),
            n(f.x0(i) + f.band())
        );
    }
    if !d.is_empty() {
        let _ = write!(
            out,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{CAPACITY_COLOR}\" stroke-width=\"2\"/>"
        );
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars with a name on the left and a value label on the right.
pub fn hbars(label: &str, rows: &[(String, f64, String)], color: &str, width: f64) -> String {
    let row_h = 26.0;
    let left = rows
        .iter()
        .map(|(name, _, _)| name.chars().count())
        .max()
        .unwrap_or(4) as f64
        * CHAR_W
        * 1.1
        + 16.0;
    let label_w = rows
        .iter()
        .map(|(_, _, text)| text.chars().count())
        .max()
        .unwrap_or(4) as f64
        * CHAR_W
        + 16.0;
    let height = row_h * rows.len() as f64 + 8.0;
    let plot_w = (width - left - label_w).max(40.0);
    let max = rows.iter().fold(0.0f64, |m, r| m.max(r.1.abs()));
    let mut out = String::new();
    open(&mut out, width, height, label);
    let _ = write!(
        out,
        "<line x1=\"{}\" y1=\"2\" x2=\"{}\" y2=\"{}\" stroke=\"{MUTED}\"/>",
        n(left),
        n(left),
        n(height - 4.0)
    );
    for (i, (name, value, text)) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let w = if max > 0.0 {
            (value.abs() / max * plot_w).max(1.5)
        } else {
            1.5
        };
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"{INK}\" font-size=\"12\">{}</text>",
            n(left - 8.0),
            n(y + 0.5 * row_h),
            escape(name)
        );
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{color}\" rx=\"2\"><title>{}: {}</title></rect>",
            n(left),
            n(y + 4.0),
            n(w),
            n(row_h - 8.0),
            escape(name),
            escape(text)
        );
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" dominant-baseline=\"middle\" fill=\"{INK}\" font-size=\"12\">{}</text>",
            n(left + w + 6.0),
            n(y + 0.5 * row_h),
            escape(text)
        );
    }
    out.push_str("</svg>");
    out
}

/// Increases and decreases of a diverging bar chart (cost up is red, down is green).
const UP_COLOR: &str = "#d64545";
const DOWN_COLOR: &str = "#3f9142";
const AXIS_COLOR: &str = "#9aa5b1";

/// Horizontal bars of changes, rightwards (red) for increases and leftwards (green) for
/// decreases of a zero line; rows are (name, change, change as text). Empty rows give an
/// empty string.
pub fn diverging_bars(label: &str, rows: &[(String, f64, String)]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let max = rows
        .iter()
        .map(|r| r.1.abs())
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let (label_w, half, value_w, row_h) = (170.0, 190.0, 120.0, 26.0);
    let width = label_w + 2.0 * half + value_w;
    let height = row_h * rows.len() as f64 + 10.0;
    let zero = label_w + half;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" \
         xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" font-size=\"12\" font-family=\"system-ui, sans-serif\">\n",
        escape(label)
    );
    let _ = writeln!(
        svg,
        "<line x1=\"{zero:.1}\" y1=\"0\" x2=\"{zero:.1}\" y2=\"{height:.0}\" stroke=\"{AXIS_COLOR}\"/>"
    );
    for (i, (name, change, text)) in rows.iter().enumerate() {
        let y = 5.0 + row_h * i as f64;
        let w = (change.abs() / max * (half - 4.0)).max(1.0);
        let (x, fill, arrow) = if *change > 0.0 {
            (zero, UP_COLOR, "▲")
        } else {
            (zero - w, DOWN_COLOR, "▼")
        };
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + 16.0,
            escape(name)
        );
        let _ = writeln!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{fill}\"><title>{}: {}</title></rect>",
            y + 3.0,
            row_h - 8.0,
            escape(name),
            escape(text)
        );
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\">{arrow} {}</text>",
            label_w + 2.0 * half + 6.0,
            y + 16.0,
            escape(text)
        );
    }
    svg.push_str("</svg>\n");
    svg
}
