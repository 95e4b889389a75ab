//! `report.html`: a self-contained page with inline SVG charts.
