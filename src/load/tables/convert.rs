//! Headers recognised, and rows turned into the raw values the YAML reader makes.
//!
//! Each table becomes a small YAML-shaped document (`demand: [...]`, `lanes: [...]`) read
//! by the same functions as a YAML data file, with a [`SpanIndex`] that points every
//! value at its cell and names it by its column's header; so a table and the YAML it
//! replaces give the same raw values, and the same messages, but for where they point.

use std::collections::HashMap;

use serde_yaml::{Mapping, Value};

use super::{Cell, Row, SiteCapacity, Table};
use crate::diag::{did_you_mean, snippet, Diagnostics, Loc};
use crate::load::data::{self, RawData};
use crate::load::overrides::AppliedSet;
use crate::load::reader::{nfc, Range, Reader};
use crate::load::spans::SpanIndex;

/// The headers known, for messages.
pub const KNOWN_HEADERS: &str = "a table's first row is one of: `market,product,period,quantity[,unmet_penalty]` (demand, one row per period), `market,product[,unmet_penalty],<period>,<period>…` (demand, one column per period), `site,<period>,<period>…` (site capacity), `from,to,cost[,mode,lead_time,tariff,duty,emissions,capacity]` (lanes)";

/// Lane columns, as the keys of a lane in YAML.
const LANE_COLUMNS: &[&str] = &[
    "from",
    "to",
    "mode",
    "cost",
    "lead_time",
    "tariff",
    "duty",
    "emissions",
    "capacity",
];
/// Lane columns that hold text; the others hold numbers.
const LANE_TEXT: &[&str] = &["from", "to", "mode"];

/// What a table holds, with the (0-based) column of each field.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Long {
        market: usize,
        product: usize,
        period: usize,
        quantity: usize,
        penalty: Option<usize>,
    },
    Wide {
        market: usize,
        product: usize,
        penalty: Option<usize>,
        periods: Vec<usize>,
    },
    Capacity {
        site: usize,
        periods: Vec<usize>,
    },
    Lanes {
        columns: Vec<(usize, &'static str)>,
    },
}

/// Why a header is refused; `column` is 0-based (none: the header as a whole).
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderProblem {
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

fn problem(column: Option<usize>, message: String, help: Option<String>) -> HeaderProblem {
    HeaderProblem {
        column,
        message,
        help,
    }
}

/// Recognises a header. Field names are matched in any case; other columns of a wide
/// demand or capacity table are periods, checked once the data's periods are known.
pub fn detect(header: &[String]) -> Result<Shape, HeaderProblem> {
    let low: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
    for (i, h) in low.iter().enumerate() {
        if low[..i].contains(h) {
            return Err(problem(
                Some(i),
                format!(
                    "column `{}` appears twice in the header",
                    snippet(&header[i])
                ),
                None,
            ));
        }
    }
    let find = |name: &str| low.iter().position(|h| h == name);
    let others =
        |fixed: &[usize]| -> Vec<usize> { (0..low.len()).filter(|i| !fixed.contains(i)).collect() };
    let unknown = |i: usize, table: &str, expected: &[&str]| {
        let help = match did_you_mean(&low[i], expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("expected one of: {}", expected.join(", ")),
        };
        problem(
            Some(i),
            format!(
                "unknown column `{}` in a {table} table",
                snippet(&header[i])
            ),
            Some(help),
        )
    };
    if let (Some(_), Some(_)) = (find("from"), find("to")) {
        let mut columns = Vec::with_capacity(low.len());
        for (i, h) in low.iter().enumerate() {
            match LANE_COLUMNS.iter().find(|c| *c == h) {
                Some(c) => columns.push((i, *c)),
                None => return Err(unknown(i, "lane", LANE_COLUMNS)),
            }
        }
        if find("cost").is_none() {
            return Err(problem(
                None,
                "a lane table needs a `cost` column".to_string(),
                Some(
                    "its header is `from,to,cost[,mode,lead_time,tariff,duty,emissions,capacity]`"
                        .to_string(),
                ),
            ));
        }
        return Ok(Shape::Lanes { columns });
    }
    if let Some(site) = find("site") {
        let periods = others(&[site]);
        if periods.is_empty() {
            return Err(problem(
                None,
                "a site capacity table has one column per period after `site`".to_string(),
                None,
            ));
        }
        return Ok(Shape::Capacity { site, periods });
    }
    if let (Some(market), Some(product)) = (find("market"), find("product")) {
        let penalty = find("unmet_penalty");
        if find("period").is_some() || find("quantity").is_some() {
            const LONG: &[&str] = &["market", "product", "period", "quantity", "unmet_penalty"];
            if let Some(i) = low.iter().position(|h| !LONG.contains(&h.as_str())) {
                return Err(unknown(i, "demand (one row per period)", LONG));
            }
            let (Some(period), Some(quantity)) = (find("period"), find("quantity")) else {
                return Err(problem(
                    None,
                    "a demand table with one row per period needs both a `period` and a `quantity` column".to_string(),
                    None,
                ));
            };
            return Ok(Shape::Long {
                market,
                product,
                period,
                quantity,
                penalty,
            });
        }
        let fixed: Vec<usize> = [Some(market), Some(product), penalty]
            .into_iter()
            .flatten()
            .collect();
        let periods = others(&fixed);
        if periods.is_empty() {
            return Err(problem(
                None,
                "a demand table needs a `period` and a `quantity` column, or one column per period"
                    .to_string(),
                None,
            ));
        }
        return Ok(Shape::Wide {
            market,
            product,
            penalty,
            periods,
        });
    }
    // A file exported with `;` between fields reads as one column.
    let separator = if header.len() == 1 && header[0].contains(';') {
        "fields are separated by commas, not semicolons; "
    } else {
        ""
    };
    Err(problem(
        None,
        format!("unknown table header `{}`", snippet(&header.join(","))),
        Some(format!("{separator}{KNOWN_HEADERS}")),
    ))
}

/// Builds the document for one table: values, and where each came from.
struct Doc<'a> {
    table: &'a Table,
    cells: Vec<(String, (usize, usize), String)>,
}

impl Doc<'_> {
    fn loc(&self, line: usize, column: usize) -> Loc {
        Loc {
            file: self.table.shown.clone(),
            line,
            column: column + 1,
            key: self.table.header[column].clone(),
        }
    }

    /// Records that `path` is the row at `line` (shown without a key).
    fn row(&mut self, path: &str, line: usize) {
        self.cells
            .push((path.to_string(), (line, 0), String::new()));
    }

    /// Records that `path` is the cell at `line`, `column` (0-based).
    fn at(&mut self, path: String, line: usize, column: usize) {
        let name = self.table.header[column].clone();
        self.cells.push((path, (line, column + 1), name));
    }

    /// The cell at `line`, `column` (0-based) as a value, recorded at `path`. Text
    /// columns keep text as written; number columns parse it. An empty cell is refused
    /// where a value is required, and otherwise `None`.
    fn value(
        &mut self,
        diags: &mut Diagnostics,
        row: &Row,
        column: usize,
        path: String,
        number: bool,
        required: bool,
    ) -> Option<Value> {
        let line = row.line;
        let cell = row.cells.get(column).unwrap_or(&Cell::Empty);
        let value = match cell {
            Cell::Empty if !required => return None,
            Cell::Empty if number => {
                diags.error(
                    self.loc(line, column),
                    "expected a number, found an empty cell",
                );
                Value::Number(0.into())
            }
            Cell::Empty => Value::String(String::new()),
            Cell::Text(s) if number => parse_number(s),
            Cell::Text(s) => Value::String(s.clone()),
            Cell::Int(i) => Value::Number((*i).into()),
            Cell::Float(x) => float_value(*x),
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Other(what) => {
                let expected = if number { "a number" } else { "text" };
                diags.error(
                    self.loc(line, column),
                    format!("expected {expected}, found {what}"),
                );
                if number {
                    Value::Number(0.into())
                } else {
                    Value::String(String::new())
                }
            }
        };
        self.at(path, line, column);
        Some(value)
    }

    /// A row's numbers in the period columns `order` (in period order) as the list at
    /// `path`, each recorded at `path[t]` and the list at its first cell.
    fn per_period(
        &mut self,
        diags: &mut Diagnostics,
        row: &Row,
        order: &[usize],
        path: String,
    ) -> Value {
        let mut values = Vec::with_capacity(order.len());
        for (t, &column) in order.iter().enumerate() {
            if let Some(v) = self.value(diags, row, column, format!("{path}[{t}]"), true, true) {
                values.push(v);
            }
        }
        if let Some(&first) = order.first() {
            self.at(path, row.line, first);
        }
        Value::Sequence(values)
    }
}

/// Text as a number where it reads as one (`12`, `-5`, `1.5e3`); otherwise kept as
/// text, for the reader to refuse with the text quoted (`1,000`, `n/a`). A number too
/// large for a float stays text too, for the reader's "out of range".
fn parse_number(s: &str) -> Value {
    if let Ok(i) = s.parse::<i64>() {
        return Value::Number(i.into());
    }
    let numeric = s.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c));
    match s.parse::<f64>() {
        Ok(x) if numeric && x.is_finite() => float_value(x),
        _ => Value::String(s.to_string()),
    }
}

/// A float, as a whole number where it is one (lead times must be whole).
fn float_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        // Exact: a whole number below 2^53.
        Value::Number((x as i64).into())
    } else {
        Value::Number(x.into())
    }
}

/// The columns of a wide table matched to the data's periods: `order[t]` is the column
/// of period `t`. Every column must be a period, and every period have a column.
fn period_columns(
    table: &Table,
    columns: &[usize],
    periods: &[String],
    diags: &mut Diagnostics,
) -> Option<Vec<usize>> {
    let mut order: Vec<Option<usize>> = vec![None; periods.len()];
    let mut ok = true;
    let index: HashMap<&str, usize> = periods
        .iter()
        .enumerate()
        .map(|(t, p)| (p.as_str(), t))
        .collect();
    for &c in columns {
        let label = nfc(table.header[c].clone());
        match index.get(label.as_str()) {
            Some(&t) => order[t] = Some(c),
            None => {
                // Period labels are alike: a "did you mean" would guess at random.
                let help = format!("the periods are {}", period_range(periods));
                diags.error_help(
                    Loc {
                        file: table.shown.clone(),
                        line: table.header_line,
                        column: c + 1,
                        key: String::new(),
                    },
                    format!("column `{}` is not a period of the data", snippet(&label)),
                    help,
                );
                ok = false;
            }
        }
    }
    let missing: Vec<&str> = order
        .iter()
        .zip(periods)
        .filter(|(c, _)| c.is_none())
        .map(|(_, p)| p.as_str())
        .collect();
    if ok && !missing.is_empty() {
        diags.error(
            Loc {
                file: table.shown.clone(),
                line: table.header_line,
                column: 0,
                key: String::new(),
            },
            format!(
                "no column for period{} {}: a table with one column per period has a column for each period of the data",
                if missing.len() == 1 { "" } else { "s" },
                list(&missing)
            ),
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    order.into_iter().collect()
}

fn period_range(periods: &[String]) -> String {
    match periods {
        [] => "none".to_string(),
        [one] => format!("`{one}`"),
        [first, .., last] => format!("`{first}` … `{last}` ({} periods)", periods.len()),
    }
}

/// `a`, `b`, `c` (at most 5, then `…`).
fn list(items: &[&str]) -> String {
    let mut out: Vec<String> = items
        .iter()
        .take(5)
        .map(|s| format!("`{}`", snippet(s)))
        .collect();
    if items.len() > 5 {
        out.push("…".to_string());
    }
    out.join(", ")
}

/// The raw values of one table, and the site capacities it sets. `None` when the table
/// cannot be read as a whole (reported): its ids are then missing.
pub fn convert(
    table: &Table,
    periods: Option<&[String]>,
    diags: &mut Diagnostics,
    edit: &mut Edit,
) -> Option<(RawData, Vec<SiteCapacity>)> {
    let needs_periods = !matches!(table.shape, Shape::Lanes { .. });
    let periods = match periods {
        Some(p) => p,
        None if needs_periods => {
            diags.error(
                Loc {
                    file: table.shown.clone(),
                    line: table.header_line,
                    column: 0,
                    key: String::new(),
                },
                "this table needs the data's periods, and no data file defines `periods`",
            );
            return None;
        }
        None => &[][..],
    };
    let mut doc = Doc {
        table,
        cells: Vec::new(),
    };
    let mut root = Mapping::new();
    let mut capacity_rows = 0;
    match &table.shape {
        Shape::Lanes { columns } => {
            let mut lanes = Vec::with_capacity(table.rows.len());
            for (i, row) in table.rows.iter().enumerate() {
                let path = format!("lanes[{i}]");
                doc.row(&path, row.line);
                let mut map = Mapping::new();
                for &(c, key) in columns {
                    let number = !LANE_TEXT.contains(&key);
                    let required = matches!(key, "from" | "to" | "cost");
                    let p = format!("{path}.{key}");
                    if let Some(v) = doc.value(diags, row, c, p, number, required) {
                        map.insert(Value::String(key.to_string()), v);
                    }
                }
                lanes.push(Value::Mapping(map));
            }
            root.insert("lanes".into(), Value::Sequence(lanes));
        }
        Shape::Wide {
            market,
            product,
            penalty,
            periods: columns,
        } => {
            let order = period_columns(table, columns, periods, diags)?;
            let mut demand = Vec::with_capacity(table.rows.len());
            for (i, row) in table.rows.iter().enumerate() {
                let path = format!("demand[{i}]");
                doc.row(&path, row.line);
                let mut map = Mapping::new();
                for (key, c) in [("market", *market), ("product", *product)] {
                    let p = format!("{path}.{key}");
                    if let Some(v) = doc.value(diags, row, c, p, false, true) {
                        map.insert(key.into(), v);
                    }
                }
                let quantity = doc.per_period(diags, row, &order, format!("{path}.quantity"));
                map.insert("quantity".into(), quantity);
                if let Some(c) = penalty {
                    let p = format!("{path}.unmet_penalty");
                    if let Some(v) = doc.value(diags, row, *c, p, true, false) {
                        map.insert("unmet_penalty".into(), v);
                    }
                }
                demand.push(Value::Mapping(map));
            }
            root.insert("demand".into(), Value::Sequence(demand));
        }
        Shape::Long {
            market,
            product,
            period,
            quantity,
            penalty,
        } => {
            let demand = long_demand(
                &mut doc,
                diags,
                periods,
                [*market, *product, *period, *quantity],
                *penalty,
            )?;
            root.insert("demand".into(), Value::Sequence(demand));
        }
        Shape::Capacity {
            site,
            periods: columns,
        } => {
            // Held as `sites: [{id, capacity}]`, so that `--set sites[ID].capacity…`
            // reaches it, and read back below (not by the data reader: these sites are
            // defined in YAML).
            let order = period_columns(table, columns, periods, diags)?;
            let mut sites = Vec::with_capacity(table.rows.len());
            for (i, row) in table.rows.iter().enumerate() {
                let path = format!("sites[{i}]");
                doc.row(&path, row.line);
                let mut map = Mapping::new();
                if let Some(v) = doc.value(diags, row, *site, format!("{path}.id"), false, true) {
                    map.insert("id".into(), v);
                }
                let capacity = doc.per_period(diags, row, &order, format!("{path}.capacity"));
                map.insert("capacity".into(), capacity);
                sites.push(Value::Mapping(map));
            }
            capacity_rows = sites.len();
            root.insert("sites".into(), Value::Sequence(sites));
        }
    }
    let mut root = Value::Mapping(root);
    let applied = edit(&mut root);
    let spans = SpanIndex::from_cells(doc.cells);
    let mut r = Reader::new(table.shown.clone(), &spans, diags).with_overrides(&applied);
    let mut capacities = Vec::with_capacity(capacity_rows);
    let sites = match root.as_mapping_mut() {
        Some(map) if capacity_rows > 0 => map.remove("sites"),
        _ => None,
    };
    if let Some(Value::Sequence(sites)) = sites {
        for (i, site) in sites.iter().enumerate() {
            let path = format!("sites[{i}]");
            let id = site
                .get("id")
                .and_then(|v| r.text(v, &format!("{path}.id")));
            let capacity = site
                .get("capacity")
                .and_then(|v| r.per_period(v, &format!("{path}.capacity"), Range::NonNegative));
            if let (Some(site), Some(capacity)) = (id, capacity) {
                capacities.push(SiteCapacity { site, capacity });
            }
        }
    }
    let raw = data::read_data(&mut r, &root);
    Some((raw, capacities))
}

/// Applies the command line's `--set`s to a table's values, before they are read;
/// returns what it set, for locating those values at the `--set`.
pub type Edit<'a> = dyn FnMut(&mut Value) -> Vec<AppliedSet> + 'a;

/// The sites whose capacity a table gives, as written (NFC).
pub fn capacity_sites(table: &Table) -> Vec<String> {
    let Shape::Capacity { site, .. } = &table.shape else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .filter_map(|row| row.cells.get(*site).and_then(Cell::label))
        .map(|l| nfc(l.trim().to_string()))
        .collect()
}

/// A market and a product, as written (NFC).
type Pair = (String, String);

/// Demand with one row per market, product and period, gathered into one entry per
/// market and product (in the order each first appears) with a quantity per period.
fn long_demand(
    doc: &mut Doc,
    diags: &mut Diagnostics,
    periods: &[String],
    [market, product, period, quantity_column]: [usize; 4],
    penalty: Option<usize>,
) -> Option<Vec<Value>> {
    let table = doc.table;
    let index: HashMap<&str, usize> = periods
        .iter()
        .enumerate()
        .map(|(t, p)| (p.as_str(), t))
        .collect();
    // Per (market, product): the row of each period.
    let mut groups: Vec<(Pair, Vec<Option<usize>>)> = Vec::new();
    let mut group_of: HashMap<Pair, usize> = HashMap::new();
    let mut ok = true;
    for (i, row) in table.rows.iter().enumerate() {
        let label = |c: usize| {
            row.cells
                .get(c)
                .unwrap_or(&Cell::Empty)
                .label()
                .map(|l| nfc(l.trim().to_string()))
        };
        let mut text = |c: usize| {
            let l = label(c);
            if l.is_none() {
                diags.error(doc.loc(row.line, c), "expected text");
                ok = false;
            }
            l
        };
        let (Some(m), Some(p), Some(t)) = (text(market), text(product), text(period)) else {
            continue;
        };
        let Some(&t) = index.get(t.as_str()) else {
            let help = format!("the periods are {}", period_range(periods));
            diags.error_help(
                doc.loc(row.line, period),
                format!("`{}` is not a period of the data", snippet(&t)),
                help,
            );
            ok = false;
            continue;
        };
        let key = (m, p);
        let g = *group_of.entry(key.clone()).or_insert_with(|| {
            groups.push((key.clone(), vec![None; periods.len()]));
            groups.len() - 1
        });
        let slots = &mut groups[g].1;
        match slots[t] {
            Some(first) => {
                diags.error(
                    doc.loc(row.line, period),
                    format!(
                        "demand for {} / {} in period {} is given twice (first at row {})",
                        key.0, key.1, periods[t], table.rows[first].line
                    ),
                );
                ok = false;
            }
            None => slots[t] = Some(i),
        }
    }
    let mut demand = Vec::with_capacity(groups.len());
    for (g, ((m, p), slots)) in groups.iter().enumerate() {
        let Some(first) = slots.iter().flatten().next().map(|&i| &table.rows[i]) else {
            continue;
        };
        let path = format!("demand[{g}]");
        doc.row(&path, first.line);
        let mut map = Mapping::new();
        for (key, c) in [("market", market), ("product", product)] {
            let pth = format!("{path}.{key}");
            if let Some(v) = doc.value(diags, first, c, pth, false, true) {
                map.insert(key.into(), v);
            }
        }
        let missing: Vec<&str> = slots
            .iter()
            .zip(periods)
            .filter(|(s, _)| s.is_none())
            .map(|(_, t)| t.as_str())
            .collect();
        if !missing.is_empty() {
            diags.error(
                Loc {
                    file: table.shown.clone(),
                    line: first.line,
                    column: 0,
                    key: String::new(),
                },
                format!(
                    "demand for {m} / {p} has no row for period{} {}: a table with one row per period has a row for each period of the data",
                    if missing.len() == 1 { "" } else { "s" },
                    list(&missing)
                ),
            );
            ok = false;
            continue;
        }
        let rows: Vec<&super::Row> = slots.iter().flatten().map(|&i| &table.rows[i]).collect();
        let q = format!("{path}.quantity");
        let mut quantity = Vec::with_capacity(rows.len());
        for (t, row) in rows.iter().enumerate() {
            let pth = format!("{q}[{t}]");
            if let Some(v) = doc.value(diags, row, quantity_column, pth, true, true) {
                quantity.push(v);
            }
        }
        doc.at(q, first.line, quantity_column);
        map.insert("quantity".into(), Value::Sequence(quantity));
        if let Some(c) = penalty {
            let given = rows
                .iter()
                .filter(|r| !matches!(r.cells.get(c).unwrap_or(&Cell::Empty), Cell::Empty))
                .count();
            if given == rows.len() {
                let u = format!("{path}.unmet_penalty");
                let mut values = Vec::with_capacity(rows.len());
                for (t, row) in rows.iter().enumerate() {
                    if let Some(v) = doc.value(diags, row, c, format!("{u}[{t}]"), true, true) {
                        values.push(v);
                    }
                }
                doc.at(u, first.line, c);
                map.insert("unmet_penalty".into(), Value::Sequence(values));
            } else if given > 0 {
                diags.error_help(
                    doc.loc(first.line, c),
                    format!("given for some periods of {m} / {p} and not for others"),
                    "give it in every row of the market and product, or in none",
                );
                ok = false;
            }
        }
        demand.push(Value::Mapping(map));
    }
    ok.then_some(demand)
}
