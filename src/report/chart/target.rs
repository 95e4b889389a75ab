//! Bars of shares against a target: one bar per category, green where it meets the
//! target and red where it does not, a dashed target line, and a note (the margin) above
//! the bars where there is room.

use std::fmt::Write;

use super::{
    axes, escape, left_margin, n, nice_ticks, open, value_text, AxisText, Fmt, Frame, ALERT_COLOR,
    CHAR_W, INK, MET_COLOR,
};

/// Shares (0..1) per category against one target.
pub struct TargetBars<'a> {
    pub label: &'a str,
    pub width: f64,
    pub height: f64,
    /// Tick labels.
    pub categories: &'a [String],
    /// The categories' full names, for tooltips.
    pub category_names: &'a [String],
    /// `None` where there is nothing to measure.
    pub values: &'a [Option<f64>],
    /// Whether each category meets the target.
    pub met: &'a [bool],
    /// A short note per category, written above its bar (e.g. `+3.1`).
    pub notes: &'a [String],
    pub target: f64,
    pub target_label: &'a str,
    /// Bottom of the y axis (the bars start there).
    pub y_min: f64,
}

/// The chart. When the notes of every bar do not fit side by side, only the note of the
/// lowest bar is written (each bar's tooltip has its own). Notes sit above their bar, or
/// above the target line when the bar ends below it.
pub fn target_bars(c: &TargetBars) -> String {
    let (ticks, step) = nice_ticks(c.y_min, 1.0, 5);
    let mut f = Frame {
        w: c.width,
        h: c.height,
        left: left_margin(&ticks, step, Fmt::Percent, false),
        right: 8.0,
        top: 16.0,
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
    let widest = c.notes.iter().map(|t| t.chars().count()).max().unwrap_or(0) as f64 * CHAR_W;
    let all_notes = widest + 4.0 <= f.band();
    let lowest = c
        .values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .reduce(|best, x| if x.1 < best.1 { x } else { best })
        .map(|(i, _)| i);
    let bar_w = (f.band() * 0.64).min(40.0);
    let yt = f.y(c.target);
    for (i, v) in c.values.iter().enumerate() {
        let Some(v) = *v else { continue };
        let met = c.met.get(i).copied().unwrap_or(true);
        let color = if met { MET_COLOR } else { ALERT_COLOR };
        let name = c.category_names.get(i).map(String::as_str).unwrap_or("");
        let note = c.notes.get(i).map(String::as_str).unwrap_or("");
        let (ya, yb) = (f.y(v), f.y(f.y0));
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{color}\"><title>{}: {} ({}; {})</title></rect>",
            n(f.xc(i) - 0.5 * bar_w),
            n(ya.min(yb - 0.5)),
            n(bar_w),
            n((yb - ya).max(0.5)),
            escape(name),
            escape(&value_text(v, Fmt::Percent)),
            escape(if met { "met" } else { "missed" }),
            escape(c.target_label)
        );
        if !note.is_empty() && (all_notes || lowest == Some(i)) {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
                n(f.xc(i)),
                // Above the bar, and above the target line for a bar below it.
                n(ya.min(yt) - 4.0),
                if met { INK } else { ALERT_COLOR },
                escape(note)
            );
        }
    }
    let _ = write!(
        out,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{ALERT_COLOR}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>{}</title></line>",
        n(f.left),
        n(yt),
        n(f.w - f.right),
        n(yt),
        escape(c.target_label)
    );
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: &[Option<f64>], width: f64) -> String {
        let names: Vec<String> = (1..=values.len()).map(|i| format!("p{i}")).collect();
        let met: Vec<bool> = values.iter().map(|v| v.is_none_or(|v| v >= 0.75)).collect();
        let notes: Vec<String> = values
            .iter()
            .map(|v| v.map_or(String::new(), |v| format!("{:+.1}", 100.0 * (v - 0.75))))
            .collect();
        target_bars(&TargetBars {
            label: "rvc <a>",
            width,
            height: 180.0,
            categories: &names,
            category_names: &names,
            values,
            met: &met,
            notes: &notes,
            target: 0.75,
            target_label: "target 75%",
            y_min: 0.5,
        })
    }

    #[test]
    fn bars_are_coloured_by_the_target_and_noted() {
        let svg = chart(&[Some(0.8), Some(0.73), None], 356.0);
        assert!(svg.contains("aria-label=\"rvc &lt;a&gt;\""));
        assert_eq!(svg.matches(&format!("fill=\"{MET_COLOR}\"")).count(), 1);
        assert_eq!(
            svg.matches(&format!("fill=\"{ALERT_COLOR}\"><title>"))
                .count(),
            1
        );
        assert!(svg.contains(">+5.0</text>"));
        assert!(svg.contains(">-2.0</text>"));
        assert!(svg.contains("<title>p2: 73.0% (missed; target 75%)</title>"));
        // The missed bar reaches lower than the met one: its top is further down.
        let top = |at: &str| -> f64 {
            let i = svg.find(at).unwrap();
            let rect = &svg[..i];
            let y = rect.rfind("y=\"").unwrap();
            rect[y + 3..].split('"').next().unwrap().parse().unwrap()
        };
        assert!(top("<title>p2") > top("<title>p1"));
        // The note of the missed bar sits above the target line, not across it.
        let attr = |tag: &str, name: &str| -> f64 {
            let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            tag[at..].split('"').next().unwrap().parse().unwrap()
        };
        let note = &svg[svg[..svg.find(">-2.0</text>").unwrap()]
            .rfind("<text")
            .unwrap()..];
        let line = &svg[svg
            .find("stroke-dasharray")
            .map(|i| svg[..i].rfind("<line").unwrap())
            .unwrap()..];
        assert!(attr(note, "y") < attr(line, "y1"));
    }

    #[test]
    fn crowded_bars_note_only_the_lowest() {
        let values: Vec<Option<f64>> = (0..24).map(|i| Some(0.76 + 0.001 * i as f64)).collect();
        let svg = chart(&values, 300.0);
        assert_eq!(svg.matches(&format!("fill=\"{INK}\">")).count(), 1);
        assert!(svg.contains(&format!("fill=\"{INK}\">+1.0</text>")));
    }
}
