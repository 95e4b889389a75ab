//! The page every HTML document is rendered into: one self-contained file with the shared
//! stylesheet inline (no scripts, no fonts or images to fetch; it opens from a file).

use crate::fmt::escape_html;

/// The shared stylesheet of every allyplan HTML page.
pub const CSS: &str = r#":root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--accent:#1c5d99}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",sans-serif}
main{max-width:1200px;margin:0 auto;padding:28px 32px 56px}
h1{font-size:26px;line-height:1.2;margin:0 0 6px}
h2{font-size:19px;margin:34px 0 4px;padding-top:14px;border-top:1px solid var(--line)}
h3{font-size:15px;margin:18px 0 6px}
p{margin:6px 0}
.lead{color:var(--muted);margin:0 0 10px}
.meta{color:var(--muted);font-size:13px}
.pill{display:inline-block;padding:1px 10px;border-radius:999px;font-size:12px;font-weight:600;vertical-align:2px}
.ok{background:#d3f9d8;color:#2b8a3e}.bad{background:#ffe3e3;color:#c92a2a}.warn{background:#fff3bf;color:#7a5c00}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .k{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.card .v{font-size:25px;font-weight:650;margin:2px 0 1px;font-variant-numeric:tabular-nums}
.card .s{font-size:12px;color:var(--muted);overflow-wrap:break-word}
.card.alert{border-color:#ffa8a8;background:#fff5f5}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:10px 0}
.findings{margin:0;padding-left:20px}.findings li{margin:3px 0}
.grid3{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:14px 18px}
.grid2{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:14px 18px}
figure{margin:0;display:flex;flex-direction:column;justify-content:flex-end}
figcaption{font-size:13px;margin:0 0 2px;overflow-wrap:break-word}
figcaption .m{color:var(--muted)}
svg.chart{display:block;max-width:100%;height:auto;font-size:11px;font-family:inherit}
.legend{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:12px;color:var(--muted);margin:2px 0 10px}
.legend b{color:var(--ink);font-weight:600}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-2px;margin-right:5px}
.sw.ln{height:3px;vertical-align:3px;width:16px}
.sw.dash{height:0;width:18px;border-top:2px dashed #c92a2a;border-radius:0;vertical-align:3px}
.sw.dot{border-radius:50%;border:2px solid #1f2933;background:#fff;width:10px;height:10px}
table{border-collapse:collapse;width:100%;font-size:13px;background:#fff}
th,td{padding:5px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;background:#f8f9fa}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:650;border-top:2px solid var(--line)}
.id{overflow-wrap:break-word}
.nw{white-space:nowrap}
.mono,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
.note{background:#f8f9fa;border-left:4px solid #adb5bd;padding:8px 12px;margin:8px 0;color:var(--ink)}
.note.good{border-color:#2b8a3e;background:#ebfbee}
.note.badn{border-color:#c92a2a;background:#fff5f5}
.tables{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:14px 18px;align-items:start}
nav.toc{font-size:13px;margin:6px 0 0;color:var(--muted)}
nav.toc a{color:var(--accent);text-decoration:none;margin-right:14px;white-space:nowrap}
.better{color:#2b8a3e}.worse{color:#c92a2a}
.bar{display:inline-block;height:8px;background:#5b7fa6;border-radius:2px;vertical-align:0}
footer{margin-top:36px;color:var(--muted);font-size:12px}
@media print{body{background:#fff}main{padding:0}.panel,.card{break-inside:avoid}}
"#;

/// A full self-contained HTML document: `title` is escaped here, `body` is trusted HTML
/// (escape every input id in it with [`escape_html`]).
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        escape_html(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_is_self_contained() {
        let html = page("a <b>", "<p>x</p>");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<title>a &lt;b&gt;</title>"));
        assert!(!html.contains("http"));
        assert!(!html.contains("<script"));
    }
}
