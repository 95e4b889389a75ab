//! Policy rows, one module per policy kind. Rows over shipments count *arrivals*.

mod bloc_share;
mod country_share;
mod emissions_cap;
mod fill_rate;
mod load_band;
mod ramp_limit;
mod site_volume;

use super::Builder;
use crate::scenario::PolicyRule;

pub fn add(b: &mut Builder) {
    let sc = b.cx.scenario;
    for (i, policy) in sc.policies.iter().enumerate() {
        match &policy.rule {
            PolicyRule::MinBlocShare {
                bloc,
                min_share,
                products,
                markets,
                per,
            } => bloc_share::add(b, i, *bloc, *min_share, products, markets, *per),
            PolicyRule::MaxCountryShare {
                max_share,
                products,
                markets,
                per,
            } => country_share::add(b, i, *max_share, products, markets, *per),
            // Exclusions remove (or price) shipment columns; see `columns`.
            PolicyRule::ExcludeOrigin { .. } => {}
            PolicyRule::RampLimit { max_change, sites } => {
                ramp_limit::add(b, i, *max_change, sites)
            }
            PolicyRule::LoadBand { min, max, sites } => load_band::add(b, i, *min, *max, sites),
            PolicyRule::SiteVolume {
                site,
                min,
                max,
                products,
            } => site_volume::add(b, i, *site, *min, *max, products),
            PolicyRule::EmissionsCap {
                max,
                per,
                products,
                markets,
                sites,
            } => emissions_cap::add(b, i, *max, *per, products, markets, sites),
            PolicyRule::MinFillRate {
                min,
                per,
                products,
                markets,
            } => fill_rate::add(b, i, *min, *per, products, markets),
        }
    }
}
