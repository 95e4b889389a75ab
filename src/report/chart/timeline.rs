//! The timeline of decisions over the horizon: one lane per site, periods on x; open
//! periods as filled bars and closed ones as empty bars, builds as markers named after
//! the expansion.

use std::fmt::Write;

use super::{axes, escape, n, open, AxisText, Fmt, Frame, CHAR_W, INK, MUTED};

/// Colour of open periods and of build markers.
pub const OPEN_COLOR: &str = "#2f9e77";
pub const BUILD_COLOR: &str = "#1c5d99";
/// A site without an open/close decision: always open, drawn faint.
pub const ALWAYS_OPEN: &str = "#d3f9d8";

/// Most characters of a lane name shown; the full name is in its tooltip.
const NAME_CHARS: usize = 28;

/// A site's lane.
#[derive(Debug, Clone)]
pub struct Lane {
    pub name: String,
    /// Open or closed per period; `None` for a site without an open/close decision.
    pub open: Option<Vec<bool>>,
    /// (period index, marker label) of each build.
    pub builds: Vec<(usize, String)>,
}

/// The timeline chart.
pub struct Timeline<'a> {
    pub label: &'a str,
    pub width: f64,
    /// Tick labels, one per period.
    pub categories: &'a [String],
    /// The periods' full names, for tooltips.
    pub category_names: &'a [String],
    pub x_title: &'a str,
    pub lanes: &'a [Lane],
}

fn short(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(NAME_CHARS - 1).collect();
        s.push('…');
        s
    }
}

pub fn timeline(c: &Timeline) -> String {
    let lane_h = 34.0;
    let widest = c
        .lanes
        .iter()
        .map(|l| short(&l.name).chars().count())
        .max()
        .unwrap_or(4) as f64;
    let top = 8.0;
    let height = top + lane_h * c.lanes.len().max(1) as f64 + 40.0;
    let f = Frame {
        w: c.width,
        h: height,
        left: (widest * CHAR_W + 16.0).max(60.0),
        right: 12.0,
        top,
        bottom: 40.0,
        n: c.categories.len(),
        y0: 0.0,
        y1: 1.0,
    };
    let mut out = String::new();
    open(&mut out, c.width, height, c.label);
    axes(
        &mut out,
        &f,
        &AxisText {
            ticks: &[],
            step: 1.0,
            fmt: Fmt::Count,
            y_title: "",
            x_labels: c.categories,
            x_title: c.x_title,
        },
    );
    let bar_h = 12.0;
    let bar_w = (f.band() - 2.0).max(1.0);
    for (i, lane) in c.lanes.iter().enumerate() {
        let y = top + lane_h * i as f64;
        let mid = y + 0.5 * lane_h + 5.0;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"{INK}\"><title>{}</title>{}</text>",
            n(f.left - 8.0),
            n(mid),
            escape(&lane.name),
            escape(&short(&lane.name))
        );
        for t in 0..c.categories.len() {
            let period = c
                .category_names
                .get(t)
                .or(c.categories.get(t))
                .map(String::as_str)
                .unwrap_or("");
            let (fill, stroke, state) = match &lane.open {
                Some(states) if states.get(t).copied().unwrap_or(false) => {
                    (OPEN_COLOR, OPEN_COLOR, "open")
                }
                Some(_) => ("#fff", MUTED, "closed"),
                None => (ALWAYS_OPEN, ALWAYS_OPEN, "open (no open/close decision)"),
            };
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1\"><title>{} · {}: {state}</title></rect>",
                n(f.x0(t) + 1.0),
                n(mid - 0.5 * bar_h),
                n(bar_w),
                n(bar_h),
                escape(&lane.name),
                escape(period)
            );
        }
        for (t, label) in &lane.builds {
            if *t >= c.categories.len() {
                continue;
            }
            let x = f.xc(*t);
            let (yt, r) = (mid - 0.5 * bar_h - 2.0, 5.0);
            let _ = write!(
                out,
                "<path d=\"M{} {} L{} {} L{} {} L{} {} Z\" fill=\"{BUILD_COLOR}\" stroke=\"#fff\" stroke-width=\"1\"><title>{}</title></path>",
                n(x),
                n(yt - r),
                n(x + r),
                n(yt),
                n(x),
                n(yt + r),
                n(x - r),
                n(yt),
                escape(label)
            );
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" fill=\"{BUILD_COLOR}\" font-size=\"10\">{}</text>",
                n(x + r + 2.0),
                n(yt - 2.0),
                escape(&short(label))
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_bars_and_markers_escape_ids() {
        let periods: Vec<String> = ["p1", "p2", "p3"].iter().map(|s| s.to_string()).collect();
        let lanes = vec![
            Lane {
                name: "<b>&x".to_string(),
                open: Some(vec![false, true, true]),
                builds: vec![(1, "line-<2>".to_string())],
            },
            Lane {
                name: "a".to_string(),
                open: None,
                builds: vec![],
            },
        ];
        let svg = timeline(&Timeline {
            label: "Decisions",
            width: 600.0,
            categories: &periods,
            category_names: &periods,
            x_title: "period",
            lanes: &lanes,
        });
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("<b>") && !svg.contains("line-<2>"));
        assert!(svg.contains("&lt;b&gt;&amp;x · p1: closed"));
        assert!(svg.contains("&lt;b&gt;&amp;x · p2: open"));
        assert!(svg.contains(">line-&lt;2&gt;</text>"));
        assert_eq!(svg.matches(&format!("fill=\"{OPEN_COLOR}\"")).count(), 2);
        assert_eq!(svg.matches("<path").count(), 1);
    }
}
