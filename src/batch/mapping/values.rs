//! A cell of a funder's export read as the field it maps to: "£12,500.00" as money, "18 months"
//! or "2 years" as months, "Yes"/"N" as a yes or no, "Registered charity" as an organisation
//! kind, "1 September 2026" or an Excel date as a month. What cannot be read says what was
//! expected, so the warning can name it; nothing is guessed beyond what the text says.

use crate::proposal::{FieldKind, strip_indices};
use serde_json::Value;

/// Fields that hold a number of months, read from "18 months", "2 years" or "26 weeks".
const MONTHS: [&str; 1] = ["funding.duration_months"];
/// Fields that hold money, read from "£12,500.00", "GBP 12500" or "12.5k".
const MONEY: [&str; 3] = [
    "funding.amount_requested",
    "funding.total_cost",
    "funding.match_funding",
];
/// Fields that hold a month (`YYYY-MM` or `YYYY-MM-DD`).
const MONTH_FIELDS: [&str; 1] = ["outcomes.by"];

/// A cell read as a field of kind `kind` at `path`: `Ok(None)` for an empty cell, `Err` with
/// what was expected.
pub(crate) fn convert(kind: &FieldKind, path: &str, raw: &str) -> Result<Option<Value>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let bare = strip_indices(path);
    let bare = bare.as_str();
    let v = match kind {
        FieldKind::Integer if MONTHS.contains(&bare) => months(raw).map(Value::from),
        FieldKind::Integer => whole(raw).map(Value::from),
        FieldKind::Number if MONEY.contains(&bare) => money(raw).and_then(number),
        FieldKind::Number => plain_number(raw).and_then(number),
        FieldKind::Bool => yes_no(raw).map(Value::Bool),
        FieldKind::Choice(options) => choice(bare, options, raw).map(Value::from),
        FieldKind::List => {
            let items = list(raw);
            (!items.is_empty()).then(|| Value::from(items))
        }
        FieldKind::Text if MONTH_FIELDS.contains(&bare) => month(raw).map(Value::from),
        FieldKind::Text => Some(Value::from(text(raw))),
        FieldKind::Group | FieldKind::Records => None,
    };
    v.map(Some).ok_or_else(|| expected(kind, bare))
}

/// What a field of this kind expects, for messages.
pub(crate) fn expected(kind: &FieldKind, bare: &str) -> String {
    match kind {
        FieldKind::Integer if MONTHS.contains(&bare) => {
            "a number of months, such as `18`, `18 months` or `2 years`".to_string()
        }
        FieldKind::Integer => "a whole number, such as `40`".to_string(),
        FieldKind::Number if MONEY.contains(&bare) => {
            "an amount of money, such as `12500` or `£12,500.00`".to_string()
        }
        FieldKind::Number => "a number, such as `12.5`".to_string(),
        FieldKind::Bool => "yes or no (`Yes`, `No`, `Y`, `N`, `true`, `false`)".to_string(),
        FieldKind::Choice(options) => format!("one of {}", options.join(", ")),
        FieldKind::List => "a list, its items separated by `;` or on separate lines".to_string(),
        FieldKind::Text if MONTH_FIELDS.contains(&bare) => {
            "a month, such as `2026-09`, `September 2026` or `01/09/2026`".to_string()
        }
        FieldKind::Text => "text".to_string(),
        FieldKind::Group | FieldKind::Records => "a field, not a table".to_string(),
    }
}

fn number(x: f64) -> Option<Value> {
    serde_json::Number::from_f64(x).map(Value::Number)
}

/// Text as the bid keeps it: line breaks as `\n`, the ends trimmed.
pub(crate) fn text(raw: &str) -> String {
    raw.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim()
        .to_string()
}

/// A list: one item a line, or items separated by `;`; bullets dropped.
fn list(raw: &str) -> Vec<String> {
    raw.split(['\n', '\r', ';'])
        .map(|s| s.trim().trim_start_matches(['-', '*', '•', '·']).trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// "Yes", "no", "Y", "TRUE", "1", and answers that start with yes or no ("Yes, three
/// workshops").
pub(crate) fn yes_no(raw: &str) -> Option<bool> {
    let lower = raw.trim().to_lowercase();
    match lower.as_str() {
        "yes" | "y" | "true" | "1" | "ticked" | "checked" => return Some(true),
        "no" | "n" | "false" | "0" | "none" => return Some(false),
        _ => {}
    }
    let first: String = lower.chars().take_while(|c| c.is_alphabetic()).collect();
    let rest = lower.get(first.len()..).unwrap_or_default();
    let separated = rest.starts_with(|c: char| !c.is_alphanumeric());
    match first.as_str() {
        "yes" if separated => Some(true),
        "no" if separated => Some(false),
        _ => None,
    }
}

/// A plain number: `12.5`, `1,200`, `40%` (as 40).
fn plain_number(raw: &str) -> Option<f64> {
    let s: String = raw
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A whole number, alone or followed by what it counts ("40 people"): never a range or two
/// numbers.
fn whole(raw: &str) -> Option<i64> {
    let (x, rest) = leading_number(raw)?;
    let words_only = rest.chars().all(|c| c.is_alphabetic() || c.is_whitespace());
    if !words_only || x.fract() != 0.0 || x < 0.0 {
        return None;
    }
    Some(x as i64)
}

/// The number a text starts with (commas as thousands separators), and the rest of the text.
fn leading_number(raw: &str) -> Option<(f64, &str)> {
    let raw = raw.trim();
    let end = raw
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(raw.len(), |(i, _)| i);
    let digits: String = raw.get(..end)?.chars().filter(|c| *c != ',').collect();
    let x = digits.trim_end_matches('.').parse::<f64>().ok()?;
    Some((x, raw.get(end..)?.trim()))
}

/// A number written as a word, for durations ("two years", "a year").
fn number_word(w: &str) -> Option<f64> {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    match w {
        "a" | "an" => Some(1.0),
        "eighteen" => Some(18.0),
        "twenty-four" | "twenty four" => Some(24.0),
        _ => WORDS.iter().position(|x| *x == w).map(|i| i as f64),
    }
}

/// A duration in months: "18", "18 months", "18m", "2 years", "1.5 years", "two years",
/// "26 weeks" (rounded to whole months).
pub(crate) fn months(raw: &str) -> Option<i64> {
    let lower = raw.trim().to_lowercase();
    let (x, unit) = match leading_number(&lower) {
        Some((x, rest)) => (x, rest.to_string()),
        None => {
            let (word, rest) = lower.split_once(' ')?;
            (number_word(word)?, rest.trim().to_string())
        }
    };
    let per_month = match unit.trim_end_matches('.') {
        "" | "m" | "mo" | "mos" | "month" | "months" => 1.0,
        "y" | "yr" | "yrs" | "year" | "years" => 12.0,
        "w" | "wk" | "wks" | "week" | "weeks" => 12.0 / 52.0,
        _ => return None,
    };
    let m = (x * per_month).round();
    (0.0..=10_000.0).contains(&m).then_some(m as i64)
}

/// Money: "£12,500.00", "GBP 12500", "12500", "12.5k", "€12.500,00". Never negative.
pub(crate) fn money(raw: &str) -> Option<f64> {
    let mut s: String = raw.trim().to_lowercase();
    for code in ["gbp", "eur", "usd"] {
        s = s.replace(code, "");
    }
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, '£' | '$' | '€' | '¥') && !c.is_whitespace())
        .collect();
    let (s, factor) = match s.strip_suffix('k') {
        Some(rest) => (rest.to_string(), 1000.0),
        None => (s, 1.0),
    };
    // "12.500,00": a comma before two final digits, after a dot, is a decimal comma.
    let s = match (s.rfind(','), s.rfind('.')) {
        (Some(c), Some(d)) if c > d && s.len() - c == 3 => s.replace('.', "").replace(',', "."),
        _ => s.replace(',', ""),
    };
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let x = s.parse::<f64>().ok()? * factor;
    (x.is_finite() && x >= 0.0).then_some((x * 100.0).round() / 100.0)
}

/// One of a field's values, written as the platform writes it: the value itself in any case
/// and spacing ("Community group" for `community-group`), or for `applicant.kind` the common
/// names of kinds of organisation ("Registered charity", "Charitable Incorporated
/// Organisation").
fn choice(bare: &str, options: &[String], raw: &str) -> Option<String> {
    let slug: String = raw
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if let Some(o) = options.iter().find(|o| **o == slug) {
        return Some(o.clone());
    }
    if bare == "applicant.kind" {
        return kind_of_name(&slug, raw).map(str::to_string);
    }
    None
}

/// An organisation kind by the names grants platforms give it: 360Giving's, and the short
/// forms and plain names forms use.
fn kind_of_name(slug: &str, raw: &str) -> Option<&'static str> {
    match slug {
        "cio" => Some("cio"),
        "cic" => Some("cic"),
        "pcc" => Some("faith-group"),
        s if s.contains("constituted") => Some("community-group"),
        s if s.contains("limited-company")
            || s.contains("business")
            || s.contains("sole-trader") =>
        {
            Some("business")
        }
        _ => crate::batch::giving::kind_of_type(raw),
    }
}

/// A month, `YYYY-MM` or `YYYY-MM-DD`, from the ways people and spreadsheets write one:
/// `2026-09`, `2026-09-01T00:00:00`, `01/09/2026` (day first, as in the UK), `1 September
/// 2026`, `Sep 2026`, or an Excel date serial number (`46266`).
pub(crate) fn month(raw: &str) -> Option<String> {
    let s = raw.trim();
    if let Some(iso) = iso_month(s) {
        return Some(iso);
    }
    if let Ok(serial) = s.parse::<f64>() {
        return (20_000.0..100_000.0)
            .contains(&serial)
            .then(|| serial_date(serial, false));
    }
    if let Some(d) = slashed(s) {
        return Some(d);
    }
    named_month(s)
}

fn iso_month(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    if !(digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7)) {
        return None;
    }
    if b.get(7) == Some(&b'-') && digits(8..10) {
        return s.get(..10).map(str::to_string);
    }
    (b.len() == 7).then(|| s.to_string())
}

/// `01/09/2026` or `1.9.2026`, day first.
fn slashed(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split(['/', '.']).map(str::trim).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let (d, m, y): (u32, u32, u32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    let y = if y < 100 { 2000 + y } else { y };
    ((1..=31).contains(&d) && (1..=12).contains(&m) && (1900..=2200).contains(&y))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// `1 September 2026`, `September 2026`, `Sep 2026`, `September 1, 2026`.
fn named_month(s: &str) -> Option<String> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = s.to_lowercase().replace(',', " ");
    let words: Vec<&str> = lower.split_whitespace().collect();
    let m = words
        .iter()
        .find_map(|w| NAMES.iter().position(|n| w.starts_with(n)))?;
    let numbers: Vec<u32> = words
        .iter()
        .filter_map(|w| w.trim_end_matches(|c: char| c.is_alphabetic()).parse().ok())
        .collect();
    let y = *numbers.iter().find(|n| (1900..=2200).contains(*n))?;
    let d = numbers.iter().find(|n| (1..=31).contains(*n));
    Some(match d {
        Some(d) => format!("{y:04}-{:02}-{d:02}", m + 1),
        None => format!("{y:04}-{:02}", m + 1),
    })
}

/// An Excel date serial number as `YYYY-MM-DD` (the 1900 date system, or 1904's).
pub(crate) fn serial_date(serial: f64, is_1904: bool) -> String {
    // Days from 1970-01-01: Excel's day 0 is 1899-12-30 once its 1900 leap-year bug is
    // allowed for (day 60, the 29 February 1900 that never was, only before March 1900).
    let days = serial.floor() as i64 + if is_1904 { 1462 } else { 0 } - 25_569;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to a proleptic Gregorian date.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_read_as_platforms_write_it() {
        for (raw, want) in [
            ("£12,500.00", Some(12500.0)),
            ("12500", Some(12500.0)),
            ("GBP 9,999", Some(9999.0)),
            ("12.5k", Some(12500.0)),
            ("€12.500,00", Some(12500.0)),
            ("-500", None),
            ("TBC", None),
            ("", None),
        ] {
            assert_eq!(money(raw), want, "{raw}");
        }
    }

    #[test]
    fn durations_become_months() {
        for (raw, want) in [
            ("18", Some(18)),
            ("18 months", Some(18)),
            ("2 years", Some(24)),
            ("1.5 years", Some(18)),
            ("two years", Some(24)),
            ("a year", Some(12)),
            ("26 weeks", Some(6)),
            ("about a year", None),
            ("12-18 months", None),
        ] {
            assert_eq!(months(raw), want, "{raw}");
        }
    }

    #[test]
    fn yes_and_no_in_the_ways_forms_say_them() {
        for (raw, want) in [
            ("Yes", Some(true)),
            ("N", Some(false)),
            ("TRUE", Some(true)),
            ("Yes, three workshops", Some(true)),
            ("No - not yet", Some(false)),
            ("Yesterday", None),
            ("Partly", None),
        ] {
            assert_eq!(yes_no(raw), want, "{raw}");
        }
    }

    #[test]
    fn months_and_dates_in_every_common_form() {
        for (raw, want) in [
            ("2026-09", Some("2026-09")),
            ("2026-09-01T00:00:00", Some("2026-09-01")),
            ("01/09/2026", Some("2026-09-01")),
            ("1 September 2026", Some("2026-09-01")),
            ("Sep 2026", Some("2026-09")),
            ("46266", Some("2026-09-01")),
            ("soon", None),
        ] {
            assert_eq!(month(raw).as_deref(), want, "{raw}");
        }
        assert_eq!(serial_date(61.0, false), "1900-03-01");
    }

    #[test]
    fn a_choice_is_found_in_any_case_and_spacing() {
        let kinds = vec!["charity".to_string(), "community-group".to_string()];
        let kind = FieldKind::Choice(kinds);
        let read = |raw| convert(&kind, "applicant.kind", raw);
        assert_eq!(
            read("Community Group"),
            Ok(Some(Value::from("community-group")))
        );
        assert_eq!(read("Registered charity"), Ok(Some(Value::from("charity"))));
        assert_eq!(
            read("Friendly society"),
            Err("one of charity, community-group".to_string())
        );
    }
}
