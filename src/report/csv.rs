//! CSV tables: production, shipments, inventory, utilization, sourcing shares, unmet demand.

use crate::error::Error;
use crate::plan::Plan;

/// Cells starting with these are run as formulas by spreadsheets.
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// Text cells that a spreadsheet would run as a formula get a leading `'`.
pub fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(FORMULA_STARTS) && cell.parse::<f64>().is_err();
    if risky {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Formats numbers compactly and deterministically (no trailing float noise).
pub fn num(x: f64) -> String {
    if x == x.round() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn csv_error(e: csv::Error) -> Error {
    Error::Other(format!("CSV: {e}"))
}

/// One CSV file: a header and rows of cells (neutralised against formulas).
fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<String, Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(csv_error)?;
    for row in rows {
        let safe: Vec<String> = row.iter().map(|c| neutralise(c)).collect();
        writer.write_record(&safe).map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::Other(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::Other(e.to_string()))
}

/// Every table as (file name, contents).
pub fn tables(plan: &Plan) -> Result<Vec<(String, String)>, Error> {
    let production = table(
        &["site", "product", "period", "quantity"],
        plan.production.iter().map(|r| {
            vec![
                r.site.clone(),
                r.product.clone(),
                r.period.clone(),
                num(r.quantity),
            ]
        }),
    )?;
    let shipments = table(
        &[
            "from",
            "to",
            "product",
            "departure",
            "arrival",
            "quantity",
            "unit_cost",
        ],
        plan.shipments.iter().map(|r| {
            vec![
                r.from.clone(),
                r.to.clone(),
                r.product.clone(),
                r.departure.clone(),
                r.arrival.clone(),
                num(r.quantity),
                num(r.unit_cost),
            ]
        }),
    )?;
    let inventory = table(
        &["site", "product", "period", "quantity"],
        plan.inventory.iter().map(|r| {
            vec![
                r.site.clone(),
                r.product.clone(),
                r.period.clone(),
                num(r.quantity),
            ]
        }),
    )?;
    let utilization = table(
        &[
            "site",
            "country",
            "period",
            "capacity",
            "overtime_capacity",
            "load",
            "overtime",
            "utilization",
        ],
        plan.sites.iter().flat_map(|s| {
            s.periods.iter().map(move |p| {
                vec![
                    s.id.clone(),
                    s.country.clone(),
                    p.period.clone(),
                    num(p.capacity),
                    num(p.overtime_capacity),
                    num(p.load),
                    num(p.overtime),
                    num(p.utilization),
                ]
            })
        }),
    )?;
    let sourcing = table(
        &[
            "market", "product", "period", "country", "quantity", "share",
        ],
        plan.sourcing.iter().map(|r| {
            vec![
                r.market.clone(),
                r.product.clone(),
                r.period.clone(),
                r.country.clone(),
                num(r.quantity),
                num(r.share),
            ]
        }),
    )?;
    let bloc_shares = table(
        &[
            "policy",
            "bloc",
            "market",
            "product",
            "period",
            "delivered",
            "from_bloc",
            "share",
            "target",
            "met",
        ],
        plan.bloc_shares.iter().map(|r| {
            vec![
                r.policy.clone(),
                r.bloc.clone(),
                r.market.clone(),
                r.product.clone(),
                r.period.clone(),
                num(r.delivered),
                num(r.from_bloc),
                r.share.map(num).unwrap_or_default(),
                num(r.target),
                r.met.to_string(),
            ]
        }),
    )?;
    let unmet = table(
        &["market", "product", "period", "demand", "unmet"],
        plan.unmet.iter().map(|r| {
            vec![
                r.market.clone(),
                r.product.clone(),
                r.period.clone(),
                num(r.demand),
                num(r.unmet),
            ]
        }),
    )?;
    let mut tables = vec![
        ("production.csv".to_string(), production),
        ("shipments.csv".to_string(), shipments),
        ("inventory.csv".to_string(), inventory),
        ("utilization.csv".to_string(), utilization),
        ("sourcing_shares.csv".to_string(), sourcing),
        ("bloc_shares.csv".to_string(), bloc_shares),
        ("unmet.csv".to_string(), unmet),
    ];
    if let Some(sp) = &plan.shadow_prices {
        tables.push(("shadow_prices.csv".to_string(), shadow_prices(sp)?));
        if !sp.reduced_costs.is_empty() {
            let reduced = table(
                &["variable", "reduced_cost"],
                sp.reduced_costs
                    .iter()
                    .map(|r| vec![r.variable.clone(), num(r.reduced_cost)]),
            )?;
            tables.push(("reduced_costs.csv".to_string(), reduced));
        }
    }
    Ok(tables)
}

/// One table of every price: what it is about, and $ per unit.
fn shadow_prices(sp: &crate::plan::ShadowPrices) -> Result<String, Error> {
    let capacity = sp.capacity.iter().map(|c| {
        let unit = "capacity unit".to_string();
        vec![
            "capacity".into(),
            String::new(),
            c.site.clone(),
            String::new(),
            String::new(),
            c.period.clone(),
            num(c.value),
            unit,
        ]
    });
    let bloc = sp.bloc_share.iter().map(|b| {
        let unit = "percentage point".to_string();
        vec![
            "bloc_share".into(),
            b.policy.clone(),
            String::new(),
            b.market.clone(),
            b.product.clone(),
            b.period.clone(),
            num(b.cost_per_point),
            unit,
        ]
    });
    let demand = sp.demand.iter().map(|d| {
        let unit = "unit demanded".to_string();
        vec![
            "demand".into(),
            String::new(),
            String::new(),
            d.market.clone(),
            d.product.clone(),
            d.period.clone(),
            num(d.marginal_cost),
            unit,
        ]
    });
    let policies = sp.policies.iter().map(|p| {
        vec![
            p.kind.clone(),
            p.policy.clone(),
            String::new(),
            String::new(),
            String::new(),
            p.row.clone(),
            num(p.value),
            p.unit.clone(),
        ]
    });
    table(
        &[
            "kind",
            "policy",
            "site",
            "market",
            "product",
            "period_or_row",
            "value",
            "per",
        ],
        capacity.chain(bloc).chain(demand).chain(policies),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formulas_but_not_numbers() {
        assert_eq!(neutralise("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-12.5"), "-12.5");
        assert_eq!(neutralise("+3"), "+3");
        assert_eq!(neutralise("hagerstown"), "hagerstown");
    }

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(1200.0), "1200");
        assert_eq!(num(0.125), "0.125");
        assert_eq!(num(1.0 / 3.0), "0.333333");
    }
}
