//! Arbitrary bytes through load → validate → build, and through the `--set`/`--disable`
//! parser. Anything may be rejected; nothing may panic, hang or blow up memory.
//!
//! The input is split on lines holding only `%%`:
//! - `MODEL %% DATA [%% OVERRIDES]`: the first part is `model.yaml`, the second
//!   `data.yaml`, the third (if any) one `--set PATH=VALUE` or `--disable NAME` per line;
//! - no `%%`: the bytes are `data.yaml` for a fixed model when the first byte is even,
//!   and `model.yaml` next to a fixed, valid data file when it is odd.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use allyplan::Overrides;
use libfuzzer_sys::fuzz_target;

const FIXED_MODEL: &[u8] = b"name: fuzz
data: [data.yaml]
blocs: {usmca: [US, MX, CA]}
objective: {unmet_penalty: 1000, leveling_weight: 1, carbon_price: 0.1}
policies:
  - {name: bloc, kind: min_bloc_share, bloc: usmca, min_share: 0.5, products: critical}
  - {name: country, kind: max_country_share, max_share: 0.8, soft: {penalty: 50}}
  - {kind: ramp_limit, max_change: 0.5}
";

const FIXED_DATA: &[u8] = b"periods: [2027-01, 2027-02]
products:
  - {id: widget, unit_value: 100, critical: true}
sites:
  - id: plant
    country: US
    capacity: [1000, 800]
    overtime: {capacity: 100, cost: 5}
    products:
      widget: {rate: 1, cost: 10}
    inventory: {initial: {widget: 5}, holding_cost: {widget: 1}, capacity: 50}
  - {id: hub, country: MX, capacity: 500, products: {widget: {rate: 2, cost: 4}}}
markets:
  - {id: east, country: US}
lanes:
  - {from: plant, to: east, cost: 2}
  - {from: hub, to: east, cost: 3, lead_time: 1, tariff: 0.05, emissions: 2}
demand:
  - {market: east, product: widget, quantity: [100, 120]}
";

/// Largest LP the target builds: the limits allow ten million columns, which is slow
/// to build inside a fuzzer; sizes beyond this are skipped (not a finding).
const MAX_CELLS: usize = 200_000;

fn workdir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("allyplan-fuzz-")
            .tempdir()
            .map(tempfile::TempDir::keep)
            .unwrap_or_else(|_| std::env::temp_dir().join("allyplan-fuzz"));
        let _ = std::fs::create_dir_all(dir.join("models"));
        dir
    })
}

/// Splits on lines holding only `%%`.
fn parts(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < data.len() {
        let at_line_start = i == 0 || data[i - 1] == b'\n';
        if at_line_start && data[i..].starts_with(b"%%\n") {
            out.push(&data[start..i]);
            i += 3;
            start = i;
            continue;
        }
        i += 1;
    }
    out.push(&data[start..]);
    out
}

fn overrides(text: &[u8]) -> Overrides {
    let mut overrides = Overrides::default();
    for line in String::from_utf8_lossy(text).lines() {
        if let Some(name) = line.strip_prefix("--disable ") {
            overrides.disable.push(name.to_string());
        } else if let Some(argument) = line.strip_prefix("--set ") {
            if let Ok(pair) = Overrides::parse_set(argument) {
                overrides.set.push(pair);
            }
        }
    }
    overrides
}

fuzz_target!(|data: &[u8]| {
    let dir = workdir();
    // The model lives one folder down, so `../` paths in it stay inside the project.
    let model_path = dir.join("models/model.yaml");
    let data_path = dir.join("models/data.yaml");
    let pieces = parts(data);
    let (model, data_file, set) = match pieces.as_slice() {
        [model, data_file, rest @ ..] => (*model, *data_file, rest.first().copied()),
        _ if data.first().is_some_and(|b| b % 2 == 0) => (FIXED_MODEL, data, None),
        _ => (data, FIXED_DATA, None),
    };
    if std::fs::write(&model_path, model).is_err() || std::fs::write(&data_path, data_file).is_err()
    {
        return;
    }
    let overrides = set.map(overrides).unwrap_or_default();
    let Ok((scenario, warnings)) = allyplan::check_with(&model_path, &overrides) else {
        return;
    };
    // Every diagnostic renders (and the escaping of control characters holds).
    let text = warnings.to_string();
    assert!(
        !text.contains('\u{1b}'),
        "an escape character reached the output"
    );
    let widest = scenario
        .sites
        .len()
        .max(scenario.lanes.len())
        .max(scenario.markets.len());
    let cells = widest
        .saturating_mul(scenario.products.len().max(1))
        .saturating_mul(scenario.periods.len().max(1));
    if cells <= MAX_CELLS {
        let built = allyplan::build(&scenario);
        assert!(built.lp.columns.iter().all(|c| c.cost.is_finite()));
        assert!(built.lp.rows.iter().all(|r| r.rhs.is_finite()));
    }
});
