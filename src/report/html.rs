//! `report.html`: a self-contained page with inline SVG charts and CSS (no scripts, no
//! fonts or images to fetch; it opens from a file). Rendered from a [`Plan`] alone, and
//! deterministic: the same plan gives the same bytes.
//!
//! Colours: USMCA countries (US, MX, CA) in cool blues and greens, every other origin in
//! warm colours, the same on every chart.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::markdown::findings;
use super::svg::{self, money_short, Fmt, Series, SiteBar};
use crate::fmt::{group, money, percent, units};
use crate::plan::{BlocShareRow, Plan, PlanStatus};

/// HTML-escapes text (`&`, `<`, `>`, `"`, `'`) so ids from the input always render as text,
/// in element content and in attribute values alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// The shared stylesheet of every allyplan HTML page.
pub const CSS: &str = r#":root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--accent:#1c5d99}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",sans-serif}
main{max-width:1200px;margin:0 auto;padding:28px 32px 56px}
h1{font-size:26px;line-height:1.2;margin:0 0 6px}
h2{font-size:19px;margin:34px 0 4px;padding-top:14px;border-top:1px solid var(--line)}
h3{font-size:15px;margin:18px 0 6px}
p{margin:6px 0}
.lead{color:var(--muted);margin:0 0 10px}
.meta{color:var(--muted);font-size:13px}
.pill{display:inline-block;padding:1px 10px;border-radius:999px;font-size:12px;font-weight:600;vertical-align:2px}
.ok{background:#d3f9d8;color:#2b8a3e}.bad{background:#ffe3e3;color:#c92a2a}.warn{background:#fff3bf;color:#7a5c00}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .k{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.card .v{font-size:25px;font-weight:650;margin:2px 0 1px;font-variant-numeric:tabular-nums}
.card .s{font-size:12px;color:var(--muted);overflow-wrap:break-word}
.card.alert{border-color:#ffa8a8;background:#fff5f5}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:10px 0}
.findings{margin:0;padding-left:20px}.findings li{margin:3px 0}
.grid3{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:14px 18px}
.grid2{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:14px 18px}
figure{margin:0;display:flex;flex-direction:column;justify-content:flex-end}
figcaption{font-size:13px;margin:0 0 2px;overflow-wrap:break-word}
figcaption .m{color:var(--muted)}
svg.chart{display:block;max-width:100%;height:auto;font-size:11px;font-family:inherit}
.legend{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:12px;color:var(--muted);margin:2px 0 10px}
.legend b{color:var(--ink);font-weight:600}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-2px;margin-right:5px}
.sw.ln{height:3px;vertical-align:3px;width:16px}
.sw.dash{height:0;width:18px;border-top:2px dashed #c92a2a;border-radius:0;vertical-align:3px}
.sw.dot{border-radius:50%;border:2px solid #1f2933;background:#fff;width:10px;height:10px}
table{border-collapse:collapse;width:100%;font-size:13px;background:#fff}
th,td{padding:5px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;background:#f8f9fa}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:650;border-top:2px solid var(--line)}
.id{overflow-wrap:break-word}
.nw{white-space:nowrap}
.mono,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
.note{background:#f8f9fa;border-left:4px solid #adb5bd;padding:8px 12px;margin:8px 0;color:var(--ink)}
.note.good{border-color:#2b8a3e;background:#ebfbee}
.note.badn{border-color:#c92a2a;background:#fff5f5}
.tables{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:14px 18px;align-items:start}
nav.toc{font-size:13px;margin:6px 0 0;color:var(--muted)}
nav.toc a{color:var(--accent);text-decoration:none;margin-right:14px;white-space:nowrap}
.better{color:#2b8a3e}.worse{color:#c92a2a}
.bar{display:inline-block;height:8px;background:#5b7fa6;border-radius:2px;vertical-align:0}
footer{margin-top:36px;color:var(--muted);font-size:12px}
@media print{body{background:#fff}main{padding:0}.panel,.card{break-inside:avoid}}
"#;

/// A full self-contained HTML document: `title` is escaped here, `body` is trusted HTML
/// (escape every input id in it with [`escape`]).
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        escape(title)
    )
}

/// Rows of the shipments table; the rest are summed in one row.
const MAX_LANES: usize = 60;

/// Width of full-width charts and of the small multiples (3 a row), in px.
const FULL_W: f64 = 1100.0;
const SMALL_W: f64 = 356.0;
const SMALL_H: f64 = 190.0;

/// Countries of the USMCA bloc, coloured cool; all others are coloured warm.
const USMCA: [(&str, &str); 3] = [("US", "#1c5d99"), ("MX", "#2f9e77"), ("CA", "#74b3e0")];
const OVERSEAS: [&str; 8] = [
    "#e8590c", "#c92a2a", "#f2b134", "#a0522d", "#d6336c", "#9c36b5", "#e67e60", "#7f5539",
];
/// Products and markets (no meaning attached, just distinct).
const CATEGORICAL: [&str; 8] = [
    "#243b53", "#7b2cbf", "#0b7285", "#c2255c", "#5c940d", "#e67700", "#495057", "#1971c2",
];

fn is_usmca(country: &str) -> bool {
    USMCA.iter().any(|(c, _)| *c == country)
}

/// One colour per origin country, in order of first appearance in the plan's sites.
struct Palette {
    countries: Vec<(String, String)>,
}

impl Palette {
    fn new(plan: &Plan) -> Palette {
        let mut countries: Vec<(String, String)> = Vec::new();
        let mut warm = 0;
        for site in &plan.sites {
            if countries.iter().any(|(c, _)| *c == site.country) {
                continue;
            }
            let color = if let Some((_, color)) = USMCA.iter().find(|(c, _)| *c == site.country) {
                (*color).to_string()
            } else {
                warm += 1;
                OVERSEAS[(warm - 1) % OVERSEAS.len()].to_string()
            };
            countries.push((site.country.clone(), color));
        }
        // USMCA first (US, MX, CA), then overseas in order of appearance.
        countries.sort_by_key(|(c, _)| {
            USMCA
                .iter()
                .position(|(u, _)| u == c)
                .unwrap_or(USMCA.len())
        });
        Palette { countries }
    }
    fn color(&self, country: &str) -> &str {
        self.countries
            .iter()
            .find(|(c, _)| c == country)
            .map_or("#adb5bd", |(_, color)| color.as_str())
    }
}

/// Undoes Markdown escaping of [`findings`]: they are already HTML-safe (`<`, `>`, `&` as
/// entities) once the backslashes are gone.
fn from_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// Position of each period label.
fn period_index(plan: &Plan) -> BTreeMap<&str, usize> {
    plan.periods
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect()
}

/// Distinct values in order of first appearance.
fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The legend's note on the axes of small multiples, which have no axis titles.
fn axes_note(plan: &Plan, y: &str) -> String {
    let first = plan.periods.first().map(String::as_str).unwrap_or("");
    let last = plan.periods.last().map(String::as_str).unwrap_or("");
    format!(
        "y: {} · x: periods {} … {}",
        escape(y),
        escape(first),
        escape(last)
    )
}

/// A share as `70%`, or `70.5%` when it is not a whole percent.
fn pct(x: f64) -> String {
    let p = 100.0 * x;
    if (p - p.round()).abs() < 1e-6 {
        format!("{:.0}%", p)
    } else {
        format!("{p:.1}%")
    }
}

/// The text with its first letter upper-case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The title of a period axis whose ticks may have lost a common prefix.
fn x_title(plan: &Plan, prefix: &Option<String>) -> String {
    match (prefix, plan.periods.first(), plan.periods.last()) {
        (Some(_), Some(first), Some(last)) => format!("period ({first} … {last})"),
        _ => "period".to_string(),
    }
}

fn legend(out: &mut String, items: &[(String, String, &str)]) {
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

/// Renders the whole report of one plan.
pub fn render(plan: &Plan) -> String {
    let title = format!("allyplan — {}", plan.model);
    let (Some(_), Some(_)) = (&plan.costs, &plan.kpis) else {
        return page(&title, &no_solution(plan));
    };
    let palette = Palette::new(plan);
    let mut b = String::new();
    header(&mut b, plan);
    headline(&mut b, plan);
    costs_section(&mut b, plan);
    load_section(&mut b, plan);
    production_section(&mut b, plan, &palette);
    bloc_section(&mut b, plan);
    unmet_section(&mut b, plan);
    shipments_section(&mut b, plan, &palette);
    policies_section(&mut b, plan);
    shadow_section(&mut b, plan);
    verification_section(&mut b, plan);
    run_section(&mut b, plan);
    page(&title, &b)
}

fn status_pill(status: &PlanStatus) -> String {
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

fn header(b: &mut String, plan: &Plan) {
    let _ = writeln!(b, "<h1>Allocation plan: {}</h1>", escape(&plan.model));
    let verified = match &plan.verification {
        Some(v) if v.passed => "<span class=\"pill ok\">verified</span>".to_string(),
        Some(_) => "<span class=\"pill bad\">failed verification</span>".to_string(),
        None => "<span class=\"pill warn\">not verified</span>".to_string(),
    };
    let first = plan.periods.first().map(String::as_str).unwrap_or("");
    let last = plan.periods.last().map(String::as_str).unwrap_or("");
    let _ = writeln!(
        b,
        "<p class=\"meta\">{} {verified} &nbsp;Horizon {} – {} ({} periods) · solver {} · {} {}</p>",
        status_pill(&plan.status),
        escape(first),
        escape(last),
        plan.periods.len(),
        escape(&plan.metadata.solver),
        escape(&plan.metadata.tool),
        escape(&plan.metadata.tool_version)
    );
    b.push_str("<nav class=\"toc\">");
    for (id, name) in [
        ("cost", "Cost"),
        ("load", "Load"),
        ("production", "Production"),
        ("bloc", "Bloc share"),
        ("unmet", "Unmet demand"),
        ("shipments", "Shipments"),
        ("policies", "Policies"),
        ("prices", "Shadow prices"),
        ("verification", "Verification"),
        ("run", "Run"),
    ] {
        let _ = write!(b, "<a href=\"#{id}\">{name}</a>");
    }
    b.push_str("</nav>\n");
}

fn card(b: &mut String, key: &str, value: &str, sub: &str, alert: bool) {
    let _ = writeln!(
        b,
        "<div class=\"card{}\"><div class=\"k\">{key}</div><div class=\"v\">{value}</div><div class=\"s\">{sub}</div></div>",
        if alert { " alert" } else { "" }
    );
}

fn headline(b: &mut String, plan: &Plan) {
    let (Some(costs), Some(kpis)) = (&plan.costs, &plan.kpis) else {
        return;
    };
    b.push_str("<div class=\"cards\">\n");
    let mut parts: Vec<(&str, f64)> = costs
        .components()
        .into_iter()
        .filter(|(_, v)| v.abs() > 0.005)
        .collect();
    parts.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top: Vec<String> = parts
        .iter()
        .take(3)
        .map(|(name, v)| {
            let share = if costs.total != 0.0 {
                v / costs.total
            } else {
                0.0
            };
            format!("{name} {:.0}%", 100.0 * share)
        })
        .collect();
    card(
        b,
        "Total cost",
        &money_short(costs.total),
        &top.join(" · "),
        false,
    );
    card(
        b,
        "Demand served",
        &percent(kpis.fill_rate),
        &format!(
            "{} of {} units; {} unmet",
            units(kpis.served),
            units(kpis.demand),
            units(kpis.unmet)
        ),
        kpis.unmet >= 0.5,
    );
    let policies = distinct(plan.bloc_shares.iter().map(|r| r.policy.as_str()));
    for policy in policies.iter().take(3) {
        let rows: Vec<&BlocShareRow> = plan
            .bloc_shares
            .iter()
            .filter(|r| r.policy == *policy)
            .collect();
        let delivered: f64 = rows.iter().map(|r| r.delivered).sum();
        let from_bloc: f64 = rows.iter().map(|r| r.from_bloc).sum();
        let met = rows.iter().filter(|r| r.met).count();
        let target = rows.first().map_or(0.0, |r| r.target);
        let bloc = rows.first().map_or("", |r| r.bloc.as_str());
        let lowest = rows
            .iter()
            .filter_map(|r| r.share)
            .min_by(|a, b| a.total_cmp(b));
        let value = if delivered > 0.0 {
            percent(from_bloc / delivered)
        } else {
            "–".to_string()
        };
        card(
            b,
            &format!("{} share", escape(&bloc.to_uppercase())),
            &value,
            &format!(
                "{}: target ≥ {} · lowest {} · {met} of {} met",
                escape(policy),
                pct(target),
                lowest.map_or("–".to_string(), percent),
                rows.len()
            ),
            met < rows.len(),
        );
    }
    if policies.is_empty() {
        card(b, "Bloc share", "–", "no min_bloc_share policy", false);
    }
    card(
        b,
        "Average utilization",
        &percent(kpis.utilization),
        &format!(
            "load / regular capacity; {} overtime capacity units",
            units(kpis.overtime_used)
        ),
        false,
    );
    match &plan.verification {
        Some(v) => card(
            b,
            "Verifier",
            if v.passed { "passed" } else { "FAILED" },
            &format!(
                "worst violation {:.1e} (relative), {} checks",
                v.worst_violation,
                group(v.checks as u64)
            ),
            !v.passed,
        ),
        None => card(b, "Verifier", "–", "not verified", true),
    }
    card(
        b,
        "Freight emissions",
        &format!("{} t", units(kpis.emissions_kg / 1000.0)),
        "CO2e over the horizon",
        false,
    );
    b.push_str("</div>\n");
    let list = findings(plan);
    if !list.is_empty() {
        b.push_str("<div class=\"panel\"><h3 style=\"margin-top:0\">What to look at</h3><ul class=\"findings\">\n");
        for f in list {
            let _ = writeln!(b, "<li>{}</li>", from_markdown(&f));
        }
        b.push_str("</ul></div>\n");
    }
}

fn costs_section(b: &mut String, plan: &Plan) {
    let Some(costs) = &plan.costs else { return };
    let _ = writeln!(
        b,
        "<h2 id=\"cost\">Cost breakdown</h2><p class=\"lead\">Total {} ({}), by component.</p>",
        money_short(costs.total),
        money(costs.total)
    );
    let mut parts: Vec<(&str, f64)> = costs
        .components()
        .into_iter()
        .filter(|(_, v)| v.abs() > 0.005)
        .collect();
    parts.sort_by(|a, b| b.1.total_cmp(&a.1));
    let rows: Vec<(String, f64, String)> = parts
        .iter()
        .map(|(name, v)| {
            let share = if costs.total != 0.0 {
                v / costs.total
            } else {
                0.0
            };
            (
                (*name).to_string(),
                *v,
                format!("{} · {}", money_short(*v), percent(share)),
            )
        })
        .collect();
    b.push_str("<div class=\"panel\">");
    b.push_str(&svg::hbars(
        "Cost breakdown by component",
        &rows,
        "#1c5d99",
        FULL_W,
    ));
    b.push_str("</div>\n");
}

fn load_section(b: &mut String, plan: &Plan) {
    let _ = writeln!(
        b,
        "<h2 id=\"load\">Load against capacity, by site</h2><p class=\"lead\">Capacity units per period, one scale for all sites. \
         Flat bars mean level production; orange is overtime, used inside the shaded overtime allowance above regular capacity.</p>"
    );
    if plan.sites.is_empty() {
        b.push_str("<p class=\"note\">No sites.</p>");
        return;
    }
    let (labels, _) = svg::period_labels(&plan.periods);
    let y_max = plan
        .sites
        .iter()
        .flat_map(|s| s.periods.iter())
        .fold(0.0f64, |m, p| {
            m.max(p.capacity + p.overtime_capacity).max(p.load)
        });
    b.push_str("<div class=\"panel\">");
    legend(
        b,
        &[
            (
                "load on regular capacity".into(),
                svg::LOAD_COLOR.into(),
                "",
            ),
            ("overtime used".into(), svg::OVERTIME_COLOR.into(), ""),
            ("regular capacity".into(), svg::CAPACITY_COLOR.into(), "ln"),
            ("overtime allowance".into(), svg::OVERTIME_BAND.into(), ""),
            (axes_note(plan, "capacity units"), String::new(), "none"),
        ],
    );
    b.push_str("<div class=\"grid3\">");
    for site in &plan.sites {
        let bars: Vec<SiteBar> = site
            .periods
            .iter()
            .map(|p| SiteBar {
                period: p.period.clone(),
                capacity: p.capacity,
                overtime_capacity: p.overtime_capacity,
                load: p.load,
                overtime: p.overtime,
            })
            .collect();
        let load: f64 = site.periods.iter().map(|p| p.load).sum();
        let cap: f64 = site.periods.iter().map(|p| p.capacity).sum();
        let overtime: f64 = site.periods.iter().map(|p| p.overtime).sum();
        let peak = site
            .periods
            .iter()
            .filter(|p| p.capacity > 0.0)
            .max_by(|a, b| a.utilization.total_cmp(&b.utilization));
        let mut caption = format!(
            "<b class=\"id\">{}</b> <span class=\"m\">{}",
            escape(&site.id),
            escape(&site.country)
        );
        if load <= 0.0 {
            caption.push_str(" · not used");
        } else {
            let _ = write!(
                caption,
                " · avg {:.0}%",
                if cap > 0.0 { 100.0 * load / cap } else { 0.0 }
            );
            if let Some(p) = peak {
                let _ = write!(
                    caption,
                    " · <span title=\"{}\">peak {:.0}%</span>",
                    escape(&p.period),
                    100.0 * p.utilization
                );
            }
            if overtime > 0.0 {
                let _ = write!(caption, " · overtime {}", units(overtime));
            }
        }
        caption.push_str("</span>");
        let _ = write!(
            b,
            "<figure><figcaption>{caption}</figcaption>{}</figure>",
            svg::site_load(&site.id, &bars, &labels, y_max, SMALL_W, SMALL_H)
        );
    }
    b.push_str("</div></div>\n");
}

fn production_section(b: &mut String, plan: &Plan, palette: &Palette) {
    let _ = writeln!(
        b,
        "<h2 id=\"production\">Production by origin country</h2><p class=\"lead\">Units made per period, all products, stacked by the country of the plant; \
         the line is total demand by arrival period. Bars above the line build inventory ahead of later periods or cover lead times.</p>"
    );
    let index = period_index(plan);
    let n_t = plan.periods.len();
    let site_country: BTreeMap<&str, &str> = plan
        .sites
        .iter()
        .map(|s| (s.id.as_str(), s.country.as_str()))
        .collect();
    let mut series: Vec<Series> = palette
        .countries
        .iter()
        .map(|(c, color)| Series {
            name: c.clone(),
            color: color.clone(),
            values: vec![0.0; n_t],
        })
        .collect();
    for row in &plan.production {
        let (Some(&t), Some(country)) = (
            index.get(row.period.as_str()),
            site_country.get(row.site.as_str()),
        ) else {
            continue;
        };
        if let Some(s) = series.iter_mut().find(|s| s.name == *country) {
            s.values[t] += row.quantity;
        }
    }
    let mut demand = vec![0.0; n_t];
    for row in &plan.unmet {
        if let Some(&t) = index.get(row.period.as_str()) {
            demand[t] += row.demand;
        }
    }
    let demand_line = Series {
        name: "demand".to_string(),
        color: "#1f2933".to_string(),
        values: demand,
    };
    let (labels, prefix) = svg::period_labels(&plan.periods);
    let table_series = series.clone();
    series.retain(|s| s.values.iter().any(|v| *v > 0.0));
    b.push_str("<div class=\"panel\">");
    let mut items: Vec<(String, String, &str)> = Vec::new();
    let usmca: Vec<&Series> = series.iter().filter(|s| is_usmca(&s.name)).collect();
    let overseas: Vec<&Series> = series.iter().filter(|s| !is_usmca(&s.name)).collect();
    if !usmca.is_empty() {
        items.push(("<b>USMCA</b>".into(), String::new(), "none"));
        for s in &usmca {
            items.push((escape(&s.name), s.color.clone(), ""));
        }
    }
    if !overseas.is_empty() {
        items.push(("<b>Overseas</b>".into(), String::new(), "none"));
        for s in &overseas {
            items.push((escape(&s.name), s.color.clone(), ""));
        }
    }
    items.push(("total demand".into(), String::new(), "dot"));
    legend(b, &items);
    b.push_str(&svg::stacked_bars(&svg::Stacked {
        label: "Production by origin country per period",
        width: FULL_W,
        height: 300.0,
        categories: &labels,
        category_names: &plan.periods,
        series: &series,
        line: Some(&demand_line),
        fmt: Fmt::Count,
        y_title: "units produced",
        x_title: &x_title(plan, &prefix),
        unit: "units",
    }));
    // Totals by country, for reading exact numbers.
    let total: f64 = series.iter().flat_map(|s| s.values.iter()).sum();
    b.push_str("<table style=\"margin-top:10px;max-width:560px\"><tr><th>Country</th><th>Bloc</th><th class=\"num\">Units produced</th><th class=\"num\">Share</th></tr>");
    for s in &table_series {
        let q: f64 = s.values.iter().sum();
        let _ = write!(
            b,
            "<tr><td><span class=\"sw\" style=\"background:{}\"></span>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            s.color,
            escape(&s.name),
            if is_usmca(&s.name) { "USMCA" } else { "overseas" },
            units(q),
            if total > 0.0 { percent(q / total) } else { "–".into() }
        );
    }
    b.push_str("</table></div>\n");
}

fn bloc_section(b: &mut String, plan: &Plan) {
    let _ = writeln!(b, "<h2 id=\"bloc\">Bloc share against targets</h2>");
    if plan.bloc_shares.is_empty() {
        b.push_str("<p class=\"note\">The model has no <code>min_bloc_share</code> policy.</p>\n");
        return;
    }
    let _ = writeln!(
        b,
        "<p class=\"lead\">Share of deliveries arriving from the bloc, per market and period; the dashed red line is the target, \
         red-ringed points miss it. Points on the line are where the policy binds.</p>"
    );
    let (labels, _) = svg::period_labels(&plan.periods);
    let index = period_index(plan);
    for policy in distinct(plan.bloc_shares.iter().map(|r| r.policy.as_str())) {
        let rows: Vec<&BlocShareRow> = plan
            .bloc_shares
            .iter()
            .filter(|r| r.policy == policy)
            .collect();
        let target = rows.first().map_or(0.0, |r| r.target);
        let bloc = rows.first().map_or("", |r| r.bloc.as_str());
        let per_period: Vec<&BlocShareRow> = rows
            .iter()
            .copied()
            .filter(|r| index.contains_key(r.period.as_str()))
            .collect();
        let _ = writeln!(
            b,
            "<h3>{} <span class=\"meta\">— at least {} of deliveries from {}</span></h3>",
            escape(policy),
            pct(target),
            escape(bloc)
        );
        b.push_str("<div class=\"panel\">");
        if !per_period.is_empty() {
            let products = distinct(per_period.iter().map(|r| r.product.as_str()));
            let lowest = per_period
                .iter()
                .filter_map(|r| r.share)
                .fold(target, f64::min);
            let y_min = (((lowest - 0.05) * 10.0).floor() / 10.0).clamp(0.0, 0.9);
            let mut items: Vec<(String, String, &str)> = products
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    (
                        escape(p),
                        CATEGORICAL[i % CATEGORICAL.len()].to_string(),
                        "ln",
                    )
                })
                .collect();
            items.push((format!("target {}", pct(target)), String::new(), "dash"));
            items.push((
                axes_note(plan, "share of deliveries"),
                String::new(),
                "none",
            ));
            legend(b, &items);
            let markets = distinct(per_period.iter().map(|r| r.market.as_str()));
            let grid = if markets.len() == 2 || markets.len() == 4 {
                "grid2"
            } else {
                "grid3"
            };
            let _ = write!(b, "<div class=\"{grid}\">");
            let (width, height) = if grid == "grid2" {
                (2.0 * SMALL_W - 180.0, SMALL_H + 20.0)
            } else {
                (SMALL_W, SMALL_H)
            };
            for market in markets {
                let mrows: Vec<&&BlocShareRow> =
                    per_period.iter().filter(|r| r.market == market).collect();
                let series: Vec<(Series, Vec<Option<f64>>)> = products
                    .iter()
                    .enumerate()
                    .filter_map(|(i, product)| {
                        let mut shares = vec![None; plan.periods.len()];
                        let mut any = false;
                        for r in mrows.iter().filter(|r| r.product == *product) {
                            if let Some(&t) = index.get(r.period.as_str()) {
                                shares[t] = r.share;
                                any = true;
                            }
                        }
                        any.then(|| {
                            (
                                Series {
                                    name: (*product).to_string(),
                                    color: CATEGORICAL[i % CATEGORICAL.len()].to_string(),
                                    values: Vec::new(),
                                },
                                shares,
                            )
                        })
                    })
                    .collect();
                let met = mrows.iter().filter(|r| r.met).count();
                let binding = mrows
                    .iter()
                    .filter(|r| r.share.is_some_and(|s| (s - r.target).abs() < 1e-6))
                    .count();
                let status = if met == mrows.len() {
                    format!("all {met} met")
                } else {
                    format!(
                        "<b style=\"color:#c92a2a\">{} missed</b>",
                        mrows.len() - met
                    )
                };
                let _ = write!(
                    b,
                    "<figure><figcaption><b class=\"id\">{}</b> <span class=\"m\">· {status} · {binding} on target</span></figcaption>{}</figure>",
                    escape(market),
                    svg::share_lines(&svg::ShareLines {
                        label: &format!("{policy} share in {market}"),
                        width,
                        height,
                        categories: &labels,
                        category_names: &plan.periods,
                        series: &series,
                        target,
                        target_label: &format!("target {}", pct(target)),
                        y_min,
                    })
                );
            }
            b.push_str("</div>");
        }
        // Summary per market and product (and the horizon rows, which have no chart).
        b.push_str("<table style=\"margin-top:10px\"><tr><th>Market</th><th>Product</th><th>Scope</th><th class=\"num\">Share, all periods</th><th class=\"num\">Lowest</th><th>Where</th><th class=\"num\">Target</th><th class=\"num\">Met</th></tr>");
        let keys = distinct(rows.iter().map(|r| r.market.as_str()));
        for market in keys {
            for product in distinct(
                rows.iter()
                    .filter(|r| r.market == market)
                    .map(|r| r.product.as_str()),
            ) {
                let cell: Vec<&&BlocShareRow> = rows
                    .iter()
                    .filter(|r| r.market == market && r.product == product)
                    .collect();
                let delivered: f64 = cell.iter().map(|r| r.delivered).sum();
                let from_bloc: f64 = cell.iter().map(|r| r.from_bloc).sum();
                let lowest = cell
                    .iter()
                    .filter_map(|r| r.share.map(|s| (s, r.period.as_str())))
                    .min_by(|a, b| a.0.total_cmp(&b.0));
                let met = cell.iter().filter(|r| r.met).count();
                let scope = if cell.iter().all(|r| r.period == "horizon") {
                    "horizon"
                } else {
                    "per period"
                };
                let _ = write!(
                    b,
                    "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td>{scope}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}{met}/{}{}</td></tr>",
                    escape(market),
                    escape(product),
                    if delivered > 0.0 { percent(from_bloc / delivered) } else { "–".into() },
                    lowest.map_or("–".to_string(), |(s, _)| percent(s)),
                    escape(lowest.map_or("", |(_, p)| p)),
                    percent(target),
                    if met < cell.len() { "<b style=\"color:#c92a2a\">" } else { "" },
                    cell.len(),
                    if met < cell.len() { "</b>" } else { "" },
                );
            }
        }
        b.push_str("</table></div>\n");
    }
}

fn unmet_section(b: &mut String, plan: &Plan) {
    let _ = writeln!(b, "<h2 id=\"unmet\">Unmet demand</h2>");
    let Some(kpis) = &plan.kpis else { return };
    if kpis.unmet < 0.5 {
        let _ = writeln!(
            b,
            "<p class=\"note good\">All demand is served: {} of {} units in every market and period.</p>",
            units(kpis.served),
            units(kpis.demand)
        );
        return;
    }
    let _ = writeln!(
        b,
        "<p class=\"lead\">Units short per period, stacked by market: {} units in all, {} of demand.</p>",
        units(kpis.unmet),
        percent(1.0 - kpis.fill_rate)
    );
    let index = period_index(plan);
    let markets = distinct(plan.unmet.iter().map(|u| u.market.as_str()));
    let series: Vec<Series> = markets
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut values = vec![0.0; plan.periods.len()];
            for u in plan.unmet.iter().filter(|u| u.market == *m) {
                if let Some(&t) = index.get(u.period.as_str()) {
                    values[t] += u.unmet;
                }
            }
            Series {
                name: (*m).to_string(),
                color: CATEGORICAL[i % CATEGORICAL.len()].to_string(),
                values,
            }
        })
        .filter(|s| s.values.iter().any(|v| *v > 0.0))
        .collect();
    let (labels, prefix) = svg::period_labels(&plan.periods);
    b.push_str("<div class=\"panel\">");
    let items: Vec<(String, String, &str)> = series
        .iter()
        .map(|s| (escape(&s.name), s.color.clone(), ""))
        .collect();
    legend(b, &items);
    b.push_str(&svg::stacked_bars(&svg::Stacked {
        label: "Unmet demand per market and period",
        width: FULL_W,
        height: 230.0,
        categories: &labels,
        category_names: &plan.periods,
        series: &series,
        line: None,
        fmt: Fmt::Count,
        y_title: "units short",
        x_title: &x_title(plan, &prefix),
        unit: "units short",
    }));
    b.push_str("<table style=\"margin-top:10px\"><tr><th>Market</th><th>Product</th><th class=\"num\">Demand</th><th class=\"num\">Unmet</th><th class=\"num\">Fill rate</th><th>Worst period</th></tr>");
    for m in &markets {
        for p in distinct(
            plan.unmet
                .iter()
                .filter(|u| u.market == *m)
                .map(|u| u.product.as_str()),
        ) {
            let cell: Vec<_> = plan
                .unmet
                .iter()
                .filter(|u| u.market == *m && u.product == p)
                .collect();
            let demand: f64 = cell.iter().map(|u| u.demand).sum();
            let unmet: f64 = cell.iter().map(|u| u.unmet).sum();
            if unmet < 0.5 {
                continue;
            }
            let worst = cell
                .iter()
                .max_by(|a, b| a.unmet.total_cmp(&b.unmet))
                .map_or(String::new(), |u| {
                    format!("{} ({} units)", escape(&u.period), units(u.unmet))
                });
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{worst}</td></tr>",
                escape(m),
                escape(p),
                units(demand),
                units(unmet),
                if demand > 0.0 { percent(1.0 - unmet / demand) } else { "–".into() }
            );
        }
    }
    b.push_str("</table></div>\n");
}

fn shipments_section(b: &mut String, plan: &Plan, palette: &Palette) {
    struct Lane<'a> {
        from: &'a str,
        to: &'a str,
        product: &'a str,
        units: f64,
        cost: f64,
        periods: Vec<&'a str>,
    }
    let mut lanes: Vec<Lane> = Vec::new();
    let mut at: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for s in &plan.shipments {
        let key = (s.from.as_str(), s.to.as_str(), s.product.as_str());
        let i = *at.entry(key).or_insert_with(|| {
            lanes.push(Lane {
                from: key.0,
                to: key.1,
                product: key.2,
                units: 0.0,
                cost: 0.0,
                periods: Vec::new(),
            });
            lanes.len() - 1
        });
        let lane = &mut lanes[i];
        lane.units += s.quantity;
        lane.cost += s.quantity * s.unit_cost;
        if !lane.periods.contains(&s.departure.as_str()) {
            lane.periods.push(s.departure.as_str());
        }
    }
    lanes.retain(|l| l.units >= 0.5);
    lanes.sort_by(|a, b| {
        b.units
            .total_cmp(&a.units)
            .then_with(|| (a.from, a.to, a.product).cmp(&(b.from, b.to, b.product)))
    });
    let total_units: f64 = lanes.iter().map(|l| l.units).sum();
    let total_cost: f64 = lanes.iter().map(|l| l.cost).sum();
    let _ = writeln!(
        b,
        "<h2 id=\"shipments\">Shipments by lane</h2><p class=\"lead\">{} lane–product flows carrying {} units, largest first. Lane cost is freight, tariff, duty and carbon (production cost not included).</p>",
        lanes.len(),
        units(total_units)
    );
    if lanes.is_empty() {
        b.push_str("<p class=\"note\">Nothing is shipped.</p>\n");
        return;
    }
    let country: BTreeMap<&str, &str> = plan
        .sites
        .iter()
        .map(|s| (s.id.as_str(), s.country.as_str()))
        .collect();
    let n_t = plan.periods.len();
    let max_units = lanes.first().map_or(1.0, |l| l.units.max(1.0));
    b.push_str("<div class=\"panel\"><table><tr><th>From</th><th>To</th><th>Product</th><th class=\"num\">Units</th><th></th><th class=\"num\">Periods active</th><th class=\"num\">Lane cost / unit</th><th class=\"num\">Lane cost</th></tr>");
    for l in lanes.iter().take(MAX_LANES) {
        let c = country.get(l.from).copied().unwrap_or("");
        let _ = write!(
            b,
            "<tr><td class=\"id\"><span class=\"sw\" style=\"background:{}\" title=\"{}\"></span>{} <span class=\"meta\">{}</span></td><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"num\">{}</td><td style=\"width:110px\"><span class=\"bar\" style=\"width:{}px;background:{}\"></span></td><td class=\"num\">{} of {n_t}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            palette.color(c),
            escape(c),
            escape(l.from),
            escape(c),
            escape(l.to),
            escape(l.product),
            units(l.units),
            (100.0 * l.units / max_units).round().max(1.0),
            palette.color(c),
            l.periods.len(),
            money(if l.units > 0.0 { l.cost / l.units } else { 0.0 }),
            money(l.cost)
        );
    }
    if lanes.len() > MAX_LANES {
        let rest = &lanes[MAX_LANES..];
        let _ = write!(
            b,
            "<tr><td colspan=\"3\" class=\"meta\">… {} smaller flows (all in shipments.csv)</td><td class=\"num\">{}</td><td></td><td></td><td></td><td class=\"num\">{}</td></tr>",
            rest.len(),
            units(rest.iter().map(|l| l.units).sum()),
            money(rest.iter().map(|l| l.cost).sum())
        );
    }
    let _ = writeln!(
        b,
        "<tr class=\"total\"><td colspan=\"3\">total</td><td class=\"num\">{}</td><td></td><td></td><td></td><td class=\"num\">{}</td></tr></table></div>",
        units(total_units),
        money(total_cost)
    );
}

fn policies_section(b: &mut String, plan: &Plan) {
    let _ = writeln!(b, "<h2 id=\"policies\">Policies</h2>");
    if plan.policies.is_empty() {
        b.push_str("<p class=\"note\">The model has no policies.</p>\n");
        return;
    }
    let _ = writeln!(
        b,
        "<p class=\"lead\">Rows each policy added to the LP and how many bind (hold with equality) at the optimum; binding policies are what the plan pushes against.</p>"
    );
    b.push_str("<div class=\"panel\"><table><tr><th>Policy</th><th>Kind</th><th>Type</th><th class=\"num\">Rows</th><th class=\"num\">Binding</th><th class=\"num\">Slack used</th><th>Binding rows, e.g.</th></tr>");
    for p in &plan.policies {
        let kind = if p.soft {
            format!("soft, {} per unit", money_short(p.penalty.unwrap_or(0.0)))
        } else {
            "hard".to_string()
        };
        let slack = if p.soft {
            if p.slack >= 0.05 {
                format!("<b>{}</b>", svg::count(p.slack, 0.1))
            } else {
                "0".to_string()
            }
        } else {
            "–".to_string()
        };
        let examples: Vec<String> = p
            .binding_examples
            .iter()
            .take(3)
            .map(|e| format!("<span class=\"mono\">{}</span>", escape(e)))
            .collect();
        let more = if p.binding_rows > examples.len() {
            format!(" … +{}", p.binding_rows - examples.len())
        } else {
            String::new()
        };
        let binding = if p.binding_rows > 0 {
            format!("<b>{}</b>", p.binding_rows)
        } else {
            "0".to_string()
        };
        let _ = write!(
            b,
            "<tr><td class=\"id\"><b>{}</b></td><td>{}</td><td>{kind}</td><td class=\"num\">{}</td><td class=\"num\">{binding}</td><td class=\"num\">{slack}</td><td class=\"id\">{}{more}</td></tr>",
            escape(&p.name),
            escape(&p.kind),
            p.rows,
            examples.join(", ")
        );
    }
    b.push_str("</table></div>\n");
}

fn shadow_section(b: &mut String, plan: &Plan) {
    let _ = writeln!(b, "<h2 id=\"prices\">Shadow prices</h2>");
    let Some(sp) = &plan.shadow_prices else {
        let note = plan
            .duals_note
            .as_deref()
            .unwrap_or("the solver gave no shadow prices");
        let _ = writeln!(
            b,
            "<p class=\"note\">No shadow prices in this plan: {}.</p>",
            escape(note)
        );
        return;
    };
    let _ = writeln!(
        b,
        "<p class=\"lead\">What one more unit of a binding limit is worth at the optimum (from the solver's duals). Top 10 of each kind.</p>"
    );
    if sp.capacity.is_empty() && sp.bloc_share.is_empty() && sp.policies.is_empty() {
        b.push_str("<p class=\"note\">No capacity or policy row is binding with a price.</p>\n");
    }
    b.push_str("<div class=\"tables\">");
    if !sp.capacity.is_empty() {
        let _ = write!(
            b,
            "<div class=\"panel\"><h3 style=\"margin-top:0\">One more capacity unit</h3><p class=\"meta\">{} site-periods with a price</p><table><tr><th>Site</th><th>Period</th><th class=\"num\">$ / capacity unit</th><th class=\"num\">Utilization</th></tr>",
            sp.capacity.len()
        );
        for c in sp.capacity.iter().take(10) {
            let util = plan
                .sites
                .iter()
                .find(|s| s.id == c.site)
                .and_then(|s| s.periods.iter().find(|p| p.period == c.period))
                .map_or("–".to_string(), |p| percent(p.utilization));
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"nw\">{}</td><td class=\"num\">{}</td><td class=\"num\">{util}</td></tr>",
                escape(&c.site),
                escape(&c.period),
                money(c.value)
            );
        }
        b.push_str("</table></div>");
    }
    if !sp.bloc_share.is_empty() {
        let _ = write!(
            b,
            "<div class=\"panel\"><h3 style=\"margin-top:0\">One more point of bloc share</h3><p class=\"meta\">{} binding targets</p><table><tr><th>Market</th><th>Product</th><th>Period</th><th class=\"num\">$ / point</th></tr>",
            sp.bloc_share.len()
        );
        for s in sp.bloc_share.iter().take(10) {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"nw\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&s.market),
                escape(&s.product),
                escape(&s.period),
                money(s.cost_per_point)
            );
        }
        let policies = distinct(sp.bloc_share.iter().map(|s| s.policy.as_str()));
        let names: Vec<String> = policies.iter().map(|p| escape(p)).collect();
        let _ = write!(
            b,
            "</table><p class=\"meta\">Policy: {}</p></div>",
            names.join(", ")
        );
    }
    if !sp.policies.is_empty() {
        let _ = write!(
            b,
            "<div class=\"panel\"><h3 style=\"margin-top:0\">Relaxing a policy row by one unit</h3><p class=\"meta\">{} rows with a price</p><table><tr><th>Row</th><th class=\"num\">$ saved</th><th>per</th></tr>",
            sp.policies.len()
        );
        for p in sp.policies.iter().take(10) {
            let _ = write!(
                b,
                "<tr><td class=\"id mono\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                escape(&p.row),
                money(p.value),
                escape(&p.unit)
            );
        }
        b.push_str("</table></div>");
    }
    if !sp.demand.is_empty() {
        let mut demand: Vec<_> = sp.demand.iter().collect();
        demand.sort_by(|a, b| b.marginal_cost.total_cmp(&a.marginal_cost));
        let _ = write!(
            b,
            "<div class=\"panel\"><h3 style=\"margin-top:0\">One more unit of demand</h3><p class=\"meta\">most expensive of {} market-product-periods</p><table><tr><th>Market</th><th>Product</th><th>Period</th><th class=\"num\">$ / unit</th></tr>",
            demand.len()
        );
        for d in demand.iter().take(10) {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"nw\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&d.market),
                escape(&d.product),
                escape(&d.period),
                money(d.marginal_cost)
            );
        }
        b.push_str("</table></div>");
    }
    b.push_str("</div>\n");
    if !sp.reduced_costs.is_empty() {
        let _ = writeln!(
            b,
            "<p class=\"meta\">{} variables have a nonzero reduced cost (see <code>plan.json</code>).</p>",
            sp.reduced_costs.len()
        );
    }
}

fn verification_section(b: &mut String, plan: &Plan) {
    let _ = writeln!(b, "<h2 id=\"verification\">Independent verification</h2>");
    let Some(v) = &plan.verification else {
        b.push_str("<p class=\"note\">This plan was not verified.</p>\n");
        return;
    };
    let _ = writeln!(
        b,
        "<p class=\"note {}\">{} Every constraint was re-checked against the input with plain arithmetic, outside the solver: {} checks; \
         worst violation {:.1e} relative{}. Objective reported {}, recomputed {} (gap {:.1e}).</p>",
        if v.passed { "good" } else { "badn" },
        if v.passed {
            "<b>Passed.</b>"
        } else {
            "<b>Failed.</b>"
        },
        group(v.checks as u64),
        v.worst_violation,
        v.worst_constraint
            .as_deref()
            .map(|c| format!(" at <span class=\"id\">{}</span>", escape(c)))
            .unwrap_or_default(),
        money(v.objective_reported),
        money(v.objective_recomputed),
        v.objective_gap
    );
    if !v.violations.is_empty() {
        b.push_str("<div class=\"panel\"><table><tr><th>Violated constraint</th><th class=\"num\">By</th></tr>");
        for x in &v.violations {
            let _ = write!(
                b,
                "<tr><td class=\"id\">{}</td><td class=\"num\">{:.3e}</td></tr>",
                escape(&x.constraint),
                x.amount
            );
        }
        b.push_str("</table></div>\n");
    }
}

fn run_section(b: &mut String, plan: &Plan) {
    let m = &plan.metadata;
    let _ = writeln!(b, "<h2 id=\"run\">Run</h2>");
    b.push_str("<div class=\"tables\"><div class=\"panel\"><table>");
    let rows: Vec<(&str, String)> = vec![
        (
            "Tool",
            format!("{} {}", escape(&m.tool), escape(&m.tool_version)),
        ),
        ("Model", escape(&m.model_name)),
        ("Status", status_pill(&plan.status)),
        (
            "Solver",
            format!(
                "{}{}",
                escape(&m.solver),
                m.time_limit_s
                    .map(|t| format!(" (time limit {t} s)"))
                    .unwrap_or_default()
            ),
        ),
        (
            "Size",
            format!(
                "{} variables · {} rows · {} non-zeros",
                group(m.variables as u64),
                group(m.rows as u64),
                group(m.nonzeros as u64)
            ),
        ),
        (
            "Overrides",
            if m.overrides.is_empty() {
                "none".to_string()
            } else {
                m.overrides
                    .iter()
                    .map(|o| format!("<span class=\"mono\">{}</span>", escape(o)))
                    .collect::<Vec<_>>()
                    .join("<br>")
            },
        ),
    ];
    for (k, v) in rows {
        let _ = write!(
            b,
            "<tr><th style=\"width:110px\">{k}</th><td class=\"id\">{v}</td></tr>"
        );
    }
    b.push_str("</table></div><div class=\"panel\"><table><tr><th>Input file</th><th>SHA-256 (first 16)</th></tr>");
    for f in &m.inputs {
        let sha: String = f.sha256.chars().take(16).collect();
        let _ = write!(
            b,
            "<tr><td class=\"id mono\">{}</td><td class=\"mono\">{}</td></tr>",
            escape(&f.path),
            escape(&sha)
        );
    }
    b.push_str("</table></div></div>\n");
    let _ = writeln!(
        b,
        "<footer>Generated by {} {} from the plan alone; re-render with <code>allyplan report plan.json</code>.</footer>",
        escape(&m.tool),
        escape(&m.tool_version)
    );
}

/// The short page of a run without a usable solution.
fn no_solution(plan: &Plan) -> String {
    let mut b = String::new();
    let _ = writeln!(b, "<h1>Allocation plan: {}</h1>", escape(&plan.model));
    let _ = writeln!(
        b,
        "<p class=\"meta\">{} &nbsp;No plan to report: the solver found no usable solution.</p>",
        status_pill(&plan.status)
    );
    let _ = writeln!(
        b,
        "<p class=\"note badn\"><b>Status: {}.</b> {}</p>",
        escape(plan.status.word()),
        escape(&capitalized(plan.message.as_deref().unwrap_or("")))
    );
    if plan.status == PlanStatus::Infeasible {
        b.push_str("<p>Relax or disable a policy (<code>--disable NAME</code>, or <code>soft: {penalty: N}</code> in the model) and solve again; \
                    <code>allyplan explain</code> can point at the conflicting constraints.</p>\n");
    }
    run_section(&mut b, plan);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_matters() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn page_is_self_contained() {
        let html = page("a <b>", "<p>x</p>");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<title>a &lt;b&gt;</title>"));
        assert!(!html.contains("http"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn markdown_findings_become_html() {
        assert_eq!(
            from_markdown("min\\_share &lt;b&gt; \\\\"),
            "min_share &lt;b&gt; \\"
        );
    }
}
