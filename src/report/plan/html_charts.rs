//! The chart sections of `report.html`: cost breakdown, decisions over the horizon, load
//! against capacity, production by origin country, bloc shares against targets and unmet
//! demand.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::decisions::{expansion_cell, mip_line, write_html_parts};
use super::html_parts::{
    axes_note, distinct, is_usmca, period_index, x_title, Palette, FULL_W, SMALL_H, SMALL_W,
};
use crate::fmt::{escape_html as escape, money, money_short, percent, target_pct, units};
use crate::plan::{BlocShareRow, Plan};
use crate::report::chart::{self, Fmt, Series, SiteBar, CATEGORICAL};

pub fn costs_section(b: &mut String, plan: &Plan) {
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
    b.push_str(&chart::hbars(
        "Cost breakdown by component",
        &rows,
        "#1c5d99",
        FULL_W,
    ));
    b.push_str("</div>\n");
}

/// Decisions over the horizon: the MIP search, a timeline (one lane per site with an
/// open/close decision or an expansion) and the tables shared with `report.md`; nothing
/// for a plan without decisions.
pub fn decisions_section(b: &mut String, plan: &Plan) {
    let Some(d) = &plan.decisions else { return };
    let _ = writeln!(
        b,
        "<h2 id=\"decisions\">Decisions over the horizon</h2><p class=\"lead\">What is built, opened or closed, when and at what cost, and what each decision is worth.</p>"
    );
    if let Some(mip) = &d.mip {
        let _ = writeln!(b, "<p class=\"note\">{}</p>", escape(&mip_line(plan, mip)));
    }
    let mut sites = distinct(
        d.sites
            .iter()
            .map(|s| s.site.as_str())
            .chain(d.timeline.iter().map(|e| e.site.as_str()))
            .chain(d.expansions.iter().map(|x| x.site.as_str())),
    );
    // In the order of the plan's sites; others (hubs) after them.
    sites.sort_by_key(|id| {
        plan.sites
            .iter()
            .position(|s| s.id == *id)
            .unwrap_or(usize::MAX)
    });
    let index = period_index(plan);
    let lanes: Vec<chart::Lane> = sites
        .iter()
        .map(|site| {
            let states: Vec<_> = d.sites.iter().filter(|s| s.site == *site).collect();
            let open = (!states.is_empty()).then(|| {
                plan.periods
                    .iter()
                    .map(|p| states.iter().any(|s| s.period == *p && s.open))
                    .collect()
            });
            let builds = d
                .timeline
                .iter()
                .filter(|e| e.site == *site && e.action == "build")
                .filter_map(|e| Some((*index.get(e.period.as_str())?, expansion_cell(e))))
                .collect();
            chart::Lane {
                name: (*site).to_string(),
                open,
                builds,
            }
        })
        .collect();
    if !lanes.is_empty() {
        let (labels, prefix) = chart::period_labels(&plan.periods);
        b.push_str("<div class=\"panel\"><div class=\"legend\">");
        let _ = write!(
            b,
            "<span><span class=\"sw\" style=\"background:{}\"></span>open</span>\
             <span><span class=\"sw\" style=\"background:#fff;border:1px solid {}\"></span>closed</span>\
             <span><span class=\"sw\" style=\"background:{}\"></span>no open/close decision</span>\
             <span><span class=\"sw\" style=\"background:{};transform:rotate(45deg) scale(.8)\"></span>expansion built</span>",
            chart::OPEN_COLOR,
            chart::MUTED,
            chart::ALWAYS_OPEN,
            chart::BUILD_COLOR
        );
        b.push_str("</div>");
        b.push_str(&chart::timeline(&chart::Timeline {
            label: "Decisions over the horizon by site",
            width: FULL_W,
            categories: &labels,
            category_names: &plan.periods,
            x_title: &x_title(plan, &prefix),
            lanes: &lanes,
        }));
        b.push_str("</div>\n");
    }
    write_html_parts(b, plan, d);
}

pub fn load_section(b: &mut String, plan: &Plan) {
    let _ = writeln!(
        b,
        "<h2 id=\"load\">Load against capacity, by site</h2><p class=\"lead\">Capacity units per period, one scale for all sites. \
         Flat bars mean level production; orange is overtime, used inside the shaded overtime allowance above regular capacity.</p>"
    );
    if plan.sites.is_empty() {
        b.push_str("<p class=\"note\">No sites.</p>");
        return;
    }
    let (labels, _) = chart::period_labels(&plan.periods);
    let y_max = plan
        .sites
        .iter()
        .flat_map(|s| s.periods.iter())
        .fold(0.0f64, |m, p| {
            m.max(p.capacity + p.overtime_capacity).max(p.load)
        });
    b.push_str("<div class=\"panel\">");
    chart::legend(
        b,
        &[
            (
                "load on regular capacity".into(),
                chart::LOAD_COLOR.into(),
                "",
            ),
            ("overtime used".into(), chart::OVERTIME_COLOR.into(), ""),
            (
                "regular capacity".into(),
                chart::CAPACITY_COLOR.into(),
                "ln",
            ),
            ("overtime allowance".into(), chart::OVERTIME_BAND.into(), ""),
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
            chart::site_load(&site.id, &bars, &labels, y_max, SMALL_W, SMALL_H)
        );
    }
    b.push_str("</div></div>\n");
}

pub fn production_section(b: &mut String, plan: &Plan, palette: &Palette) {
    // In a multi-tier plan, components would dwarf what markets buy: only the products
    // with demand are counted, so the bars and the demand line measure the same units.
    let multi_tier = plan.network.is_some();
    let demanded: std::collections::BTreeSet<&str> = plan
        .unmet
        .iter()
        .filter(|r| r.demand > 0.0)
        .map(|r| r.product.as_str())
        .collect();
    let what = if multi_tier {
        "Units of the products markets demand (components left out) made per period"
    } else {
        "Units made per period, all products"
    };
    let _ = writeln!(
        b,
        "<h2 id=\"production\">Production by origin country</h2><p class=\"lead\">{what}, stacked by the country of the plant; \
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
        if multi_tier && !demanded.contains(row.product.as_str()) {
            continue;
        }
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
    let (labels, prefix) = chart::period_labels(&plan.periods);
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
    chart::legend(b, &items);
    b.push_str(&chart::stacked_bars(&chart::Stacked {
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

pub fn bloc_section(b: &mut String, plan: &Plan) {
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
    let (labels, _) = chart::period_labels(&plan.periods);
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
            target_pct(target),
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
            items.push((
                format!("target {}", target_pct(target)),
                String::new(),
                "dash",
            ));
            items.push((
                axes_note(plan, "share of deliveries"),
                String::new(),
                "none",
            ));
            chart::legend(b, &items);
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
                    chart::share_lines(&chart::ShareLines {
                        label: &format!("{policy} share in {market}"),
                        width,
                        height,
                        categories: &labels,
                        category_names: &plan.periods,
                        series: &series,
                        target,
                        target_label: &format!("target {}", target_pct(target)),
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

pub fn unmet_section(b: &mut String, plan: &Plan) {
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
    let (labels, prefix) = chart::period_labels(&plan.periods);
    b.push_str("<div class=\"panel\">");
    let items: Vec<(String, String, &str)> = series
        .iter()
        .map(|s| (escape(&s.name), s.color.clone(), ""))
        .collect();
    chart::legend(b, &items);
    b.push_str(&chart::stacked_bars(&chart::Stacked {
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
