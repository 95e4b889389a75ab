//! `plan.xlsx`: one workbook of a plan, for the people who read results in Excel. A
//! Summary sheet (model, status, total cost and its breakdown, KPIs, the verifier's
//! result, the MIP search, the run's details), then one sheet per table, the same tables
//! as the CSV files ([`super::csv::plan_tables`]): numbers stay numbers, each column gets
//! a number format for what it holds, headers are bold, the header row is frozen and
//! filtered. Text is always written as a string, never as a formula, so an id such as
//! `=HYPERLINK(…)` is shown as typed.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use crate::error::Error;
use crate::fmt::printable;
use crate::plan::Plan;
use crate::report::table::{Cell, Kind, Table};

/// Rows an Excel sheet holds, its header included.
const MAX_ROWS: usize = 1_048_576;
/// Characters an Excel cell holds.
const MAX_CELL_CHARS: usize = 32_767;
/// Characters a sheet name may have.
const MAX_SHEET_NAME: usize = 31;
/// Widest column set, in characters.
const MAX_WIDTH: usize = 60;

fn xlsx_error(e: XlsxError) -> Error {
    Error::Other(format!("plan.xlsx: {e}"))
}

/// The number formats, one per [`Kind`] (and the header's).
struct Formats {
    header: Format,
    text: Format,
    units: Format,
    money: Format,
    share: Format,
    number: Format,
    small: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold().set_align(FormatAlign::Center),
            text: Format::new(),
            units: Format::new().set_num_format("#,##0"),
            money: Format::new().set_num_format("#,##0.00"),
            share: Format::new().set_num_format("0.0%"),
            number: Format::new().set_num_format("0.00"),
            small: Format::new().set_num_format("0.00E+00"),
        }
    }

    fn of(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Text | Kind::Flag => &self.text,
            Kind::Units => &self.units,
            Kind::Money => &self.money,
            Kind::Share => &self.share,
            Kind::Number => &self.number,
        }
    }
}

/// A valid sheet name: at most 31 characters, none of `[ ] : * ? / \`, not blank and
/// not starting or ending with `'`.
pub fn sheet_name(name: &str) -> String {
    let cleaned: String = printable(name)
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(MAX_SHEET_NAME)
        .collect();
    let trimmed = cleaned.trim_matches('\'');
    if trimmed.trim().is_empty() {
        "sheet".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Text as a cell holds it: control characters written out, cut at Excel's limit.
fn cell_text(s: &str) -> String {
    let s = printable(s);
    if s.chars().count() <= MAX_CELL_CHARS {
        s.into_owned()
    } else {
        s.chars().take(MAX_CELL_CHARS).collect()
    }
}

/// Writes one cell. Text goes through `write_string`, so nothing is read as a formula;
/// a number that is not finite (Excel has none) is written as its text.
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    format: &Format,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => ws.write_string_with_format(row, col, cell_text(s), format)?,
        Cell::Number(x) if x.is_finite() => ws.write_number_with_format(row, col, *x, format)?,
        Cell::Number(x) => ws.write_string(row, col, x.to_string())?,
        Cell::Flag(b) => ws.write_boolean(row, col, *b)?,
        Cell::Empty => ws,
    };
    Ok(())
}

/// How wide a cell shows, in characters (roughly, as Excel's own autofit does).
fn shown_width(cell: &Cell, kind: Kind) -> usize {
    match cell {
        Cell::Text(s) => printable(s).chars().count(),
        Cell::Number(x) if x.is_finite() => {
            let digits = format!("{:.0}", x.abs().trunc()).len();
            let grouped = digits + digits.saturating_sub(1) / 3;
            let sign = usize::from(*x < 0.0);
            match kind {
                Kind::Money => grouped + 3 + sign,
                Kind::Share => digits + 4 + sign,
                Kind::Number => digits + 3 + sign,
                _ => grouped + sign,
            }
        }
        Cell::Number(x) => x.to_string().len(),
        Cell::Flag(_) => 5,
        Cell::Empty => 0,
    }
}

/// One sheet of a table: bold header, frozen and filtered, each column in its format.
fn table_sheet(table: &Table, formats: &Formats) -> Result<Worksheet, Error> {
    if table.rows.len() >= MAX_ROWS {
        return Err(Error::Other(format!(
            "plan.xlsx: table {} has {} rows, more than an Excel sheet holds ({}); use the CSV \
             files (--format csv)",
            table.name,
            table.rows.len(),
            MAX_ROWS - 1
        )));
    }
    let mut ws = Worksheet::new();
    ws.set_name(sheet_name(table.name)).map_err(xlsx_error)?;
    let mut widths: Vec<usize> = table.columns.iter().map(|c| c.name.len() + 3).collect();
    for (c, column) in table.columns.iter().enumerate() {
        let col = u16::try_from(c).map_err(|e| Error::Other(e.to_string()))?;
        ws.write_string_with_format(0, col, column.name, &formats.header)
            .map_err(xlsx_error)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let excel_row = u32::try_from(r + 1).map_err(|e| Error::Other(e.to_string()))?;
        for ((c, cell), column) in row.iter().enumerate().zip(&table.columns) {
            let col = u16::try_from(c).map_err(|e| Error::Other(e.to_string()))?;
            write_cell(&mut ws, excel_row, col, cell, formats.of(column.kind))
                .map_err(xlsx_error)?;
            widths[c] = widths[c].max(shown_width(cell, column.kind) + 1);
        }
    }
    for (c, width) in widths.iter().enumerate() {
        let col = u16::try_from(c).map_err(|e| Error::Other(e.to_string()))?;
        ws.set_column_width(col, (*width).clamp(8, MAX_WIDTH) as f64)
            .map_err(xlsx_error)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    if !table.columns.is_empty() {
        let last_row = u32::try_from(table.rows.len()).map_err(|e| Error::Other(e.to_string()))?;
        let last_col =
            u16::try_from(table.columns.len() - 1).map_err(|e| Error::Other(e.to_string()))?;
        ws.autofilter(0, 0, last_row, last_col)
            .map_err(xlsx_error)?;
    }
    Ok(ws)
}

/// A line of the Summary sheet: section, item, value and how the value is shown.
struct Line {
    section: &'static str,
    item: String,
    value: Cell,
    kind: Kind,
    small: bool,
}

fn line(section: &'static str, item: &str, value: Cell, kind: Kind) -> Line {
    Line {
        section,
        item: item.to_string(),
        value,
        kind,
        small: false,
    }
}

fn text_line(section: &'static str, item: &str, value: &str) -> Line {
    line(section, item, Cell::text(value), Kind::Text)
}

/// Tiny figures (violations, gaps) in scientific notation.
fn small_line(section: &'static str, item: &str, value: f64) -> Line {
    Line {
        small: true,
        ..line(section, item, Cell::num(value), Kind::Number)
    }
}

/// The lines of the Summary sheet.
fn summary_lines(plan: &Plan) -> Vec<Line> {
    let mut lines = vec![
        text_line("plan", "model", &plan.model),
        text_line("plan", "status", plan.status.word()),
        line(
            "plan",
            "objective (total cost, $)",
            Cell::opt(plan.objective),
            Kind::Money,
        ),
    ];
    if let Some(message) = &plan.message {
        lines.push(text_line("plan", "message", message));
    }
    lines.push(text_line("plan", "periods", &plan.periods.join(", ")));
    if let Some(costs) = &plan.costs {
        for (name, value) in costs.components() {
            lines.push(line("cost ($)", name, Cell::num(value), Kind::Money));
        }
        lines.push(line(
            "cost ($)",
            "total",
            Cell::num(costs.total),
            Kind::Money,
        ));
    }
    if let Some(k) = &plan.kpis {
        let units = |item: &str, x: f64| line("KPIs", item, Cell::num(x), Kind::Units);
        lines.extend([
            line("KPIs", "fill rate", Cell::num(k.fill_rate), Kind::Share),
            line("KPIs", "utilization", Cell::num(k.utilization), Kind::Share),
            units("demand (units)", k.demand),
            units("served (units)", k.served),
            units("unmet (units)", k.unmet),
            units("produced (units)", k.produced),
            units("overtime used (capacity units)", k.overtime_used),
            units("load change (capacity units)", k.load_change),
            units("emissions (kg CO2e)", k.emissions_kg),
        ]);
        if k.stranded_stock != 0.0 {
            lines.push(units("stranded stock (units)", k.stranded_stock));
        }
    }
    if let Some(v) = &plan.verification {
        lines.extend([
            text_line(
                "verification",
                "result",
                if v.passed { "passed" } else { "failed" },
            ),
            line(
                "verification",
                "constraints checked",
                Cell::num(v.checks as f64),
                Kind::Units,
            ),
            small_line("verification", "worst violation", v.worst_violation),
        ]);
        if let Some(c) = &v.worst_constraint {
            lines.push(text_line("verification", "worst constraint", c));
        }
        lines.push(small_line("verification", "objective gap", v.objective_gap));
    }
    if let Some(mip) = plan.decisions.as_ref().and_then(|d| d.mip.as_ref()) {
        lines.extend([
            small_line("MIP search", "gap", mip.gap),
            small_line("MIP search", "gap asked for", mip.target_gap),
            line(
                "MIP search",
                "best bound ($)",
                Cell::num(mip.bound),
                Kind::Money,
            ),
            line(
                "MIP search",
                "nodes",
                Cell::num(mip.nodes as f64),
                Kind::Units,
            ),
        ]);
    }
    let m = &plan.metadata;
    lines.extend([
        text_line("run", "solver", &m.solver),
        text_line("run", "tool", &format!("{} {}", m.tool, m.tool_version)),
        text_line("run", "generated at (UTC)", &m.run.generated_at),
        line(
            "run",
            "variables",
            Cell::num(m.variables as f64),
            Kind::Units,
        ),
        line("run", "rows", Cell::num(m.rows as f64), Kind::Units),
    ]);
    if let Some(note) = &m.solver_note {
        lines.push(text_line("run", "solver note", note));
    }
    for o in &m.overrides {
        lines.push(text_line("run", "override", o));
    }
    for input in &m.inputs {
        lines.push(text_line("input", &input.path, &input.sha256));
    }
    lines
}

/// The Summary sheet: section, item, value.
fn summary_sheet(plan: &Plan, formats: &Formats) -> Result<Worksheet, Error> {
    let mut ws = Worksheet::new();
    ws.set_name("Summary").map_err(xlsx_error)?;
    for (c, h) in ["section", "item", "value"].iter().enumerate() {
        let col = u16::try_from(c).map_err(|e| Error::Other(e.to_string()))?;
        ws.write_string_with_format(0, col, *h, &formats.header)
            .map_err(xlsx_error)?;
    }
    let lines = summary_lines(plan);
    for (r, l) in lines.iter().enumerate() {
        let row = u32::try_from(r + 1).map_err(|e| Error::Other(e.to_string()))?;
        ws.write_string(row, 0, l.section).map_err(xlsx_error)?;
        ws.write_string(row, 1, cell_text(&l.item))
            .map_err(xlsx_error)?;
        let format = if l.small {
            &formats.small
        } else {
            formats.of(l.kind)
        };
        write_cell(&mut ws, row, 2, &l.value, format).map_err(xlsx_error)?;
    }
    for (col, width) in [(0u16, 14.0), (1, 32.0), (2, 44.0)] {
        ws.set_column_width(col, width).map_err(xlsx_error)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    Ok(ws)
}

/// The workbook's bytes. Its creation time is the plan's `generated_at` (a fixed date
/// when that does not parse), so the same plan always gives the same file.
pub fn render(plan: &Plan) -> Result<Vec<u8>, Error> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::parse_from_str(&plan.metadata.run.generated_at)
        .or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1))
        .map_err(xlsx_error)?;
    let properties = DocProperties::new()
        .set_title(cell_text(&plan.model))
        .set_creation_datetime(&created);
    workbook.set_properties(&properties);
    workbook.push_worksheet(summary_sheet(plan, &formats)?);
    if plan.costs.is_some() {
        for table in super::csv::plan_tables(plan) {
            workbook.push_worksheet(table_sheet(&table, &formats)?);
        }
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid() {
        assert_eq!(sheet_name("production"), "production");
        assert_eq!(sheet_name("a[b]:c*d?e/f\\g"), "a_b__c_d_e_f_g");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        assert_eq!(sheet_name("'quoted'"), "quoted");
        assert_eq!(sheet_name("''"), "sheet");
    }

    #[test]
    fn widths_follow_the_shown_figures() {
        assert_eq!(shown_width(&Cell::num(1_234_567.0), Kind::Units), 9);
        assert_eq!(shown_width(&Cell::num(-1_234.5), Kind::Money), 9);
        assert_eq!(shown_width(&Cell::num(0.5), Kind::Share), 5);
        assert_eq!(shown_width(&Cell::text("abc"), Kind::Text), 3);
    }
}
