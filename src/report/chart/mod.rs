//! The chart kit: hand-written inline SVG for every document (plan report, compare,
//! sweep): axes with 1-2-5 ticks, tick labels, scales, series, legends, bars, lines, the
//! decisions timeline and the colours they use.
//!
//! Every chart function returns a complete `<svg>` element. Text that may come from the
//! input (ids, labels) is escaped here; colours and numbers are ours. Output depends only
//! on the arguments (no maps with random order, no clocks), so the same data gives the
//! same bytes.

mod bars;
mod lines;
mod target;
mod timeline;

use std::fmt::Write;

pub use bars::{diverging_bars, hbars, site_load, stacked_bars, SiteBar, Stacked};
pub use lines::{share_lines, ShareLines};
pub use target::{target_bars, TargetBars};
pub use timeline::{timeline, Lane, Timeline, ALWAYS_OPEN, BUILD_COLOR, OPEN_COLOR};

use crate::fmt::{count, escape_html as escape, money_short};

/// Approximate width of one character of the 11 px chart font, for layout.
pub const CHAR_W: f64 = 6.3;
/// Colour of text, axes and grid.
pub const INK: &str = "#3e4c59";
pub const MUTED: &str = "#7b8794";
pub const GRID: &str = "#e4e7eb";

/// Missed targets, and points without a result.
pub const ALERT_COLOR: &str = "#c92a2a";
/// Met targets.
pub const MET_COLOR: &str = "#2b8a3e";
/// The site chart: load on regular capacity, overtime used, the overtime allowance and
/// regular capacity.
pub const LOAD_COLOR: &str = "#5b7fa6";
pub const OVERTIME_COLOR: &str = "#e8590c";
pub const OVERTIME_BAND: &str = "#ffe8d1";
pub const CAPACITY_COLOR: &str = "#1f2933";
/// Countries of the USMCA bloc, coloured cool; all others are coloured warm.
pub const USMCA_COLORS: [(&str, &str); 3] =
    [("US", "#1c5d99"), ("MX", "#2f9e77"), ("CA", "#74b3e0")];
pub const OVERSEAS_COLORS: [&str; 8] = [
    "#e8590c", "#c92a2a", "#f2b134", "#a0522d", "#d6336c", "#9c36b5", "#e67e60", "#7f5539",
];
/// Products and markets (no meaning attached, just distinct).
pub const CATEGORICAL: [&str; 8] = [
    "#243b53", "#7b2cbf", "#0b7285", "#c2255c", "#5c940d", "#e67700", "#495057", "#1971c2",
];
/// The lines of a sweep chart.
pub const LINE_COLORS: [&str; 8] = [
    "#1c5d99", "#e8590c", "#2f9e77", "#9c36b5", "#c2255c", "#5c940d", "#495057", "#0b7285",
];

/// How axis ticks and values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
    /// Counts and quantities: `12,400`.
    Count,
    /// Dollars, compact: `$1.2M`.
    Money,
    /// Shares in 0..1 written as `71%`.
    Percent,
}

/// One named, coloured row of values (one value per category).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub color: String,
    pub values: Vec<f64>,
}

/// Axis ticks at 1-2-5 steps covering `lo..=hi`, about `target` of them.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let (lo, hi) = if hi.partial_cmp(&lo) == Some(std::cmp::Ordering::Greater) {
        (lo, hi)
    } else {
        (lo, lo + 1.0)
    };
    let rough = (hi - lo) / target.max(1) as f64;
    let magnitude = 10f64.powf(rough.log10().floor());
    let norm = rough / magnitude;
    let step = magnitude
        * if norm <= 1.0 {
            1.0
        } else if norm <= 2.0 {
            2.0
        } else if norm <= 5.0 {
            5.0
        } else {
            10.0
        };
    let first = (lo / step + 1e-9).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    let ticks = (first..=last).map(|k| k as f64 * step).collect();
    (ticks, step)
}

/// A tick label written in `fmt`, with the precision `step` needs.
pub fn tick_label(v: f64, step: f64, max: f64, fmt: Fmt) -> String {
    match fmt {
        Fmt::Count => count(v, step),
        Fmt::Percent => format!("{}%", count(100.0 * v, 100.0 * step)),
        Fmt::Money => {
            let (div, suffix) = if max >= 1e9 {
                (1e9, "B")
            } else if max >= 1e6 {
                (1e6, "M")
            } else if max >= 1e4 {
                (1e3, "K")
            } else {
                (1.0, "")
            };
            let sign = if v < 0.0 { "-" } else { "" };
            format!("{sign}${}{suffix}", count(v.abs() / div, step / div))
        }
    }
}

/// Numbers in SVG attributes: one decimal, no `-0`.
pub fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_string()
    } else if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Category labels of periods: when all share a prefix ending in a separator
/// (`2027-01`, `2027-02`, …) the ticks show only what differs and the prefix goes to the
/// axis title.
pub fn period_labels(periods: &[String]) -> (Vec<String>, Option<String>) {
    let Some(first) = periods.first() else {
        return (Vec::new(), None);
    };
    let mut prefix_len = 0;
    for (i, ch) in first.char_indices() {
        let end = i + ch.len_utf8();
        let candidate = &first[..end];
        if !periods.iter().all(|p| p.starts_with(candidate)) {
            break;
        }
        if matches!(ch, '-' | '/' | ' ' | '_' | '.' | ':') {
            prefix_len = end;
        }
    }
    if prefix_len == 0 || periods.len() < 2 || periods.iter().any(|p| p.len() <= prefix_len) {
        return (periods.to_vec(), None);
    }
    (
        periods
            .iter()
            .map(|p| p[prefix_len..].to_string())
            .collect(),
        Some(first[..prefix_len].to_string()),
    )
}

/// `v`, clamped to `lo..=hi`, as a pixel row: `hi` at `top`, `lo` at `top + height`.
fn pixel_y(v: f64, lo: f64, hi: f64, top: f64, height: f64) -> f64 {
    let span = if hi > lo { hi - lo } else { 1.0 };
    top + height * (1.0 - (v.clamp(lo, hi) - lo) / span)
}

/// A plot area with a band scale on x (one band per category) and a linear scale on y.
struct Frame {
    w: f64,
    h: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    n: usize,
    y0: f64,
    y1: f64,
}

impl Frame {
    fn plot_w(&self) -> f64 {
        self.w - self.left - self.right
    }
    fn plot_h(&self) -> f64 {
        self.h - self.top - self.bottom
    }
    fn band(&self) -> f64 {
        self.plot_w() / self.n.max(1) as f64
    }
    fn x0(&self, i: usize) -> f64 {
        self.left + self.band() * i as f64
    }
    fn xc(&self, i: usize) -> f64 {
        self.x0(i) + 0.5 * self.band()
    }
    fn y(&self, v: f64) -> f64 {
        pixel_y(v, self.y0, self.y1, self.top, self.plot_h())
    }
    fn bottom_y(&self) -> f64 {
        self.h - self.bottom
    }
}

/// Axes, grid and labels of a frame.
struct AxisText<'a> {
    ticks: &'a [f64],
    step: f64,
    fmt: Fmt,
    y_title: &'a str,
    x_labels: &'a [String],
    x_title: &'a str,
}

fn open(out: &mut String, w: f64, h: f64, label: &str) {
    let _ = write!(
        out,
        "<svg class=\"chart\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
        n(w),
        n(h),
        n(w),
        n(h),
        escape(label)
    );
}

fn axes(out: &mut String, f: &Frame, a: &AxisText) {
    let max = a.ticks.iter().fold(0.0f64, |m, t| m.max(t.abs()));
    for &t in a.ticks {
        let y = f.y(t);
        let _ = write!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>",
            n(f.left),
            n(y),
            n(f.w - f.right),
            n(y),
            if t == 0.0 { MUTED } else { GRID }
        );
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"{MUTED}\">{}</text>",
            n(f.left - 6.0),
            n(y),
            escape(&tick_label(t, a.step, max, a.fmt))
        );
    }
    if !a.y_title.is_empty() {
        let cy = f.top + 0.5 * f.plot_h();
        let _ = write!(
            out,
            "<text x=\"12\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {})\" fill=\"{INK}\">{}</text>",
            n(cy),
            n(cy),
            escape(a.y_title)
        );
    }
    // Category labels, thinned so they never overlap.
    let widest = a
        .x_labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0) as f64
        * CHAR_W
        + 8.0;
    let every = ((widest / f.band().max(1.0)).ceil() as usize).max(1);
    let mut drawn_to = f64::NEG_INFINITY;
    for (i, label) in a.x_labels.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        // Keep the last labels inside the chart, and never over the previous one.
        let half = 0.5 * label.chars().count() as f64 * CHAR_W;
        let x = f.xc(i).min(f.w - half - 1.0);
        if x - half < drawn_to + 12.0 {
            continue;
        }
        drawn_to = x + half;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
            n(x),
            n(f.bottom_y() + 15.0),
            escape(label)
        );
    }
    if !a.x_title.is_empty() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
            n(f.left + 0.5 * f.plot_w()),
            n(f.h - 4.0),
            escape(a.x_title)
        );
    }
}

/// Left margin that fits the widest tick label.
fn left_margin(ticks: &[f64], step: f64, fmt: Fmt, y_title: bool) -> f64 {
    let max = ticks.iter().fold(0.0f64, |m, t| m.max(t.abs()));
    let widest = ticks
        .iter()
        .map(|&t| tick_label(t, step, max, fmt).chars().count())
        .max()
        .unwrap_or(1) as f64;
    widest * CHAR_W + if y_title { 30.0 } else { 10.0 }
}

/// A value in tooltips and labels.
pub fn value_text(v: f64, fmt: Fmt) -> String {
    match fmt {
        Fmt::Count => count(v, 1.0),
        Fmt::Money => money_short(v),
        Fmt::Percent => format!("{}%", count(100.0 * v, 0.1)),
    }
}

/// An HTML legend above a chart: (label as trusted HTML, colour, swatch kind) where the
/// kind is a CSS class of the swatch: `""` (a box), `ln` (a line), `dash`, `dot` or `none`.
pub fn legend(out: &mut String, items: &[(String, String, &str)]) {
    out.push_str("<div class=\"legend\">");
    for (label, color, kind) in items {
        let style = match *kind {
            "dash" | "dot" => String::new(),
            _ => format!(" style=\"background:{color}\""),
        };
        let _ = write!(
            out,
            "<span><span class=\"sw {kind}\"{style}></span>{}</span>",
            label
        );
    }
    out.push_str("</div>");
}

/// A vertical linear scale over 1-2-5 ticks: the domain is the ticks' span, drawn from
/// pixel `top` down over `height`.
pub struct LinearScale {
    pub ticks: Vec<f64>,
    pub step: f64,
    pub lo: f64,
    pub hi: f64,
    pub top: f64,
    pub height: f64,
}

impl LinearScale {
    /// About `target` ticks covering `lo..=hi`.
    pub fn new(lo: f64, hi: f64, top: f64, height: f64, target: usize) -> LinearScale {
        let (ticks, step) = nice_ticks(lo, hi, target);
        let lo = ticks.first().copied().unwrap_or(lo);
        let hi = ticks.last().copied().unwrap_or(hi);
        LinearScale {
            ticks,
            step,
            lo,
            hi,
            top,
            height,
        }
    }

    pub fn y(&self, v: f64) -> f64 {
        pixel_y(v, self.lo, self.hi, self.top, self.height)
    }

    /// The tick labels, written in `fmt`.
    pub fn labels(&self, fmt: Fmt) -> Vec<String> {
        let max = self.ticks.iter().fold(0.0f64, |m, t| m.max(t.abs()));
        self.ticks
            .iter()
            .map(|&t| tick_label(t, self.step, max, fmt))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_step_one_two_five() {
        let (t, s) = nice_ticks(0.0, 18_400.0, 4);
        assert_eq!(s, 5000.0);
        assert_eq!(t, vec![0.0, 5000.0, 10000.0, 15000.0, 20000.0]);
        let (_, s) = nice_ticks(0.0, 0.93, 5);
        assert_eq!(s, 0.2);
        let (t, _) = nice_ticks(0.0, 0.0, 5);
        assert!(t.len() >= 2);
    }

    #[test]
    fn labels() {
        assert_eq!(tick_label(20e6, 10e6, 100e6, Fmt::Money), "$20M");
        assert_eq!(tick_label(2.5e6, 0.5e6, 5e6, Fmt::Money), "$2.5M");
        assert_eq!(tick_label(0.7, 0.1, 1.0, Fmt::Percent), "70%");
    }

    #[test]
    fn period_prefix() {
        let p: Vec<String> = ["2027-01", "2027-02", "2027-12"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (labels, prefix) = period_labels(&p);
        assert_eq!(labels, vec!["01", "02", "12"]);
        assert_eq!(prefix.as_deref(), Some("2027-"));
        let q: Vec<String> = ["p1", "p2"].iter().map(|s| s.to_string()).collect();
        assert_eq!(period_labels(&q).0, q);
    }
}
