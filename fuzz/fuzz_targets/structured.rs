//! Structured random scenarios (arbitrary): a small network and policies written as YAML,
//! then validate → build → solve with microlp → verify. The scenarios are feasible by
//! construction (unmet demand is priced; every hard policy holds when nothing ships), so
//! the solver must find an optimum, and the independent verifier must pass it.
#![no_main]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;

use allyplan::Allocation;
use allyplan::{backend_for, solve, SolveOptions, SolveStatus};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Product {
    unit_value: u16,
    critical: bool,
    penalty: Option<u16>,
}

#[derive(Debug, Arbitrary)]
struct Site {
    country: u8,
    capacity: [u16; 4],
    /// Per product (first 3): (rate in tenths, cost) when made.
    makes: [Option<(u8, u16)>; 3],
    overtime: Option<(u16, u8)>,
    last_load: Option<u16>,
    holding: u8,
    initial: u8,
    storage: Option<u16>,
}

#[derive(Debug, Arbitrary)]
struct Lane {
    from: u8,
    to: u8,
    cost: u16,
    /// Some(per-product costs) makes a cost map (products left out cannot use the lane).
    per_product: Option<[Option<u8>; 3]>,
    lead_time: u8,
    tariff_pct: u8,
    duty: u8,
    emissions: u8,
}

#[derive(Debug, Arbitrary)]
enum Policy {
    MinBloc {
        share_pct: u8,
        per_period: bool,
        soft: Option<u16>,
    },
    MaxCountry {
        share_pct: u8,
        per_period: bool,
        soft: Option<u16>,
    },
    Exclude {
        country: u8,
        soft: Option<u16>,
    },
    Ramp {
        change_pct: u8,
        soft: Option<u16>,
    },
    Band {
        min_pct: u8,
        max_pct: u8,
        soft: u16,
    },
    Volume {
        site: u8,
        min: u16,
        max: u16,
        soft: u16,
    },
    Emissions {
        max: u16,
        per_period: bool,
    },
    FillRate {
        min_pct: u8,
        soft: u16,
    },
}

#[derive(Debug, Arbitrary)]
struct Scenario {
    periods: u8,
    products: Vec<Product>,
    sites: Vec<Site>,
    markets: u8,
    lanes: Vec<Lane>,
    demand: Vec<(u8, u8, [u16; 4])>,
    leveling_weight: u8,
    carbon_price: u8,
    unmet_penalty: u16,
    policies: Vec<Policy>,
}

const COUNTRIES: [&str; 5] = ["US", "MX", "CA", "CN", "VN"];

fn workdir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        tempfile::Builder::new()
            .prefix("allyplan-fuzz-structured-")
            .tempdir()
            .map(tempfile::TempDir::keep)
            .unwrap_or_else(|_| std::env::temp_dir().join("allyplan-fuzz-structured"))
    })
}

fn soft(penalty: Option<u16>) -> String {
    penalty.map_or_else(String::new, |p| format!(", soft: {{penalty: {p}}}"))
}

/// The model and data files, or `None` when the draw has no product, site or market.
fn render(s: &Scenario) -> Option<(String, String)> {
    let t = usize::from(s.periods % 4) + 1;
    let n_p = s.products.len().min(3);
    let n_s = s.sites.len().min(4);
    let n_m = usize::from(s.markets % 3) + 1;
    if n_p == 0 || n_s == 0 {
        return None;
    }
    let mut d = String::new();
    let periods: Vec<String> = (0..t).map(|i| format!("t{i}")).collect();
    let _ = writeln!(d, "periods: [{}]", periods.join(", "));
    let _ = writeln!(d, "products:");
    for (p, pr) in s.products.iter().take(n_p).enumerate() {
        let penalty = pr
            .penalty
            .map_or_else(String::new, |x| format!(", unmet_penalty: {x}"));
        let _ = writeln!(
            d,
            "  - {{id: p{p}, unit_value: {}, critical: {}{penalty}}}",
            pr.unit_value, pr.critical
        );
    }
    let _ = writeln!(d, "sites:");
    for (i, site) in s.sites.iter().take(n_s).enumerate() {
        let capacity: Vec<String> = site.capacity[..t].iter().map(u16::to_string).collect();
        let _ = writeln!(d, "  - id: s{i}");
        let _ = writeln!(
            d,
            "    country: {}",
            COUNTRIES[usize::from(site.country) % 5]
        );
        let _ = writeln!(d, "    capacity: [{}]", capacity.join(", "));
        if let Some((cap, cost)) = site.overtime {
            let _ = writeln!(d, "    overtime: {{capacity: {cap}, cost: {cost}}}");
        }
        let made: Vec<usize> = (0..n_p).filter(|&p| site.makes[p].is_some()).collect();
        let _ = writeln!(d, "    products:");
        if made.is_empty() {
            let _ = writeln!(d, "      {{}}");
        }
        for &p in &made {
            if let Some((rate, cost)) = site.makes[p] {
                let rate = f64::from(rate % 50 + 1) / 10.0;
                let _ = writeln!(d, "      p{p}: {{rate: {rate}, cost: {cost}}}");
            }
        }
        if let Some(&first) = made.first() {
            // A leveling start the site can meet with room to spare: 0 to half its capacity.
            if let Some(last) = site.last_load {
                let cap = site.capacity[0].min(site.capacity.get(1).copied().unwrap_or(0));
                let _ = writeln!(d, "    last_load: {}", last % (cap / 2 + 1));
            }
            let storage = site
                .storage
                .map_or_else(String::new, |c| format!(", capacity: {c}"));
            let initial = u16::from(site.initial).min(site.storage.unwrap_or(u16::MAX));
            let _ = writeln!(
                d,
                "    inventory: {{initial: {{p{first}: {initial}}}, holding_cost: {{p{first}: {}}}{storage}}}",
                site.holding
            );
        }
    }
    let _ = writeln!(d, "markets:");
    for m in 0..n_m {
        let _ = writeln!(d, "  - {{id: m{m}, country: US}}");
    }
    let _ = writeln!(d, "lanes:");
    let mut seen = Vec::new();
    for lane in s.lanes.iter().take(8) {
        let from = usize::from(lane.from) % n_s;
        let to = usize::from(lane.to) % n_m;
        if seen.contains(&(from, to)) {
            continue;
        }
        seen.push((from, to));
        let cost = match &lane.per_product {
            None => lane.cost.to_string(),
            Some(costs) => {
                let listed: Vec<String> = (0..n_p)
                    .filter_map(|p| costs[p].map(|c| format!("p{p}: {c}")))
                    .collect();
                format!("{{{}}}", listed.join(", "))
            }
        };
        let _ = writeln!(
            d,
            "  - {{from: s{from}, to: m{to}, cost: {cost}, lead_time: {}, tariff: {}, duty: {}, emissions: {}}}",
            usize::from(lane.lead_time) % (t + 1),
            f64::from(lane.tariff_pct % 101) / 100.0,
            lane.duty,
            lane.emissions
        );
    }
    let _ = writeln!(d, "demand:");
    let mut seen = Vec::new();
    for (m, p, q) in s.demand.iter().take(8) {
        let (m, p) = (usize::from(*m) % n_m, usize::from(*p) % n_p);
        if seen.contains(&(m, p)) {
            continue;
        }
        seen.push((m, p));
        let q: Vec<String> = q[..t].iter().map(u16::to_string).collect();
        let _ = writeln!(
            d,
            "  - {{market: m{m}, product: p{p}, quantity: [{}]}}",
            q.join(", ")
        );
    }

    let mut model = String::from("name: fuzz\ndata: [data.yaml]\nblocs: {usmca: [US, MX, CA]}\n");
    let _ = writeln!(
        model,
        "objective: {{unmet_penalty: {}, leveling_weight: {}, carbon_price: {}}}",
        s.unmet_penalty,
        s.leveling_weight,
        f64::from(s.carbon_price) / 100.0
    );
    let _ = writeln!(model, "policies:");
    let mut any = false;
    for policy in s.policies.iter().take(6) {
        // Hard policies only where shipping and making nothing satisfies them; the
        // others are soft (a priced slack keeps them feasible).
        let line = match policy {
            Policy::MinBloc {
                share_pct,
                per_period,
                soft: sp,
            } => format!(
                "{{kind: min_bloc_share, bloc: usmca, min_share: {}, per: {}{}}}",
                f64::from(share_pct % 101) / 100.0,
                if *per_period { "period" } else { "horizon" },
                soft(*sp)
            ),
            Policy::MaxCountry {
                share_pct,
                per_period,
                soft: sp,
            } => format!(
                "{{kind: max_country_share, max_share: {}, per: {}{}}}",
                f64::from(share_pct % 101) / 100.0,
                if *per_period { "period" } else { "horizon" },
                soft(*sp)
            ),
            Policy::Exclude { country, soft: sp } => format!(
                "{{kind: exclude_origin, countries: [{}]{}}}",
                COUNTRIES[usize::from(*country) % 5],
                soft(*sp)
            ),
            // With a last load, a hard ramp can be infeasible: always soft then.
            Policy::Ramp {
                change_pct,
                soft: sp,
            } => format!(
                "{{kind: ramp_limit, max_change: {}{}}}",
                f64::from(change_pct % 101) / 100.0,
                soft(Some(sp.unwrap_or(100)))
            ),
            Policy::Band {
                min_pct,
                max_pct,
                soft: sp,
            } => {
                let min = f64::from(min_pct % 101) / 100.0;
                let max = min + f64::from(max_pct % 101) / 100.0;
                format!(
                    "{{kind: load_band, min: {min}, max: {max}{}}}",
                    soft(Some(*sp))
                )
            }
            Policy::Volume {
                site,
                min,
                max,
                soft: sp,
            } => format!(
                "{{kind: site_volume, site: s{}, min: {}, max: {}{}}}",
                usize::from(*site) % n_s,
                min.min(max),
                min.max(max),
                soft(Some(*sp))
            ),
            Policy::Emissions { max, per_period } => format!(
                "{{kind: emissions_cap, max: {max}, per: {}}}",
                if *per_period { "period" } else { "horizon" }
            ),
            Policy::FillRate { min_pct, soft: sp } => format!(
                "{{kind: min_fill_rate, min: {}{}}}",
                f64::from(min_pct % 101) / 100.0,
                soft(Some(*sp))
            ),
        };
        let _ = writeln!(model, "  - {line}");
        any = true;
    }
    if !any {
        model = model.replace("policies:\n", "policies: []\n");
    }
    // A section left empty is `[]` (an empty `lanes:` is null, which is refused).
    let d = d
        .replace("lanes:\ndemand:", "lanes: []\ndemand:")
        .trim_end()
        .to_string();
    let d = match d.strip_suffix("demand:") {
        Some(head) => format!("{head}demand: []\n"),
        None => format!("{d}\n"),
    };
    Some((model, d))
}

fuzz_target!(|s: Scenario| {
    let Some((model, data)) = render(&s) else {
        return;
    };
    let dir = workdir();
    let model_path = dir.join("model.yaml");
    if std::fs::write(&model_path, &model).is_err()
        || std::fs::write(dir.join("data.yaml"), &data).is_err()
    {
        return;
    }
    let sc = match allyplan::check(&model_path) {
        Ok((sc, _)) => sc,
        Err(e) => {
            // The generator writes valid input: a rejection is a bug in one or the other.
            let detail = match &e {
                allyplan::Error::InvalidInput(d) => d.to_string(),
                other => other.to_string(),
            };
            panic!("generated input rejected: {detail}\n{model}\n{data}");
        }
    };
    let built = allyplan::build(&sc);
    let backend = backend_for("microlp", &built.lp);
    let outcome = solve(&built.lp, backend.as_ref(), &SolveOptions::default());
    match (&outcome.status, &outcome.values) {
        (SolveStatus::Optimal, Some(values)) => {
            let allocation = Allocation::from_solution(&sc, &built, values);
            let objective = built.lp.objective_of(values);
            let v = allyplan::verify(&sc, &allocation, objective);
            assert!(
                v.passed,
                "verification failed: worst {:?} ({:e}), objective gap {:e}\n{model}\n{data}",
                v.worst_constraint, v.worst_violation, v.objective_gap
            );
        }
        (status, _) => panic!("a feasible scenario came back {status:?}\n{model}\n{data}"),
    }
});
