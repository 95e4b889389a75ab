//! What a policy kind implements ([`PolicyKind`]), and what each stage hands it.
//!
//! The stages reach a kind only through the registry (`policy/mod.rs`) and pass their
//! side in: load implements [`ReadKeys`], validate [`Resolve`] and [`Numbers`], the LP
//! builder [`Columns`] and [`AddRows`], the verifier [`Checks`]. The rest is plain data:
//! [`Names`] for row names, [`Facts`] for checks, [`Gap`] and [`When`] for explanations.

use std::fmt::Debug;
use std::hash::Hash;

use ndarray::Array2;

use crate::allocation::{Allocation, LaneIndex};
use crate::diag::Spanned;
use crate::network::{Lane, Network, Per, Site};
use crate::plan::{BlocShareRow, Place, ValueContentRow};

/// One policy kind: one file under `src/policy/`, registered in `kinds!` (`policy/mod.rs`).
pub trait PolicyKind: Sized {
    /// The kind's name in model files, e.g. `ramp_limit`.
    const NAME: &'static str;
    /// Its own keys, besides `kind`, `name` and `soft`.
    const KEYS: &'static [&'static str];
    /// What it requires, in one sentence (the schema's description of the kind).
    const DOC: &'static str = "";
    /// What each of its own keys means, for the schema (`allyplan schema`); the type and
    /// default of a key come from [`PolicyKind::read`].
    const KEY_DOCS: &'static [(&'static str, &'static str)] = &[];
    /// Unit of the amounts its findings report: `units`, `capacity hours`, `kg CO2e`.
    const UNIT: &'static str;
    /// Its rows bound a share of deliveries and are written with the demand rows
    /// substituted for the total (Σ own + share·Σ unmet against share·Σ demand): their
    /// duals move with demand too, and how tight they are is measured as for the plain
    /// form Σ own − share·Σ delivered, whose bound is 0.
    const SHARE_ROWS: bool = false;

    /// The entry as read: located values, ids and selectors not yet resolved.
    type Raw: Debug + Clone;
    /// The instance of the policy that one LP row stands for.
    type Row: Debug + Clone + Copy + PartialEq + Eq + Hash;

    /// Reads its keys (load). `None` when the entry cannot be used (already reported).
    fn read(keys: &mut impl ReadKeys) -> Option<Self::Raw>;

    /// Resolves ids and selectors (validate). `None` when an id is unknown (reported).
    fn resolve(raw: &Self::Raw, ids: &mut impl Resolve) -> Option<Self>;

    /// Hands its numbers to the scaling check (validate).
    fn numbers(raw: &Self::Raw, out: &mut impl Numbers);

    /// An upper bound on its rows, hence on the slack columns it adds when soft (the
    /// LP-size limit).
    fn max_rows(&self, size: &Size) -> u64;

    /// Shipments it forbids (hard) or prices per unit (soft) instead of adding rows: the
    /// LP leaves out (or prices) their columns, the verifier checks (or charges) them
    /// with the shipments, and an explanation relaxes them as the policy's violation.
    fn excluded(&self) -> Option<Flows<'_>> {
        None
    }

    /// The origins it tells apart, by product: stock and shipments of these products are
    /// tracked by origin as far as these tests need (see `network::Origins`).
    fn origin_rules(&self, _net: &Network) -> Vec<OriginRule> {
        Vec::new()
    }

    /// Does it need the load-change columns Δ⁺, Δ⁻ of `site`?
    fn needs_load_changes(&self, _site: usize) -> bool {
        false
    }

    /// Adds its rows to the LP.
    fn add_rows(&self, net: &Network, cols: &impl Columns, rows: &mut impl AddRows<Self::Row>);

    /// The scope of a row in words, inside the brackets of the row's name
    /// (`ramp-10[monterrey,2027-04]`).
    fn scope(row: &Self::Row, names: &Names) -> String;

    /// Checks a plan independently of the LP: plain arithmetic on the network and the
    /// allocation, one [`Checks::row`] per constraint instance.
    fn check(&self, facts: &Facts, out: &mut impl Checks);

    /// How a row's shadow price reads.
    fn price(row: &Self::Row) -> Price;

    /// How much a row gives in a relaxed plan, in model terms (explain).
    fn gap(&self, row: &Self::Row, slack: f64, net: &Network, alloc: &Allocation) -> Option<Gap>;

    /// The finding's sentence for the worst gap at one place (explain).
    fn sentence(&self, name: &str, gap: &Gap, when: &When, net: &Network) -> String;

    /// Rows of the plan's bloc-share table.
    fn bloc_shares(&self, _name: &str, _facts: &Facts) -> Vec<BlocShareRow> {
        Vec::new()
    }

    /// Rows of the plan's value-content table.
    fn value_content(&self, _name: &str, _facts: &Facts) -> Vec<ValueContentRow> {
        Vec::new()
    }
}

// ---------------------------------------------------------------------------------------
// Load and validate
// ---------------------------------------------------------------------------------------

/// `all`, `critical` (products only) or a list of ids, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    All,
    Critical,
    Ids(Vec<Spanned<String>>),
}

/// Which numbers a key accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// Finite and ≥ 0.
    NonNegative,
    /// A share in [0, 1].
    Share,
}

/// Reads the keys of one policy entry, reporting every problem at its key path.
pub trait ReadKeys {
    /// A required text (an id). `None` when missing or not text.
    fn text(&mut self, key: &str) -> Option<Spanned<String>>;
    /// A required list of texts.
    fn text_list(&mut self, key: &str) -> Option<Vec<Spanned<String>>>;
    /// A required number. On a problem it reads as 0 so that the entry's other keys are
    /// still checked.
    fn number(&mut self, key: &str, range: Range) -> f64;
    fn optional(&mut self, key: &str, range: Range) -> Option<f64>;
    /// `per: period | horizon`, `default` when absent.
    fn per(&mut self, default: Per) -> Per;
    /// A selector, `all` when absent; `critical` is accepted when `critical` is true.
    fn selector(&mut self, key: &str, critical: bool) -> Spanned<Selector>;
    fn has(&self, key: &str) -> bool;
    /// `key: {inner: number}`: the number, when the key is there (problems reported).
    fn inner_number(&mut self, key: &str, inner: &str, range: Range) -> Option<f64>;
    /// An error about the entry as a whole.
    fn error(&mut self, message: String);
}

/// Resolves ids and selectors against the network, reporting unknown ones.
pub trait Resolve {
    fn products(&mut self, selector: &Spanned<Selector>) -> Vec<bool>;
    fn markets(&mut self, selector: &Spanned<Selector>) -> Vec<bool>;
    fn sites(&mut self, selector: &Spanned<Selector>) -> Vec<bool>;
    fn site(&mut self, id: &Spanned<String>) -> Option<usize>;
    fn bloc(&mut self, name: &Spanned<String>) -> Option<usize>;
    /// Every site, by index.
    fn site_list(&self) -> &[Site];
    /// A warning about the entry as a whole.
    fn warning(&mut self, message: &str);
}

/// The scaling check's view of a policy's numbers; `what` names the number (`min_share`)
/// and is reported as "`what` of `policy`".
pub trait Numbers {
    /// A coefficient of its rows.
    fn coefficient(&mut self, x: f64, what: &str);
    /// A right-hand side of its rows.
    fn bound(&mut self, x: f64, what: &str);
}

/// Counts for size estimates.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub sites: u64,
    pub markets: u64,
    pub products: u64,
    pub periods: u64,
    /// Countries with a site.
    pub countries: u64,
}

// ---------------------------------------------------------------------------------------
// LP
// ---------------------------------------------------------------------------------------

/// How a policy tells origins apart.
#[derive(Debug, Clone, PartialEq)]
pub enum OriginTest {
    /// In the bloc or not.
    Bloc(usize),
    /// In the list or not.
    Listed(Vec<String>),
    /// Each country on its own.
    Each,
}

/// Origins a policy tells apart for the products it covers.
#[derive(Debug, Clone)]
pub struct OriginRule {
    pub products: Vec<bool>,
    pub test: OriginTest,
}

/// Deliveries to `markets` of `products` whose origin is one of `countries`.
#[derive(Debug, Clone, Copy)]
pub struct Flows<'a> {
    pub countries: &'a [String],
    pub products: &'a [bool],
    pub markets: &'a [bool],
}

impl Flows<'_> {
    /// Does it cover deliveries along `lane` of `product` from origin `country`? Lanes
    /// into sites and hubs are never covered.
    pub fn covers(&self, lane: &Lane, product: usize, country: &str) -> bool {
        lane.market().is_some_and(|m| self.markets[m])
            && self.products[product]
            && self.countries.iter().any(|c| c == country)
    }
}

/// The LP's columns, by model index; `None` where no column exists.
pub trait Columns {
    fn production(&self, make: usize, t: usize) -> Option<usize>;
    /// The columns of (lane, product, departure period): one per origin class where
    /// the origin's stock is split by class, else at most one.
    fn shipments(&self, lane: usize, product: usize, t: usize) -> impl Iterator<Item = usize> + '_;
    /// Where a site consumes a component for a make: (origin country, column, coefficient)
    /// terms of the consumption in `t` by origin (countries index `Origins::countries`).
    fn consumption(&self, bom_use: usize, t: usize) -> Vec<(usize, usize, f64)>;
    fn unmet(&self, market: usize, product: usize, t: usize) -> Option<usize>;
    /// The load-change columns (Δ⁺, Δ⁻) of a site and period.
    fn load_changes(&self, site: usize, t: usize) -> Option<(usize, usize)>;
    /// The `makes` of a site.
    fn makes_at(&self, site: usize) -> &[usize];
    /// The bom uses of a make (indices into `Network::bom_uses`).
    fn uses_of(&self, make: usize) -> &[usize];
    /// Calls `f(lane, origin, column)` for each shipment column arriving at `market` with
    /// `product` in period `t`; `origin` is the origin's country (an index into
    /// `Origins::countries`; any member of its class).
    fn for_each_arrival(
        &self,
        market: usize,
        product: usize,
        t: usize,
        f: impl FnMut(usize, usize, usize),
    );
    /// Terms of the load ℓ[s,t] = Σ_p rate·x[s,p,t].
    fn load_terms(&self, site: usize, t: usize) -> impl Iterator<Item = (usize, f64)> + '_;
    /// The effective capacity of a site's default resource in `t`: × open, plus the
    /// expansions built so far.
    fn capacity(&self, site: usize, t: usize) -> EffectiveCapacity;
    /// The most of make `k` its site could make in `t` (every expansion built, all
    /// overtime); infinite when nothing bounds it.
    fn most_made(&self, k: usize, t: usize) -> f64;
}

/// A capacity that decisions can change, in LP terms: `fixed + Σ coef · column` while the
/// site is open (open × capacity and each expansion's build columns up to `t`). Where
/// the site may close and has expansions, capacity × open is not linear: `closable`
/// then holds (open column, largest capacity), and the capacity is the smaller of the
/// two readings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EffectiveCapacity {
    pub fixed: f64,
    pub terms: Vec<(usize, f64)>,
    pub closable: Option<(usize, f64)>,
}

impl EffectiveCapacity {
    /// Whether decisions change this capacity.
    pub fn is_fixed(&self) -> bool {
        self.terms.is_empty()
    }

    /// Rows for `Σ x ≤ scale · capacity`: `(extra terms, rhs)` to add to the terms of x,
    /// with sense ≤. One row, two where the site may close and has expansions.
    pub fn at_most(&self, scale: f64) -> Vec<(Vec<(usize, f64)>, f64)> {
        let mut rows = vec![(
            self.terms.iter().map(|&(c, a)| (c, -scale * a)).collect(),
            scale * self.fixed,
        )];
        if let Some((open, most)) = self.closable {
            rows.push((vec![(open, -scale * most)], 0.0));
        }
        rows
    }

    /// The row for `Σ x ≥ scale · capacity`: `(extra terms, rhs)` with sense ≥. Where the
    /// site may close and has expansions, the expansions count only while it is open:
    /// x ≥ scale·(capacity·open + built − most expansion·(1 − open)).
    pub fn at_least(&self, scale: f64) -> (Vec<(usize, f64)>, f64) {
        let mut terms: Vec<(usize, f64)> =
            self.terms.iter().map(|&(c, a)| (c, -scale * a)).collect();
        let mut rhs = scale * self.fixed;
        if let Some((open, most)) = self.closable {
            let base = self
                .terms
                .iter()
                .find(|&&(c, _)| c == open)
                .map_or(0.0, |&(_, a)| a);
            let expansions = most - base;
            terms.push((open, -scale * expansions));
            rhs -= scale * expansions;
        }
        (terms, rhs)
    }
}

/// A policy row's side: Σ terms ≥ or ≤ the right-hand side (policies make no equality
/// rows).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    AtLeast(f64),
    AtMost(f64),
}

/// Takes a policy's rows; a soft policy's rows get their slack here.
pub trait AddRows<R> {
    /// Adds a row from `(column, coefficient)` terms.
    fn add(&mut self, row: R, terms: impl IntoIterator<Item = (usize, f64)>, bound: Bound);
    /// Adds a binary decision column of this policy, keyed by `key` (the kind's own
    /// meaning: `regional_value_content` uses (site, product, window)).
    fn decision(&mut self, key: DecisionKey) -> usize;
    /// Adds a $ column of this policy (cost 1 per unit), keyed like [`AddRows::decision`].
    fn cost(&mut self, key: DecisionKey) -> usize;
}

/// The key of a policy's decision or cost column: two indices and a window (a period,
/// or `None` for the horizon).
pub type DecisionKey = crate::allocation::PolicyKey;

/// Ids for row names.
pub struct Names<'a> {
    pub net: &'a Network,
    /// [`Network::site_countries`].
    pub countries: &'a [String],
}

impl Names<'_> {
    pub fn site(&self, s: usize) -> &str {
        &self.net.sites[s].id
    }
    pub fn product(&self, p: usize) -> &str {
        &self.net.products[p].id
    }
    pub fn market(&self, m: usize) -> &str {
        &self.net.markets[m].id
    }
    pub fn period(&self, t: usize) -> &str {
        &self.net.periods[t]
    }
    /// A period, or `horizon` for whole-horizon rows.
    pub fn period_or_horizon(&self, t: Option<usize>) -> &str {
        t.map_or("horizon", |t| self.period(t))
    }
}

// ---------------------------------------------------------------------------------------
// Verify and plan
// ---------------------------------------------------------------------------------------

/// A plan's values and the network's facts, for checks that do not use the LP.
pub struct Facts<'a> {
    pub net: &'a Network,
    pub alloc: &'a Allocation,
    pub lanes: LaneIndex,
    /// [site, t].
    pub loads: Array2<f64>,
    /// [`Network::site_countries`] (= `Origins::countries`).
    pub countries: Vec<String>,
}

impl<'a> Facts<'a> {
    pub fn new(net: &'a Network, alloc: &'a Allocation) -> Self {
        let countries = net.site_countries();
        Facts {
            net,
            alloc,
            lanes: LaneIndex::new(net),
            loads: alloc.loads(net),
            countries,
        }
    }

    /// The change of a site's load into period `t`: from the period before, or from its
    /// `last_load` in the first period (`None` when it has none).
    pub fn load_change(&self, s: usize, t: usize) -> Option<f64> {
        match t {
            0 => self.net.sites[s]
                .last_load
                .map(|last| self.loads[[s, 0]] - last),
            _ => Some(self.loads[[s, t]] - self.loads[[s, t - 1]]),
        }
    }

    pub fn period(&self, t: usize) -> &str {
        &self.net.periods[t]
    }
}

/// Takes the checks of one policy.
pub trait Checks {
    /// The value of this policy's decision column `key` in the plan (0 when it has none).
    fn decision(&self, key: DecisionKey) -> f64;
    /// Charges $ the policy's decisions cost in the plan (recomputed by its check).
    fn charge(&mut self, dollars: f64);
    /// One constraint instance: broken by `excess` when that is > 0; `scale` is its bound
    /// (violations are judged relative to it); `what` names it.
    fn row(&mut self, excess: f64, scale: f64, what: impl FnOnce() -> String);
}

// ---------------------------------------------------------------------------------------
// Shadow prices and explanations
// ---------------------------------------------------------------------------------------

/// How a policy row's dual reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Price {
    /// |dual| is the saving per unit of the row's measure, named so.
    Per(&'static str),
    /// A share target of (market, product) over period `t` (or the horizon), priced per
    /// percentage point of the share.
    PerPoint {
        market: usize,
        product: usize,
        t: Option<usize>,
    },
    /// A value-content target of (site, product) over period `t` (or the horizon),
    /// priced per percentage point of value content.
    PerValuePoint {
        site: usize,
        product: usize,
        t: Option<usize>,
    },
}

/// Which limit of a policy gives: a minimum or a maximum. Orders the gaps at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    Min,
    Max,
}

/// A row (or an excluded flow) that gives in a relaxed plan, in model terms.
#[derive(Debug, Clone)]
pub struct Gap {
    pub side: Side,
    pub place: Place,
    pub t: Option<usize>,
    /// How much the row gives (its slack, or the excluded units).
    pub shortfall: f64,
    /// What the plan reaches: bloc or country units, load, volume, emissions, units
    /// served, inventory held, excluded units.
    pub actual: f64,
    pub limit: f64,
    /// Units delivered or demanded (shares, exclusions, fill rate), the previous load
    /// (ramp) or regular capacity (band, capacity).
    pub base: f64,
    /// `site (country)` of excluded origins used.
    pub origins: Vec<String>,
}

impl Gap {
    /// A gap of `shortfall` at `place` and `t`, without origins.
    pub fn new(side: Side, place: Place, t: Option<usize>, shortfall: f64) -> Self {
        Gap {
            side,
            place,
            t,
            shortfall,
            actual: 0.0,
            limit: 0.0,
            base: 0.0,
            origins: Vec::new(),
        }
    }

    /// With what the plan reaches, the limit and the base it is measured on.
    pub fn measured(mut self, actual: f64, limit: f64, base: f64) -> Self {
        self.actual = actual;
        self.limit = limit;
        self.base = base;
        self
    }

    pub fn market(&self) -> &str {
        self.place.market.as_deref().unwrap_or("")
    }
    pub fn product(&self) -> &str {
        self.place.product.as_deref().unwrap_or("")
    }
    pub fn site(&self) -> &str {
        self.place.site.as_deref().unwrap_or("")
    }
}

/// When a finding happens, in words (explain fills it in for the worst gap of a place).
#[derive(Debug, Clone)]
pub struct When<'a> {
    /// `in 2027-03`, `in 7 of 12 months (worst 2027-03)` or `over the horizon`.
    pub text: String,
    /// The worst gap's period, or `the horizon`.
    pub label: &'a str,
    /// How many periods give at this place.
    pub count: usize,
    /// `month` or `period`.
    pub period: &'static str,
    /// `months` or `periods`.
    pub periods: &'static str,
}

/// A (market, product) place.
pub fn market_product(net: &Network, market: usize, product: usize) -> Place {
    Place {
        market: Some(net.markets[market].id.clone()),
        product: Some(net.products[product].id.clone()),
        ..Place::default()
    }
}

/// A site's place.
pub fn site_place(net: &Network, site: usize) -> Place {
    Place {
        site: Some(net.sites[site].id.clone()),
        ..Place::default()
    }
}

/// The periods of a row: `t`, or the whole horizon.
pub fn periods_of(net: &Network, t: Option<usize>) -> Vec<usize> {
    match t {
        Some(t) => vec![t],
        None => (0..net.n_periods()).collect(),
    }
}

/// Units of (market, product) arriving over the periods of `t`: (of the origins that
/// `from` selects, by country index into `Origins::countries`; in total).
pub fn arrivals_from(
    net: &Network,
    alloc: &Allocation,
    (market, product): (usize, usize),
    t: Option<usize>,
    from: impl Fn(usize) -> bool,
) -> (f64, f64) {
    let mut total = 0.0;
    let mut selected = 0.0;
    for period in periods_of(net, t) {
        for (_, origin, q) in alloc.arrivals(net, market, product, period) {
            total += q;
            if from(origin) {
                selected += q;
            }
        }
    }
    (selected, total)
}

/// `part / whole`, 0 when `whole` is not positive.
pub fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}
