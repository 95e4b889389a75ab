//! Policy kinds, one file each, and the registry that ties them to the pipeline.
//!
//! A kind's file owns everything about it: its keys and how they are read and resolved,
//! its size estimate, its LP rows and their names, its independent check, and the words
//! of its shadow prices and infeasibility findings (see [`PolicyKind`]). The stages call
//! kinds only through the enums below, which `kinds!` generates from the registry: every
//! dispatch over kinds is an exhaustive match, so a new kind is one new file, its `mod`
//! line and its line in `kinds!`.
//!
//! This layer sits below load, validate, lp, verify, shadow and explain: it reads the
//! network's facts and a plan's allocation, never the stages.

mod kind;

pub mod emissions_cap;
pub mod exclude_origin;
pub mod load_band;
pub mod max_country_share;
pub mod min_bloc_share;
pub mod min_fill_rate;
pub mod ramp_limit;
pub mod regional_value_content;
pub mod site_volume;

pub use kind::{
    market_product, site_place, AddRows, Bound, Checks, Columns, DecisionKey, EffectiveCapacity,
    Facts, Flows, Gap, Names, Numbers, OriginRule, OriginTest, PolicyKind, Price, Range, ReadKeys,
    Resolve, Selector, Side, Size, When,
};

use crate::allocation::Allocation;
use crate::network::Network;
use crate::plan::{BlocShareRow, ValueContentRow};

/// A policy with its scope resolved to index masks.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The policy's `name`, or `kind#index` when it has none.
    pub name: String,
    /// Position in the model's `policies` list.
    pub index: usize,
    /// `Some(penalty)` when the policy is soft: every row gets a slack priced at `penalty`.
    pub soft_penalty: Option<f64>,
    pub rule: PolicyRule,
}

/// Generates, from the list of kinds, the enums the stages use and their dispatch.
macro_rules! kinds {
    ($($module:ident::$Kind:ident,)*) => {
        /// Every policy kind.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Kind {
            $($Kind,)*
        }

        /// The kinds' names, in registry order.
        pub const NAMES: &[&str] = &[$(<$module::$Kind as PolicyKind>::NAME,)*];

        impl Kind {
            pub const ALL: &[Kind] = &[$(Kind::$Kind,)*];

            /// The kind of this name.
            pub fn named(name: &str) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|k| k.name() == name)
            }

            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$Kind => <$module::$Kind as PolicyKind>::NAME,)*
                }
            }

            /// Its own keys, besides `kind`, `name` and `soft`.
            pub fn keys(self) -> &'static [&'static str] {
                match self {
                    $(Kind::$Kind => <$module::$Kind as PolicyKind>::KEYS,)*
                }
            }

            /// What it requires, in one sentence.
            pub fn doc(self) -> &'static str {
                match self {
                    $(Kind::$Kind => <$module::$Kind as PolicyKind>::DOC,)*
                }
            }

            /// What each of its own keys means.
            pub fn key_docs(self) -> &'static [(&'static str, &'static str)] {
                match self {
                    $(Kind::$Kind => <$module::$Kind as PolicyKind>::KEY_DOCS,)*
                }
            }

            pub fn read(self, keys: &mut impl ReadKeys) -> Option<RawRule> {
                match self {
                    $(Kind::$Kind => $module::$Kind::read(keys).map(RawRule::$Kind),)*
                }
            }
        }

        /// A policy entry's own keys as read.
        #[derive(Debug, Clone)]
        pub enum RawRule {
            $($Kind(<$module::$Kind as PolicyKind>::Raw),)*
        }

        impl RawRule {
            pub fn kind(&self) -> &'static str {
                match self {
                    $(RawRule::$Kind(_) => <$module::$Kind as PolicyKind>::NAME,)*
                }
            }

            pub fn resolve(&self, ids: &mut impl Resolve) -> Option<PolicyRule> {
                match self {
                    $(RawRule::$Kind(raw) => $module::$Kind::resolve(raw, ids).map(PolicyRule::$Kind),)*
                }
            }

            pub fn numbers(&self, out: &mut impl Numbers) {
                match self {
                    $(RawRule::$Kind(raw) => $module::$Kind::numbers(raw, out),)*
                }
            }
        }

        /// What a policy requires, by kind.
        #[derive(Debug, Clone)]
        pub enum PolicyRule {
            $($Kind($module::$Kind),)*
        }

        impl PolicyRule {
            pub fn kind(&self) -> &'static str {
                match self {
                    $(PolicyRule::$Kind(_) => <$module::$Kind as PolicyKind>::NAME,)*
                }
            }

            /// Unit of the amounts in its explanation findings.
            pub fn unit(&self) -> &'static str {
                match self {
                    $(PolicyRule::$Kind(_) => <$module::$Kind as PolicyKind>::UNIT,)*
                }
            }

            pub fn max_rows(&self, size: &Size) -> u64 {
                match self {
                    $(PolicyRule::$Kind(rule) => rule.max_rows(size),)*
                }
            }

            pub fn excluded(&self) -> Option<Flows<'_>> {
                match self {
                    $(PolicyRule::$Kind(rule) => rule.excluded(),)*
                }
            }

            pub fn origin_rules(&self, net: &Network) -> Vec<OriginRule> {
                match self {
                    $(PolicyRule::$Kind(rule) => rule.origin_rules(net),)*
                }
            }

            pub fn needs_load_changes(&self, site: usize) -> bool {
                match self {
                    $(PolicyRule::$Kind(rule) => rule.needs_load_changes(site),)*
                }
            }

            pub fn add_rows<A>(&self, net: &Network, cols: &impl Columns, rows: &mut A)
            where
                $(A: AddRows<<$module::$Kind as PolicyKind>::Row>,)*
            {
                match self {
                    $(PolicyRule::$Kind(rule) => rule.add_rows(net, cols, rows),)*
                }
            }

            pub fn check(&self, facts: &Facts, out: &mut impl Checks) {
                match self {
                    $(PolicyRule::$Kind(rule) => rule.check(facts, out),)*
                }
            }

            /// How much `row` gives; `None` when the row is not this policy's.
            pub fn gap(
                &self,
                row: &PolicyRow,
                slack: f64,
                net: &Network,
                alloc: &Allocation,
            ) -> Option<Gap> {
                match self {
                    $(PolicyRule::$Kind(rule) => {
                        if let PolicyRow::$Kind(row) = row {
                            rule.gap(row, slack, net, alloc)
                        } else {
                            None
                        }
                    })*
                }
            }

            pub fn sentence(&self, name: &str, gap: &Gap, when: &When, net: &Network) -> String {
                match self {
                    $(PolicyRule::$Kind(rule) => rule.sentence(name, gap, when, net),)*
                }
            }

            pub fn bloc_shares(&self, name: &str, facts: &Facts) -> Vec<BlocShareRow> {
                match self {
                    $(PolicyRule::$Kind(rule) => rule.bloc_shares(name, facts),)*
                }
            }

            pub fn value_content(&self, name: &str, facts: &Facts) -> Vec<ValueContentRow> {
                match self {
                    $(PolicyRule::$Kind(rule) => rule.value_content(name, facts),)*
                }
            }
        }

        /// The instance of a policy one LP row stands for, by kind.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum PolicyRow {
            $($Kind(<$module::$Kind as PolicyKind>::Row),)*
        }

        $(
            impl From<<$module::$Kind as PolicyKind>::Row> for PolicyRow {
                fn from(row: <$module::$Kind as PolicyKind>::Row) -> Self {
                    PolicyRow::$Kind(row)
                }
            }
        )*

        impl PolicyRow {
            /// The row's scope in words, e.g. `us-east,battery-module,2027-03`.
            pub fn scope(&self, names: &Names) -> String {
                match self {
                    $(PolicyRow::$Kind(row) => $module::$Kind::scope(row, names),)*
                }
            }

            pub fn price(&self) -> Price {
                match self {
                    $(PolicyRow::$Kind(row) => $module::$Kind::price(row),)*
                }
            }

            /// See [`PolicyKind::SHARE_ROWS`].
            pub fn is_share(&self) -> bool {
                match self {
                    $(PolicyRow::$Kind(_) => <$module::$Kind as PolicyKind>::SHARE_ROWS,)*
                }
            }
        }
    };
}

// The registry: one line per kind, in the order kinds are listed to users.
kinds! {
    min_bloc_share::MinBlocShare,
    max_country_share::MaxCountryShare,
    exclude_origin::ExcludeOrigin,
    ramp_limit::RampLimit,
    load_band::LoadBand,
    site_volume::SiteVolume,
    emissions_cap::EmissionsCap,
    min_fill_rate::MinFillRate,
    regional_value_content::RegionalValueContent,
}
