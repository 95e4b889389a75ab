//! `regional_value_content`: rules of origin by value content (USMCA's regional value
//! content, transaction-value method, last-production-step origin).
//!
//! For each producing site s and product p in scope, over each window (`per`):
//! Σ_t [ in_bloc(s)·(v_p − Σ_c bom[p,c]·v_c)·x[s,p,t] + Σ_c v_c·z[s,p,c,t] ] ≥ α·v_p·Σ_t x[s,p,t],
//! where z is the part of the components consumed for p at s in t whose origin is in the
//! bloc. Components are consumed per make and origin class (the LP's consumption
//! columns), so z is the bloc classes' part of that consumption; where a component has
//! one class at the site, z is qty·x when that class is in the bloc and 0 otherwise.
//! `soft` prices the shortfall in $ of value content.

use super::kind::{
    AddRows, Bound, Checks, Columns, Facts, Gap, Names, Numbers, OriginRule, OriginTest,
    PolicyKind, Price, Range, ReadKeys, Resolve, Selector, Side, Size, When,
};
use crate::allocation::Allocation;
use crate::diag::Spanned;
use crate::fmt::{money, pct, qty};
use crate::network::{Network, Per};
use crate::plan::{ComponentSource, Place, ValueContentRow};

#[derive(Debug, Clone)]
pub struct RegionalValueContent {
    pub bloc: usize,
    pub min_share: f64,
    pub products: Vec<bool>,
    pub sites: Vec<bool>,
    pub per: Per,
    /// `preference: {tariff}`: instead of a hard rule, units leaving on lanes into
    /// another bloc country pay this share of their value unless the rule holds.
    pub preference: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Raw {
    pub bloc: Spanned<String>,
    pub min_share: f64,
    pub products: Spanned<Selector>,
    pub sites: Spanned<Selector>,
    pub per: Per,
    pub preference: Option<f64>,
}

/// The value content of (site, product) over period `t`, or over the horizon; with
/// `preference`, `tariff` marks the row that charges the tariff when the rule fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Row {
    pub site: usize,
    pub product: usize,
    pub t: Option<usize>,
    pub tariff: bool,
}

/// Value content of one (site, product, window) in a plan, in $.
#[derive(Debug, Clone, Default)]
struct Content {
    produced: f64,
    value: f64,
    value_added: f64,
    regional_components: f64,
    other_components: f64,
    /// (component, class, units consumed) over the window.
    consumed: Vec<(usize, u16, f64)>,
}

impl Content {
    fn regional(&self) -> f64 {
        self.value_added + self.regional_components
    }
}

impl PolicyKind for RegionalValueContent {
    const NAME: &'static str = "regional_value_content";
    const KEYS: &'static [&'static str] = &[
        "bloc",
        "min_share",
        "products",
        "sites",
        "per",
        "preference",
    ];
    const DOC: &'static str =
        "Regional value content (transaction-value method): at least `min_share` of the value of each product in scope made at each site in scope is added in the bloc.";
    const KEY_DOCS: &'static [(&'static str, &'static str)] = &[
        ("bloc", "The bloc (a name under `blocs`) whose countries count."),
        ("min_share", "Least regional value content, in [0, 1]."),
        ("products", "Products in scope."),
        ("sites", "Producing sites in scope (hubs never are)."),
        ("per", "`period`: each period on its own; `horizon`: over the whole horizon."),
        ("preference", "Instead of a hard rule: `{tariff: T}` charges T·unit_value on units leaving for another bloc country unless the rule holds (one binary per site, product and window). Excludes `soft`."),
    ];
    const UNIT: &'static str = "$ of value content";
    type Raw = Raw;
    type Row = Row;

    fn read(keys: &mut impl ReadKeys) -> Option<Raw> {
        let bloc = keys.text("bloc");
        let min_share = keys.number("min_share", Range::Share);
        let preference = keys.inner_number("preference", "tariff", Range::NonNegative);
        if keys.has("preference") && keys.has("soft") {
            keys.error(
                "`soft` and `preference` exclude each other: a rule with a preference \
                 already gives, at the price of the tariff"
                    .to_string(),
            );
        }
        Some(Raw {
            bloc: bloc?,
            min_share,
            products: keys.selector("products", true),
            sites: keys.selector("sites", false),
            per: keys.per(Per::Period),
            preference,
        })
    }

    fn resolve(raw: &Raw, ids: &mut impl Resolve) -> Option<Self> {
        let bloc = ids.bloc(&raw.bloc);
        let products = ids.products(&raw.products);
        let sites = ids.sites(&raw.sites);
        bloc.map(|bloc| RegionalValueContent {
            bloc,
            min_share: raw.min_share,
            products,
            sites,
            per: raw.per,
            preference: raw.preference,
        })
    }

    fn numbers(raw: &Raw, out: &mut impl Numbers) {
        out.coefficient(raw.min_share, "min_share");
    }

    fn max_rows(&self, size: &Size) -> u64 {
        size.sites * size.products * size.periods
    }

    /// Its components' origins, in the bloc or not.
    fn origin_rules(&self, net: &Network) -> Vec<OriginRule> {
        let mut components = vec![false; net.products.len()];
        for mk in net
            .makes
            .iter()
            .filter(|mk| self.covers(net, mk.site, mk.product))
        {
            for &(c, _) in &net.products[mk.product].bom {
                components[c] = true;
            }
        }
        vec![OriginRule {
            products: components,
            test: OriginTest::Bloc(self.bloc),
        }]
    }

    fn add_rows(&self, net: &Network, cols: &impl Columns, rows: &mut impl AddRows<Row>) {
        if self.min_share <= 0.0 {
            return;
        }
        let in_bloc = net.countries_in_bloc(self.bloc);
        let groups = self.per.groups(net.n_periods());
        let mut terms: Vec<(usize, f64)> = Vec::new();
        for (k, mk) in net.makes.iter().enumerate() {
            if !self.covers(net, mk.site, mk.product) {
                continue;
            }
            let product = &net.products[mk.product];
            let own = self.site_in_bloc(net, mk.site);
            let va = if own {
                value_added(net, mk.product)
            } else {
                0.0
            };
            for (t, periods) in &groups {
                terms.clear();
                for &period in periods {
                    if let Some(x) = cols.production(k, period) {
                        terms.push((x, va - self.min_share * product.unit_value));
                    }
                    for &u in cols.uses_of(k) {
                        let value = net.products[net.bom_uses[u].component].unit_value;
                        for (country, c, a) in cols.consumption(u, period) {
                            if in_bloc[country] {
                                terms.push((c, value * a));
                            }
                        }
                    }
                }
                merge(&mut terms);
                if terms.is_empty() {
                    continue;
                }
                let row = Row {
                    site: mk.site,
                    product: mk.product,
                    t: *t,
                    tariff: false,
                };
                match self.preference {
                    None => rows.add(row, terms.iter().copied(), Bound::AtLeast(0.0)),
                    Some(tariff) => {
                        let sizes = Sizes {
                            net,
                            cols,
                            make: k,
                            periods,
                            value_added: va,
                        };
                        self.add_preference(&sizes, row, &terms, tariff, rows);
                    }
                }
            }
        }
    }

    fn scope(row: &Row, names: &Names) -> String {
        format!(
            "{},{},{}{}",
            names.site(row.site),
            names.product(row.product),
            names.period_or_horizon(row.t),
            if row.tariff { ",tariff" } else { "" }
        )
    }

    fn check(&self, facts: &Facts, out: &mut impl Checks) {
        let net = facts.net;
        for mk in &net.makes {
            if !self.covers(net, mk.site, mk.product) {
                continue;
            }
            for (t, periods) in self.per.groups(net.n_periods()) {
                let content = self.content(net, facts.alloc, mk.site, mk.product, &periods);
                let mut excess = self.min_share * content.value - content.regional();
                if let Some(tariff) = self.preference {
                    let lanes = self.preference_lanes(net, mk.site, mk.product);
                    if lanes.is_empty() {
                        continue;
                    }
                    let q = out.decision((mk.site, mk.product, t));
                    let off = (q - q.round()).abs();
                    out.row(if off > 1e-6 { off } else { 0.0 }, 0.0, || {
                        format!(
                            "{} preference of {} at {} is not whole ({q})",
                            net.blocs[self.bloc].name,
                            net.products[mk.product].id,
                            net.sites[mk.site].id
                        )
                    });
                    if q < 0.5 {
                        // The rule need not hold; the tariff is due on what leaves.
                        let leaving: f64 = lanes
                            .iter()
                            .flat_map(|&l| periods.iter().map(move |&t| (l, t)))
                            .map(|(l, t)| facts.alloc.shipments[[l, mk.product, t]])
                            .sum();
                        out.charge(tariff * net.products[mk.product].unit_value * leaving);
                        excess = 0.0;
                    }
                }
                // Like a balance row, its size is the sum of its terms' magnitudes: value
                // added, bloc components and the target's share of the value.
                let size = content.value_added.abs()
                    + content.regional_components
                    + self.min_share * content.value;
                out.row(excess, size, || {
                    format!(
                        "{} value content of {} at {}",
                        net.blocs[self.bloc].name,
                        net.products[mk.product].id,
                        net.sites[mk.site].id
                    )
                });
            }
        }
    }

    fn price(row: &Row) -> Price {
        if row.tariff {
            return Price::Per("$ of tariff");
        }
        Price::PerValuePoint {
            site: row.site,
            product: row.product,
            t: row.t,
        }
    }

    /// The shortfall, and which components of which origins would have to come from the
    /// bloc instead to close it (largest value first), in `origins`.
    fn gap(&self, row: &Row, slack: f64, net: &Network, alloc: &Allocation) -> Option<Gap> {
        if row.tariff {
            return None;
        }
        let periods = super::kind::periods_of(net, row.t);
        let content = self.content(net, alloc, row.site, row.product, &periods);
        let place = Place {
            site: Some(net.sites[row.site].id.clone()),
            product: Some(net.products[row.product].id.clone()),
            ..Place::default()
        };
        let mut gap = Gap::new(Side::Min, place, row.t, slack).measured(
            content.regional(),
            self.min_share * content.value,
            content.value,
        );
        // Non-bloc components consumed, by component and origin, largest value first.
        let mut outside: Vec<(f64, usize, u16, f64)> = content
            .consumed
            .iter()
            .filter(|&&(c, k, units)| units > 0.0 && !self.class_in_bloc(net, c, k))
            .map(|&(c, k, units)| (units * net.products[c].unit_value, c, k, units))
            .collect();
        outside.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut left = slack;
        for (value, c, k, units) in outside {
            if left <= 0.0 {
                break;
            }
            let unit_value = net.products[c].unit_value;
            if unit_value <= 0.0 {
                continue;
            }
            let moved = (left / unit_value).min(units);
            left -= moved * unit_value;
            gap.origins.push(format!(
                "{} of the {} units of {} from {} (worth {} as components)",
                qty(moved),
                qty(units),
                net.products[c].id,
                net.origins.label(c, k),
                money(moved * unit_value)
            ));
            let _ = value;
        }
        Some(gap)
    }

    fn sentence(&self, name: &str, gap: &Gap, when: &When, net: &Network) -> String {
        let share = if gap.base > 0.0 {
            gap.actual / gap.base
        } else {
            0.0
        };
        let mut text = format!(
            "regional_value_content '{name}' cannot hold for {} at {} {}: at most {} of its {} \
             of value can be {} content ({} against {})",
            gap.product(),
            gap.site(),
            when.text,
            money(gap.actual),
            money(gap.base),
            net.blocs[self.bloc].name,
            pct(share),
            pct(self.min_share)
        );
        if gap.origins.is_empty() {
            text.push_str(&format!(
                "; {} of value content is missing, and no component from outside the bloc \
                 could make it up (the value added outside the bloc, or the bloc's supply, is \
                 the limit)",
                money(gap.shortfall)
            ));
        } else {
            text.push_str(&format!(
                "; to close the {} gap, these would have to come from the bloc instead: {}",
                money(gap.shortfall),
                gap.origins.join("; ")
            ));
        }
        text
    }

    fn value_content(&self, name: &str, facts: &Facts) -> Vec<ValueContentRow> {
        let net = facts.net;
        let mut rows = Vec::new();
        for mk in &net.makes {
            if !self.covers(net, mk.site, mk.product) {
                continue;
            }
            for (t, periods) in self.per.groups(net.n_periods()) {
                let content = self.content(net, facts.alloc, mk.site, mk.product, &periods);
                let share = (content.value > 0.0).then(|| content.regional() / content.value);
                let sources = self.sources(facts, mk.site, &content, &periods);
                let met = share.is_none_or(|s| s + 1e-9 >= self.min_share);
                // With a preference, units leaving into other bloc countries pay the
                // tariff in a window where the rule does not hold.
                let tariff_paid = self.preference.map(|tariff| {
                    if met {
                        return 0.0;
                    }
                    let lanes = self.preference_lanes(net, mk.site, mk.product);
                    let leaving: f64 = lanes
                        .iter()
                        .flat_map(|&l| periods.iter().map(move |&t| (l, t)))
                        .map(|(l, t)| facts.alloc.shipments[[l, mk.product, t]])
                        .sum();
                    tariff * net.products[mk.product].unit_value * leaving
                });
                rows.push(ValueContentRow {
                    policy: name.to_string(),
                    bloc: net.blocs[self.bloc].name.clone(),
                    site: net.sites[mk.site].id.clone(),
                    product: net.products[mk.product].id.clone(),
                    period: t.map_or_else(|| "horizon".to_string(), |t| net.periods[t].clone()),
                    produced: content.produced,
                    value: content.value,
                    value_added: content.value_added,
                    regional_components: content.regional_components,
                    other_components: content.other_components,
                    share,
                    target: self.min_share,
                    margin_points: share.map(|s| (s - self.min_share) * 100.0),
                    met,
                    sources,
                    tariff_paid,
                });
            }
        }
        rows
    }
}

/// What bounds the preference rows of one make and window.
struct Sizes<'a, C> {
    net: &'a Network,
    cols: &'a C,
    make: usize,
    periods: &'a [usize],
    value_added: f64,
}

impl RegionalValueContent {
    /// Lanes from `site` that carry `product` into another country of the rule's bloc:
    /// where the preference tariff applies.
    pub fn preference_lanes(&self, net: &Network, site: usize, product: usize) -> Vec<usize> {
        let own = &net.sites[site].country;
        net.lanes
            .iter()
            .enumerate()
            .filter(|(_, lane)| lane.from == site && lane.cost[product].is_some())
            .filter(|(_, lane)| {
                let country = match lane.to {
                    crate::network::Dest::Market(m) => &net.markets[m].country,
                    crate::network::Dest::Site(s) => &net.sites[s].country,
                };
                country != own && net.bloc_contains(self.bloc, country)
            })
            .map(|(l, _)| l)
            .collect()
    }

    /// With `preference`: a binary q (the rule holds), the rule row relaxed when q = 0,
    /// and the tariff T ≥ tariff · value · (units leaving on preference lanes) − M·q.
    /// No preference lane: no tariff to avoid, so neither binary nor rule.
    fn add_preference<C: Columns>(
        &self,
        z: &Sizes<C>,
        row: Row,
        terms: &[(usize, f64)],
        tariff: f64,
        rows: &mut impl AddRows<Row>,
    ) {
        let net = z.net;
        let product = &net.products[row.product];
        let lanes = self.preference_lanes(net, row.site, row.product);
        let mut leaving: Vec<(usize, f64)> = Vec::new();
        for &l in &lanes {
            for &t in z.periods {
                leaving.extend(z.cols.shipments(l, row.product, t).map(|c| (c, 1.0)));
            }
        }
        if leaving.is_empty() {
            return;
        }
        // How far the rule row can fall short: each unit made lowers it by at most
        // α·v − value added (components count ≥ 0).
        let per_unit = (self.min_share * product.unit_value - z.value_added).max(0.0);
        let made: f64 = z.periods.iter().map(|&t| z.cols.most_made(z.make, t)).sum();
        let units = units_bound(net, z.cols, row.product);
        let short = per_unit * made.min(units);
        let q = rows.decision((row.site, row.product, row.t));
        rows.add(
            row,
            terms.iter().copied().chain([(q, -short)]),
            Bound::AtLeast(-short),
        );
        // T − tariff·v·U + tariff·v·(most that can leave)·q ≥ 0.
        let price = tariff * product.unit_value;
        let cost = rows.cost((row.site, row.product, row.t));
        let tariff_row = Row {
            tariff: true,
            ..row
        };
        let terms = leaving
            .iter()
            .map(|&(c, _)| (c, -price))
            .chain([(cost, 1.0), (q, price * units)]);
        rows.add(tariff_row, terms, Bound::AtLeast(0.0));
    }

    /// Is (site, product) in scope? Hubs make nothing, so they never are.
    fn covers(&self, net: &Network, site: usize, product: usize) -> bool {
        self.sites[site] && self.products[product] && !net.sites[site].hub
    }

    fn site_in_bloc(&self, net: &Network, site: usize) -> bool {
        net.bloc_contains(self.bloc, &net.sites[site].country)
    }

    fn class_in_bloc(&self, net: &Network, component: usize, class: u16) -> bool {
        net.bloc_contains(self.bloc, net.origins.country(component, class))
    }

    /// The plan's value content of (site, product) over `periods`.
    fn content(
        &self,
        net: &Network,
        alloc: &Allocation,
        site: usize,
        product: usize,
        periods: &[usize],
    ) -> Content {
        let mut out = Content::default();
        let unit_value = net.products[product].unit_value;
        let va = if self.site_in_bloc(net, site) {
            value_added(net, product)
        } else {
            0.0
        };
        let make = net.make_index[[site, product]];
        for &t in periods {
            let x = alloc.production[[site, product, t]];
            out.produced += x;
            out.value += unit_value * x;
            out.value_added += va * x;
        }
        for (u, bom_use) in net.bom_uses.iter().enumerate() {
            if Some(bom_use.make) != make {
                continue;
            }
            let c = bom_use.component;
            let value = net.products[c].unit_value;
            for &t in periods {
                for (k, units) in alloc.consumed_by_class(net, u, t) {
                    if self.class_in_bloc(net, c, k) {
                        out.regional_components += value * units;
                    } else {
                        out.other_components += value * units;
                    }
                    match out.consumed.iter_mut().find(|e| e.0 == c && e.1 == k) {
                        Some(e) => e.2 += units,
                        None => out.consumed.push((c, k, units)),
                    }
                }
            }
        }
        out
    }

    /// Component value by source: within each component and origin class, in
    /// proportion to what each source delivered to the site in the window (the site
    /// itself for what it made or held).
    fn sources(
        &self,
        facts: &Facts,
        site: usize,
        content: &Content,
        periods: &[usize],
    ) -> Vec<ComponentSource> {
        let net = facts.net;
        let alloc = facts.alloc;
        let total: f64 = content.regional_components + content.other_components;
        let mut out: Vec<ComponentSource> = Vec::new();
        for &(c, k, units) in &content.consumed {
            if units <= 0.0 {
                continue;
            }
            let value = units * net.products[c].unit_value;
            // Receipts of class k of component c, by source site.
            let mut by_source: Vec<(usize, f64)> = Vec::new();
            for &l in &facts.lanes.into_site[site] {
                let lead = net.lanes[l].lead_time;
                for &t in periods {
                    if lead > t {
                        continue;
                    }
                    let q: f64 = alloc
                        .shipped_by_class(net, l, c, t - lead)
                        .filter(|&(x, _)| x == k)
                        .map(|(_, q)| q)
                        .sum();
                    if q > 0.0 {
                        let from = net.lanes[l].from;
                        match by_source.iter_mut().find(|e| e.0 == from) {
                            Some(e) => e.1 += q,
                            None => by_source.push((from, q)),
                        }
                    }
                }
            }
            if net.origins.own_class(site, c) == k {
                let made: f64 = periods
                    .iter()
                    .map(|&t| alloc.production[[site, c, t]])
                    .sum();
                if made > 0.0 {
                    by_source.push((site, made));
                }
            }
            let received: f64 = by_source.iter().map(|e| e.1).sum();
            if received <= 0.0 {
                by_source = vec![(site, 1.0)];
            }
            // A source that did not make the component (a hub, a forwarding site)
            // passes its share on to where its own receipts came from.
            let by_source = upstream(facts, c, k, by_source, MAX_HOPS);
            let received: f64 = by_source.iter().map(|e| e.1).sum();
            for (source, q) in by_source {
                let part = value * q / received;
                out.push(ComponentSource {
                    component: net.products[c].id.clone(),
                    source: net.sites[source].id.clone(),
                    country: net.origins.label(c, k),
                    regional: self.class_in_bloc(net, c, k),
                    value: part,
                    share: if total > 0.0 { part / total } else { 0.0 },
                });
            }
        }
        out.sort_by(|a, b| {
            b.value
                .total_cmp(&a.value)
                .then_with(|| a.component.cmp(&b.component))
                .then_with(|| a.source.cmp(&b.source))
        });
        out
    }
}

/// How far [`upstream`] follows a component back through hubs and forwarding sites.
const MAX_HOPS: usize = 8;

/// Replaces each source that did not make `component` by the sources of what it
/// received of class `class` over the horizon, in proportion; `hops` bounds the search
/// (lanes may form cycles). Sources that made it, held it from the start, or received
/// nothing stay as they are.
fn upstream(
    facts: &Facts,
    component: usize,
    class: u16,
    sources: Vec<(usize, f64)>,
    hops: usize,
) -> Vec<(usize, f64)> {
    let net = facts.net;
    let mut out: Vec<(usize, f64)> = Vec::new();
    let add = |site: usize, q: f64, out: &mut Vec<(usize, f64)>| match out
        .iter_mut()
        .find(|e| e.0 == site)
    {
        Some(e) => e.1 += q,
        None => out.push((site, q)),
    };
    for (source, q) in sources {
        let makes = net.make_index[[source, component]].is_some()
            || net.initial_inventory[[source, component]] > 0.0;
        if makes || hops == 0 {
            add(source, q, &mut out);
            continue;
        }
        let mut received: Vec<(usize, f64)> = Vec::new();
        for &l in &facts.lanes.into_site[source] {
            let lead = net.lanes[l].lead_time;
            let r: f64 = (0..net.n_periods().saturating_sub(lead))
                .flat_map(|t| facts.alloc.shipped_by_class(net, l, component, t))
                .filter(|&(x, _)| x == class)
                .map(|(_, y)| y)
                .sum();
            if r > 0.0 {
                received.push((net.lanes[l].from, r));
            }
        }
        let total: f64 = received.iter().map(|e| e.1).sum();
        if total <= 0.0 {
            add(source, q, &mut out);
            continue;
        }
        let scaled = received
            .into_iter()
            .map(|(s, r)| (s, q * r / total))
            .collect();
        for (s, r) in upstream(facts, component, class, scaled, hops - 1) {
            add(s, r, &mut out);
        }
    }
    out
}

/// The most units of a product there can ever be: initial stock everywhere plus what
/// every site could make over the horizon. Where nothing bounds what a site makes, the
/// demand for it over the horizon plus its initial and end stock stands in (making more
/// never pays).
fn units_bound(net: &Network, cols: &impl Columns, product: usize) -> f64 {
    let initial: f64 = net.initial_inventory.column(product).sum();
    let made: f64 = net
        .makes
        .iter()
        .enumerate()
        .filter(|(_, mk)| mk.product == product)
        .flat_map(|(k, _)| (0..net.n_periods()).map(move |t| (k, t)))
        .map(|(k, t)| cols.most_made(k, t))
        .sum();
    if made.is_finite() {
        return initial + made;
    }
    let demand: f64 = net.demand.slice(ndarray::s![.., product, ..]).sum();
    initial + demand + net.final_stock.column(product).sum()
}

/// Value added per unit: v_p − Σ_c bom[p,c]·v_c (negative when the components are worth
/// more than the product).
fn value_added(net: &Network, product: usize) -> f64 {
    let p = &net.products[product];
    p.unit_value
        - p.bom
            .iter()
            .map(|&(c, q)| q * net.products[c].unit_value)
            .sum::<f64>()
}

/// Adds up the coefficients of repeated columns (a component with one class at the site
/// is consumed as qty·x, on the same column as the value added).
fn merge(terms: &mut Vec<(usize, f64)>) {
    terms.sort_by_key(|t| t.0);
    terms.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 += b.1;
            true
        } else {
            false
        }
    });
    terms.retain(|t| t.1 != 0.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_columns_are_merged() {
        let mut terms = vec![(3, 1.0), (1, 2.0), (3, 0.5), (2, 1.0), (2, -1.0)];
        merge(&mut terms);
        assert_eq!(terms, vec![(1, 2.0), (3, 1.5)]);
    }
}
