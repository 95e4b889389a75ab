//! Hand-written inline SVG charts for the HTML reports: axes with 1-2-5 ticks, stacked
//! bars, lines against target lines, horizontal bars and the per-site load chart.
//!
//! Every function returns a complete `<svg>` element. Text that may come from the input
//! (ids, labels) is escaped here; colours and numbers are ours. Output depends only on the
//! arguments (no maps with random order, no clocks), so the same plan gives the same bytes.

use std::fmt::Write;

use super::html::escape;
use crate::fmt::group;

/// Approximate width of one character of the 11 px chart font, for layout.
const CHAR_W: f64 = 6.3;
/// Colour of text, axes and grid.
const INK: &str = "#3e4c59";
const MUTED: &str = "#7b8794";
const GRID: &str = "#e4e7eb";

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

fn decimals(step: f64) -> usize {
    if step >= 1.0 || step <= 0.0 {
        0
    } else {
        (-step.log10() - 1e-9).ceil().max(0.0) as usize
    }
}

/// `12,400` or `0.25` (as many decimals as `step` needs).
pub fn count(v: f64, step: f64) -> String {
    let d = decimals(step);
    let sign = if v < -0.5 * 10f64.powi(-(d as i32)) {
        "-"
    } else {
        ""
    };
    let a = v.abs();
    if d == 0 {
        format!("{sign}{}", group(a.round() as u64))
    } else {
        let whole = a.trunc();
        let frac = format!("{:.*}", d, a - whole);
        // `frac` is `0.xx` or `1.00` after rounding.
        let (carry, digits) = match frac.split_once('.') {
            Some((c, f)) => (c.parse::<u64>().unwrap_or(0), f.to_string()),
            None => (0, String::new()),
        };
        format!("{sign}{}.{digits}", group(whole as u64 + carry))
    }
}

/// `$1.2M`, `$540K`, `$62.35`: three significant digits at most.
pub fn money_short(x: f64) -> String {
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    let (v, suffix) = if a >= 1e9 {
        (a / 1e9, "B")
    } else if a >= 1e6 {
        (a / 1e6, "M")
    } else if a >= 1e4 {
        (a / 1e3, "K")
    } else {
        return format!("{sign}${}", count(a, if a >= 100.0 { 1.0 } else { 0.01 }));
    };
    let d = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{sign}${v:.d$}{suffix}")
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
fn n(v: f64) -> String {
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
        let span = if self.y1 > self.y0 {
            self.y1 - self.y0
        } else {
            1.0
        };
        let v = v.clamp(self.y0, self.y1);
        self.top + self.plot_h() * (1.0 - (v - self.y0) / span)
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

/// A value in tooltips and labels.
pub fn value_text(v: f64, fmt: Fmt) -> String {
    match fmt {
        Fmt::Count => count(v, 1.0),
        Fmt::Money => money_short(v),
        Fmt::Percent => format!("{}%", count(100.0 * v, 0.1)),
    }
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

/// Colours of the site chart.
pub const LOAD_COLOR: &str = "#5b7fa6";
pub const OVERTIME_COLOR: &str = "#e8590c";
pub const OVERTIME_BAND: &str = "#ffe8d1";
pub const CAPACITY_COLOR: &str = "#1f2933";

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

/// A line chart of shares (0..1) per category with a dashed target line; points below
/// the target are ringed in red.
pub struct ShareLines<'a> {
    pub label: &'a str,
    pub width: f64,
    pub height: f64,
    pub categories: &'a [String],
    pub category_names: &'a [String],
    /// `None` where there is nothing to measure (nothing delivered).
    pub series: &'a [(Series, Vec<Option<f64>>)],
    pub target: f64,
    pub target_label: &'a str,
    pub y_min: f64,
}

pub const TARGET_COLOR: &str = "#c92a2a";

pub fn share_lines(c: &ShareLines) -> String {
    let (ticks, step) = nice_ticks(c.y_min, 1.0, 5);
    let mut f = Frame {
        w: c.width,
        h: c.height,
        left: left_margin(&ticks, step, Fmt::Percent, false),
        right: 8.0,
        top: 8.0,
        bottom: 22.0,
        n: c.categories.len(),
        y0: ticks.first().copied().unwrap_or(0.0),
        y1: ticks.last().copied().unwrap_or(1.0),
    };
    f.left = f.left.max(36.0);
    let mut out = String::new();
    open(&mut out, c.width, c.height, c.label);
    axes(
        &mut out,
        &f,
        &AxisText {
            ticks: &ticks,
            step,
            fmt: Fmt::Percent,
            y_title: "",
            x_labels: c.categories,
            x_title: "",
        },
    );
    // Shade the region below the target.
    let yt = f.y(c.target);
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff0f0\"/>",
        n(f.left),
        n(yt),
        n(f.plot_w()),
        n((f.bottom_y() - yt).max(0.0))
    );
    let _ = write!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{TARGET_COLOR}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>{}</title></line>",
        n(f.left),
        n(yt),
        n(f.w - f.right),
        n(yt),
        escape(c.target_label)
    );
    for (s, shares) in c.series {
        let mut d = String::new();
        let mut pen_down = false;
        for (i, v) in shares.iter().enumerate() {
            match v {
                Some(v) => {
                    let _ = write!(
                        d,
                        "{}{} {}",
                        if pen_down { " L" } else { " M" },
                        n(f.xc(i)),
                        n(f.y(*v))
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !d.is_empty() {
            let _ = write!(
                out,
                "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
                d.trim_start(),
                s.color
            );
        }
        for (i, v) in shares.iter().enumerate() {
            let Some(v) = v else { continue };
            let missed = *v + 1e-9 < c.target;
            let name = c.category_names.get(i).map(String::as_str).unwrap_or("");
            let _ = write!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"><title>{} · {}: {} (target {})</title></circle>",
                n(f.xc(i)),
                n(f.y(*v)),
                if missed { "4.5" } else { "2.5" },
                s.color,
                if missed { TARGET_COLOR } else { "#fff" },
                if missed { "2" } else { "0.8" },
                escape(&s.name),
                escape(name),
                escape(&value_text(*v, Fmt::Percent)),
                escape(&value_text(c.target, Fmt::Percent))
            );
        }
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
        assert_eq!(count(12_400.0, 100.0), "12,400");
        assert_eq!(count(0.25, 0.05), "0.25");
        assert_eq!(count(1.996, 0.01), "2.00");
        assert_eq!(tick_label(20e6, 10e6, 100e6, Fmt::Money), "$20M");
        assert_eq!(tick_label(2.5e6, 0.5e6, 5e6, Fmt::Money), "$2.5M");
        assert_eq!(tick_label(0.7, 0.1, 1.0, Fmt::Percent), "70%");
        assert_eq!(money_short(99_302_912.0), "$99.3M");
        assert_eq!(money_short(540_200.0), "$540K");
        assert_eq!(money_short(1_766_475.0), "$1.77M");
        assert_eq!(money_short(62.346), "$62.35");
        assert_eq!(money_short(4321.0), "$4,321");
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
