"""Reads a workbook with openpyxl, an independent reader, and prints what tests/xlsx.rs
checks as JSON: for each sheet its name, frozen panes, autofilter range, header (with
whether it is bold), every row's values and each cell's type (`s` text, `n` number, `b`
boolean, `f` formula), the number formats of the first data row; and how many formula
elements the sheets' XML holds.

Usage: python3 tests/xlsx_read.py WORKBOOK.xlsx
"""

import json
import re
import sys
import zipfile

import openpyxl


def main(path):
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        rows = list(ws.iter_rows())
        header = [c.value for c in rows[0]] if rows else []
        bold = all(c.font is not None and c.font.b for c in rows[0]) if rows else False
        values = [[c.value for c in r] for r in rows[1:]]
        types = [[c.data_type for c in r] for r in rows[1:]]
        formats = [c.number_format for c in rows[1]] if len(rows) > 1 else []
        sheets.append(
            {
                "name": ws.title,
                "freeze_panes": ws.freeze_panes,
                "auto_filter": ws.auto_filter.ref,
                "header": header,
                "header_bold": bold,
                "rows": values,
                "types": types,
                "formats": formats,
            }
        )
    formulas = 0
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                formulas += len(re.findall(rb"<f[ >]", z.read(name)))
    json.dump({"sheets": sheets, "formula_elements": formulas}, sys.stdout, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
