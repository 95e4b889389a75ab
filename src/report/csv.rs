//! Writing CSV: one file of a header and rows, every cell neutralised against spreadsheet
//! formulas. Used by the plan tables, `summary.csv` and `sweep.csv`.

use crate::error::Error;
use crate::fmt::neutralise_csv;

fn csv_error(e: csv::Error) -> Error {
    Error::Other(format!("CSV: {e}"))
}

/// One CSV file: a header and rows of cells (neutralised against formulas).
pub fn table<H: AsRef<[u8]>>(
    header: &[H],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<String, Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(csv_error)?;
    for row in rows {
        let safe: Vec<String> = row.iter().map(|c| neutralise_csv(c)).collect();
        writer.write_record(&safe).map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::Other(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::Other(e.to_string()))
}
