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

struct Table {
    writer: csv::Writer<Vec<u8>>,
}

impl Table {
    fn new(header: &[&str]) -> Result<Self, Error> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(header).map_err(csv_error)?;
        Ok(Table { writer })
    }

    fn row(&mut self, cells: &[String]) -> Result<(), Error> {
        let safe: Vec<String> = cells.iter().map(|c| neutralise(c)).collect();
        self.writer.write_record(&safe).map_err(csv_error)
    }

    fn finish(self) -> Result<String, Error> {
        let bytes = self
            .writer
            .into_inner()
            .map_err(|e| Error::Other(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| Error::Other(e.to_string()))
    }
}

fn csv_error(e: csv::Error) -> Error {
    Error::Other(format!("CSV: {e}"))
}

/// Every table as (file name, contents).
pub fn tables(plan: &Plan) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();

    let mut t = Table::new(&["site", "product", "period", "quantity"])?;
    for r in &plan.production {
        t.row(&[
            r.site.clone(),
            r.product.clone(),
            r.period.clone(),
            num(r.quantity),
        ])?;
    }
    out.push(("production.csv".to_string(), t.finish()?));

    let mut t = Table::new(&[
        "from",
        "to",
        "product",
        "departure",
        "arrival",
        "quantity",
        "unit_cost",
    ])?;
    for r in &plan.shipments {
        t.row(&[
            r.from.clone(),
            r.to.clone(),
            r.product.clone(),
            r.departure.clone(),
            r.arrival.clone(),
            num(r.quantity),
            num(r.unit_cost),
        ])?;
    }
    out.push(("shipments.csv".to_string(), t.finish()?));

    let mut t = Table::new(&["site", "product", "period", "quantity"])?;
    for r in &plan.inventory {
        t.row(&[
            r.site.clone(),
            r.product.clone(),
            r.period.clone(),
            num(r.quantity),
        ])?;
    }
    out.push(("inventory.csv".to_string(), t.finish()?));

    let mut t = Table::new(&[
        "site",
        "country",
        "period",
        "capacity",
        "overtime_capacity",
        "load",
        "overtime",
        "utilization",
    ])?;
    for s in &plan.sites {
        for p in &s.periods {
            t.row(&[
                s.id.clone(),
                s.country.clone(),
                p.period.clone(),
                num(p.capacity),
                num(p.overtime_capacity),
                num(p.load),
                num(p.overtime),
                num(p.utilization),
            ])?;
        }
    }
    out.push(("utilization.csv".to_string(), t.finish()?));

    let mut t = Table::new(&[
        "market", "product", "period", "country", "quantity", "share",
    ])?;
    for r in &plan.sourcing {
        t.row(&[
            r.market.clone(),
            r.product.clone(),
            r.period.clone(),
            r.country.clone(),
            num(r.quantity),
            num(r.share),
        ])?;
    }
    out.push(("sourcing_shares.csv".to_string(), t.finish()?));

    let mut t = Table::new(&[
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
    ])?;
    for r in &plan.bloc_shares {
        t.row(&[
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
        ])?;
    }
    out.push(("bloc_shares.csv".to_string(), t.finish()?));

    let mut t = Table::new(&["market", "product", "period", "demand", "unmet"])?;
    for r in &plan.unmet {
        t.row(&[
            r.market.clone(),
            r.product.clone(),
            r.period.clone(),
            num(r.demand),
            num(r.unmet),
        ])?;
    }
    out.push(("unmet.csv".to_string(), t.finish()?));
    Ok(out)
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
