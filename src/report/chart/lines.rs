//! Line charts: shares against a target line.

use std::fmt::Write;

use super::{
    axes, escape, left_margin, n, nice_ticks, open, value_text, AxisText, Fmt, Frame, Series,
    ALERT_COLOR,
};

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
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{ALERT_COLOR}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>{}</title></line>",
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
                if missed { ALERT_COLOR } else { "#fff" },
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
