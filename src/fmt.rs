//! Numbers in words for people (money, units, percentages, thousands separators, the
//! compact figures of charts) and escaping of text from the input for Markdown, HTML and
//! CSV. Every document, message and finding formats numbers and escapes ids through here.
//! A leaf: it uses nothing else of the crate.

use std::borrow::Cow;

/// `$1,234,567` (whole dollars) or `$12.35` below $1,000.
pub fn money(x: f64) -> String {
    if x.abs() < 1000.0 {
        return format!("${x:.2}");
    }
    let sign = if x < 0.0 { "-" } else { "" };
    format!("{sign}${}", group(x.abs().round() as u64))
}

/// Thousands separators: 1234567 → `1,234,567`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

pub fn units(x: f64) -> String {
    group(x.max(0.0).round() as u64)
}

pub fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// A quantity with thousands separators and at most one decimal: `1,150`, `1,437.5`.
pub fn qty(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let sign = if x < -0.05 { "-" } else { "" };
    let a = x.abs();
    if a > 0.0005 && a < 0.05 {
        return format!("{sign}{a:.3}");
    }
    let tenths = (a * 10.0).round() as u64;
    let (whole, tenth) = (tenths / 10, tenths % 10);
    if tenth == 0 {
        format!("{sign}{}", group(whole))
    } else {
        format!("{sign}{}.{tenth}", group(whole))
    }
}

/// A share as a percentage with at most one decimal: `80%`, `71.9%`.
pub fn pct(x: f64) -> String {
    let tenths = (x * 1000.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    if tenths.is_multiple_of(10) {
        format!("{sign}{}%", tenths / 10)
    } else {
        format!("{sign}{}.{}%", tenths / 10, tenths % 10)
    }
}

/// A share as `70%`, or `70.5%` when it is not a whole percent (within 1e-6); unlike
/// [`pct`], `70.04%` shows as `70.0%`. For targets written in the model.
pub fn target_pct(x: f64) -> String {
    let p = 100.0 * x;
    if (p - p.round()).abs() < 1e-6 {
        format!("{:.0}%", p)
    } else {
        format!("{p:.1}%")
    }
}

/// Digits after the decimal point that a tick or value step of `step` needs.
fn decimals(step: f64) -> usize {
    if step >= 1.0 || step <= 0.0 {
        0
    } else {
        (-step.log10() - 1e-9).ceil().max(0.0) as usize
    }
}

/// `12,400` or `0.25`: thousands separators and as many decimals as `step` needs.
pub fn count(v: f64, step: f64) -> String {
    let d = decimals(step);
    let sign = if v < -0.5 * 10f64.powi(-(d as i32)) {
        "-"
    } else {
        ""
    };
    let a = v.abs();
    if d == 0 {
        format!("{sign}{}", group(a.round() as u64))
    } else {
        let whole = a.trunc();
        let frac = format!("{:.*}", d, a - whole);
        // `frac` is `0.xx` or `1.00` after rounding.
        let (carry, digits) = match frac.split_once('.') {
            Some((c, f)) => (c.parse::<u64>().unwrap_or(0), f.to_string()),
            None => (0, String::new()),
        };
        format!("{sign}{}.{digits}", group(whole as u64 + carry))
    }
}

/// A relative MIP gap in words: `0.01% gap`, `0% gap`, `an unknown gap` when not
/// finite.
pub fn gap_words(gap: f64) -> String {
    if !gap.is_finite() {
        "an unknown gap".to_string()
    } else if gap <= 0.0 {
        "0% gap".to_string()
    } else {
        let digits = if gap >= 0.01 {
            1
        } else if gap >= 1e-4 {
            3
        } else {
            6
        };
        let text = format!("{:.*}", digits, gap * 100.0);
        let text = text.trim_end_matches('0').trim_end_matches('.');
        format!("{text}% gap")
    }
}

/// `$1.2M`, `$540K`, `$62.35`: three significant digits at most.
pub fn money_short(x: f64) -> String {
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    let (v, suffix) = if a >= 1e9 {
        (a / 1e9, "B")
    } else if a >= 1e6 {
        (a / 1e6, "M")
    } else if a >= 1e4 {
        (a / 1e3, "K")
    } else {
        return format!("{sign}${}", count(a, if a >= 100.0 { 1.0 } else { 0.01 }));
    };
    let d = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{sign}${v:.d$}{suffix}")
}

/// Money with its sign always written, in ASCII: `+$1,234`, `-$62.50`.
pub fn signed_money(x: f64) -> String {
    if x < 0.0 {
        format!("-{}", money(-x))
    } else {
        format!("+{}", money(x))
    }
}

/// A number as written in a message: the shortest text that reads back as `x`, in
/// scientific form when it is very small or very large (`1e-300`, not 300 digits).
pub fn number_text(x: f64) -> String {
    if x == 0.0 || !x.is_finite() || (1e-4..1e15).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// Numbers in CSV cells: compact and deterministic (no trailing float noise).
pub fn csv_number(x: f64) -> String {
    if x == x.round() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The text with its first letter upper-case.
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Escapes text from the input so it renders literally in Markdown (and never as HTML).
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            _ => out.push(ch),
        }
    }
    out
}

/// Text escaped by [`escape_markdown`] back as plain text (entities and backslashes
/// undone; line breaks stay spaces).
pub fn unescape_markdown(text: &str) -> String {
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    strip_backslashes(&text)
}

/// Text escaped by [`escape_markdown`] as HTML element content: only the backslashes are
/// dropped, since `<`, `>` and `&` are already entities.
pub fn markdown_to_html(text: &str) -> String {
    strip_backslashes(text)
}

fn strip_backslashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        if ch == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// HTML-escapes text (`&`, `<`, `>`, `"`, `'`) so ids from the input always render as text,
/// in element content and in attribute values alike.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c != '\n' && is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            _ => out.push(ch),
        }
    }
    out
}

/// Cells starting with these are run as formulas by spreadsheets.
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// A CSV cell that a spreadsheet would run as a formula gets a leading `'` (numbers such
/// as `-12.5` are left alone).
pub fn neutralise_csv(cell: &str) -> String {
    let cell = printable(cell);
    let risky = cell.starts_with(FORMULA_STARTS) && cell.parse::<f64>().is_err();
    if risky {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Text from the input as it may be shown on a terminal: control characters (which
/// could move the cursor, recolour or clear the screen, or fake a line of output),
/// bidirectional overrides (which reorder what is shown) and invisible characters are
/// written as `\u{..}`. The Markdown, HTML and CSV escapes do the same.
pub fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = is_unsafe;
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Characters that show nothing (zero-width spaces and joiners, the word joiner, a byte
/// order mark, the Mongolian vowel separator) or break a line where none is seen (line
/// and paragraph separators): `hager\u{200b}stown` would look like `hagerstown`.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{180e}' | '\u{2028}' | '\u{2029}'
    )
}

/// Text as a Markdown code span: `` `text` ``, with backticks turned into quotes and
/// unsafe characters written as `\u{..}`.
pub fn markdown_code(text: &str) -> String {
    format!("`{}`", printable(text).replace('`', "'"))
}

/// A relative path as a Markdown link target: unsafe characters written as `\u{..}`,
/// and spaces and parentheses percent-encoded so that the link stays one link.
pub fn markdown_link_target(path: &str) -> String {
    printable(path)
        .replace('%', "%25")
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

/// Text for a terminal, whatever its source (a plan, a summary, a file name): like
/// [`printable`], but line breaks and tabs of the message itself are kept.
pub fn terminal(text: &str) -> Cow<'_, str> {
    let escape = |c: char| c != '\n' && c != '\t' && is_unsafe(c);
    if !text.chars().any(escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Characters never shown as they are: controls, direction overrides, invisibles.
fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible(c)
}

/// Unicode's explicit bidirectional formatting characters (the "Trojan Source" set).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(12_345_678), "12,345,678");
    }

    #[test]
    fn formats_money_and_units() {
        assert_eq!(money(153.675), "$153.68");
        assert_eq!(money(99_631_204.4), "$99,631,204");
        assert_eq!(units(1234.4), "1,234");
        assert_eq!(percent(0.9876), "98.8%");
    }

    #[test]
    fn compact_figures() {
        assert_eq!(count(12_400.0, 100.0), "12,400");
        assert_eq!(count(0.25, 0.05), "0.25");
        assert_eq!(count(1.996, 0.01), "2.00");
        assert_eq!(money_short(99_302_912.0), "$99.3M");
        assert_eq!(money_short(540_200.0), "$540K");
        assert_eq!(money_short(1_766_475.0), "$1.77M");
        assert_eq!(money_short(62.346), "$62.35");
        assert_eq!(money_short(4321.0), "$4,321");
        assert_eq!(target_pct(0.7), "70%");
        assert_eq!(target_pct(0.705), "70.5%");
        assert_eq!(signed_money(-62.5), "-$62.50");
    }

    #[test]
    fn csv_numbers_are_compact() {
        assert_eq!(csv_number(1200.0), "1200");
        assert_eq!(csv_number(0.125), "0.125");
        assert_eq!(csv_number(1.0 / 3.0), "0.333333");
    }

    #[test]
    fn escapes_markup_in_ids() {
        assert_eq!(escape_markdown("<script>|x"), "&lt;script&gt;\\|x");
        assert_eq!(escape_markdown("min_share"), "min\\_share");
        assert_eq!(
            escape_html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn markdown_escapes_undone() {
        assert_eq!(
            markdown_to_html("min\\_share &lt;b&gt; \\\\"),
            "min_share &lt;b&gt; \\"
        );
        let text = "a_b <c> & d\\e";
        assert_eq!(unescape_markdown(&escape_markdown(text)), text);
    }

    #[test]
    fn neutralises_formulas_but_not_numbers() {
        assert_eq!(neutralise_csv("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(neutralise_csv("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_csv("-12.5"), "-12.5");
        assert_eq!(neutralise_csv("+3"), "+3");
        assert_eq!(neutralise_csv("hagerstown"), "hagerstown");
    }
}
