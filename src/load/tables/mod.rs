//! Tables as data files: a CSV file, or a sheet of an `.xlsx` workbook, whose header
//! (first row) names what it holds.
//!
//! - demand, long: `market,product,period,quantity[,unmet_penalty]`, one row per market,
//!   product and period;
//! - demand, wide: `market,product[,unmet_penalty],<period>,<period>…`, one column per
//!   period of the data;
//! - site capacity: `site,<period>,<period>…`, the `capacity` of sites defined in YAML;
//! - lanes: `from,to,cost[,mode,lead_time,tariff,duty,emissions,capacity]`, empty cells
//!   taking the default.
//!
//! A model names a table in `data:` as `forecast.csv`, `forecast.xlsx#demand` (one
//! sheet) or `forecast.xlsx` (every sheet whose header is a known table). Tables are read
//! into the same raw values as YAML ([`RawData`]), each value located at its file (or
//! `file.xlsx#sheet`), row and column number, and named by its column's header, so
//! validation and every later stage are the same for both.
//!
//! Tables need the data's periods, which any data file may define: they are read when
//! the files are, and turned into raw values once every file is read ([`Pending`]).

mod convert;
mod files;

use std::sync::Arc;

use super::data::RawData;
use super::reader::PerPeriod;
use crate::diag::{Diagnostics, Loc, Spanned};

/// What a data entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Yaml,
    Csv,
    Xlsx,
}

/// A data entry as written: `file.yaml`, `file.csv`, `file.xlsx` or `file.xlsx#sheet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source<'a> {
    /// The file, relative to the model (checked as any data path).
    pub path: &'a str,
    /// The sheet after `#` in `file.xlsx#sheet`.
    pub sheet: Option<&'a str>,
    pub kind: Kind,
}

impl<'a> Source<'a> {
    /// The kind comes from the extension (any case): `.csv`, `.xlsx`; anything else is YAML.
    pub fn parse(written: &'a str) -> Self {
        let ends = |s: &str, ext: &str| s.to_ascii_lowercase().ends_with(ext);
        if let Some((file, sheet)) = written.rsplit_once('#') {
            if ends(file, ".xlsx") {
                return Source {
                    path: file,
                    sheet: Some(sheet),
                    kind: Kind::Xlsx,
                };
            }
        }
        let kind = if ends(written, ".xlsx") {
            Kind::Xlsx
        } else if ends(written, ".csv") {
            Kind::Csv
        } else {
            Kind::Yaml
        };
        Source {
            path: written,
            sheet: None,
            kind,
        }
    }

    /// What the file should be, for messages ("is a directory, not a YAML file").
    pub fn what(&self) -> &'static str {
        match self.kind {
            Kind::Yaml => "a YAML file",
            Kind::Csv => "a CSV file",
            Kind::Xlsx => "an Excel workbook",
        }
    }
}

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date, an error value (`#DIV/0!`) …: described, for messages.
    Other(String),
}

impl Cell {
    /// The cell as a label (numbers as written); `None` for a cell that is none.
    fn label(&self) -> Option<String> {
        match self {
            Cell::Empty => Some(String::new()),
            Cell::Text(s) => Some(s.clone()),
            Cell::Int(i) => Some(i.to_string()),
            Cell::Float(x) => Some(crate::fmt::number_text(*x)),
            Cell::Bool(_) | Cell::Other(_) => None,
        }
    }
}

/// A row of cells; `cells[i]` is in column `i + 1`.
#[derive(Debug, Clone)]
pub struct Row {
    /// The row's number (the CSV line where it starts, or the sheet's row number).
    pub line: usize,
    pub cells: Vec<Cell>,
}

/// A table with a known header.
#[derive(Debug, Clone)]
pub struct Table {
    /// `data/forecast.csv`, or `data/forecast.xlsx#demand`.
    pub shown: Arc<str>,
    pub header_line: usize,
    pub header: Vec<String>,
    shape: convert::Shape,
    /// The rows after the header, blank rows left out.
    pub rows: Vec<Row>,
}

/// Reads the tables of one data entry; `None` when it holds none (reported). `entry` is
/// where the model names it; `values` counts cells against the model's value limit.
pub fn read(
    bytes: &[u8],
    source: &Source,
    shown: &Arc<str>,
    entry: &Loc,
    diags: &mut Diagnostics,
    values: &mut usize,
) -> Option<Vec<Table>> {
    match source.kind {
        Kind::Csv => files::read_csv(bytes, shown, diags, values).map(|t| vec![t]),
        Kind::Xlsx => files::read_xlsx(bytes, source, shown, entry, diags, values),
        Kind::Yaml => None,
    }
}

/// The sites whose capacity some table gives.
pub fn capacity_sites(tables: &[Table]) -> Vec<String> {
    tables.iter().flat_map(convert::capacity_sites).collect()
}

/// Tables read, waiting for the data's periods.
#[derive(Debug, Default)]
pub struct Pending {
    /// The index in the model's data list, and the tables of that entry.
    tables: Vec<(usize, Vec<Table>)>,
}

/// A site's capacity from a table.
#[derive(Debug, Clone)]
pub struct SiteCapacity {
    pub site: Spanned<String>,
    pub capacity: Spanned<PerPeriod>,
}

impl Pending {
    pub fn add(&mut self, index: usize, tables: Vec<Table>) {
        self.tables.push((index, tables));
    }

    /// Turns the tables into raw values at their place in `data`, sets the capacity of
    /// sites from capacity tables, and reports sites whose capacity is missing. Returns
    /// false when a table could not be read whole (its ids would look unknown).
    /// `edit` applies the command line's `--set`s to each table's values.
    pub fn resolve(
        self,
        data: &mut [RawData],
        diags: &mut Diagnostics,
        edit: &mut convert::Edit,
    ) -> bool {
        let periods: Option<Vec<String>> = data.iter().find_map(|d| {
            d.periods
                .as_ref()
                .map(|p| p.value.iter().map(|l| l.value.clone()).collect())
        });
        let mut complete = true;
        let mut capacities = Vec::new();
        for (index, tables) in self.tables {
            for table in tables {
                let Some((raw, caps)) = convert::convert(&table, periods.as_deref(), diags, edit)
                else {
                    complete = false;
                    continue;
                };
                if let Some(d) = data.get_mut(index) {
                    d.broken |= raw.broken;
                    d.demand.extend(raw.demand);
                    d.lanes.extend(raw.lanes);
                }
                capacities.extend(caps);
            }
        }
        set_capacities(data, capacities, diags);
        complete
    }
}

/// Sets each site's capacity from the tables; a site must be defined in YAML, be no
/// hub, and get its capacity once. Then reports every site still without the capacity
/// it needs.
fn set_capacities(data: &mut [RawData], capacities: Vec<SiteCapacity>, diags: &mut Diagnostics) {
    let ids: Vec<String> = data
        .iter()
        .flat_map(|d| &d.sites)
        .map(|s| s.id.value.clone())
        .collect();
    let mut given: Vec<(String, Loc)> = Vec::new();
    for cap in capacities {
        let site = data
            .iter_mut()
            .flat_map(|d| d.sites.iter_mut())
            .find(|s| s.id.value == cap.site.value);
        let Some(site) = site else {
            diags.error_help(
                cap.site.loc.clone(),
                format!(
                    "unknown site `{}`: a capacity table sets the capacity of sites defined in YAML",
                    crate::diag::snippet(&cap.site.value)
                ),
                match crate::diag::did_you_mean(&cap.site.value, ids.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "define the site (its country and products) in a YAML data file"
                        .to_string(),
                },
            );
            continue;
        };
        if let Some((_, first)) = given.iter().find(|(id, _)| *id == cap.site.value) {
            diags.error(
                cap.site.loc.clone(),
                format!(
                    "the capacity of site `{}` is given twice (first at {first})",
                    cap.site.value
                ),
            );
            continue;
        }
        given.push((cap.site.value.clone(), cap.site.loc.clone()));
        if site.hub {
            diags.error(
                cap.site.loc.clone(),
                format!(
                    "`{}` is a hub: it makes nothing, so it has no capacity",
                    cap.site.value
                ),
            );
            continue;
        }
        if let Some(yaml) = &site.capacity {
            diags.error_help(
                cap.site.loc.clone(),
                format!(
                    "the capacity of site `{}` is given twice (first at {})",
                    cap.site.value, yaml.loc
                ),
                "remove `capacity` from the site in YAML to take it from the table",
            );
            continue;
        }
        site.capacity = Some(cap.capacity);
        site.capacity_missing = None;
    }
    for site in data.iter_mut().flat_map(|d| d.sites.iter_mut()) {
        if let Some(loc) = site.capacity_missing.take() {
            diags.error(loc.clone(), "missing required key `capacity`");
            // A placeholder keeps the rest of the site checked.
            site.capacity = Some(Spanned::new(PerPeriod::Scalar(0.0), loc));
        }
    }
}
