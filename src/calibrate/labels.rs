//! The development set's labels: one CSV row per grant, `id,half,` then a 0/1 column per core
//! indicator (plus any `source` and `note` columns, which are for people). Every grant has one
//! row and every row one grant, or calibration refuses to run: a silently unlabelled grant
//! would change the measure without anyone seeing.

use super::CalibrationError;
use crate::Diagnostic;
use indexmap::IndexMap;
use std::path::Path;

/// One grant's labels.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    pub half: String,
    /// Core indicator → whether the grant would plausibly move it.
    pub positive: IndexMap<String, bool>,
}

pub(super) type Table = IndexMap<String, Row>;

const HALVES: [&str; 2] = ["tune", "test"];
/// Columns people may add for themselves.
const FREE: [&str; 2] = ["source", "note"];

/// Reads the labels of `grants` from `path` (shown as `shown`), one column per `indicators`.
pub(super) fn read(
    path: &Path,
    shown: &str,
    indicators: &[String],
    grants: &[&str],
) -> Result<Table, CalibrationError> {
    let fail = |d: Diagnostic| CalibrationError(vec![d]);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| {
            fail(Diagnostic::error(
                shown,
                format!("cannot read the labels: {e}"),
            ))
        })?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| {
            fail(Diagnostic::error(
                shown,
                format!("cannot read the labels: {e}"),
            ))
        })?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    check_header(shown, &header, indicators).map_err(fail)?;
    let mut table = Table::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(Diagnostic::error(shown, format!("cannot read a row: {e}")));
                break;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        match row(shown, line, &cell, indicators, grants, &table) {
            Ok((id, r)) => {
                table.insert(id, r);
            }
            Err(d) => problems.push(d),
        }
    }
    let missing: Vec<&str> = grants
        .iter()
        .copied()
        .filter(|g| !table.contains_key(*g))
        .collect();
    // A row refused above is not also reported as missing.
    if problems.is_empty() && !missing.is_empty() {
        problems.push(
            Diagnostic::error(shown, format!("{} grants have no labels", missing.len()))
                .help(format!("add a row for each: {}", list(&missing))),
        );
    }
    if problems.is_empty() {
        Ok(table)
    } else {
        Err(CalibrationError(problems))
    }
}

fn list(ids: &[&str]) -> String {
    let shown: Vec<String> = ids.iter().take(10).map(|i| format!("`{i}`")).collect();
    let more = ids.len().saturating_sub(10);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn check_header(shown: &str, header: &[String], indicators: &[String]) -> Result<(), Diagnostic> {
    for needed in ["id", "half"]
        .into_iter()
        .chain(indicators.iter().map(String::as_str))
    {
        if !header.iter().any(|h| h == needed) {
            return Err(
                Diagnostic::error(shown, format!("the labels have no `{needed}` column"))
                    .at(1, 1)
                    .help(format!(
                        "the header needs `id`, `half` and a column for each core indicator: {}",
                        indicators.join(", ")
                    )),
            );
        }
    }
    let known: Vec<&str> = ["id", "half"]
        .into_iter()
        .chain(FREE)
        .chain(indicators.iter().map(String::as_str))
        .collect();
    if let Some((i, h)) = header
        .iter()
        .enumerate()
        .find(|(_, h)| !known.contains(&h.as_str()))
    {
        let help = crate::suggest::did_you_mean(h, known.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("the columns are {}", known.join(", ")));
        return Err(
            Diagnostic::error(shown, format!("unknown column `{h}` in the labels"))
                .at(1, column_of(header, i))
                .help(help),
        );
    }
    Ok(())
}

/// The 1-based character column where header cell `i` starts (cells joined by commas).
fn column_of(header: &[String], i: usize) -> usize {
    header
        .iter()
        .take(i)
        .map(|h| h.chars().count() + 1)
        .sum::<usize>()
        + 1
}

fn row(
    shown: &str,
    line: usize,
    cell: &dyn Fn(&str) -> String,
    indicators: &[String],
    grants: &[&str],
    table: &Table,
) -> Result<(String, Row), Diagnostic> {
    let at = |msg: String| Diagnostic::error(shown, msg).at(line, 1);
    let id = cell("id");
    if id.is_empty() {
        return Err(at("a row has no `id`".to_string()));
    }
    if table.contains_key(&id) {
        return Err(at(format!("`{id}` is labelled twice")));
    }
    if !grants.contains(&id.as_str()) {
        let help = crate::suggest::did_you_mean(&id, grants.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| "label only grants that are in the development set".to_string());
        return Err(at(format!("`{id}` is not one of the labelled grants")).help(help));
    }
    let half = cell("half");
    if !HALVES.contains(&half.as_str()) {
        return Err(at(format!(
            "`half` must be `tune` or `test`, found `{half}` for `{id}`"
        )));
    }
    let mut positive = IndexMap::new();
    for ind in indicators {
        let v = match cell(ind).as_str() {
            "1" => true,
            "0" => false,
            other => {
                return Err(at(format!(
                    "`{ind}` must be 0 or 1, found `{other}` for `{id}`"
                )));
            }
        };
        positive.insert(ind.clone(), v);
    }
    Ok((id, Row { half, positive }))
}

/// The draw of each grant, from a selection file with `id` and `draw` columns.
pub(super) fn draws(
    path: &Path,
    shown: &str,
    grants: &[&str],
) -> Result<IndexMap<String, String>, CalibrationError> {
    let fail = |msg: String| CalibrationError(vec![Diagnostic::error(shown, msg)]);
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| fail(format!("cannot read the selection: {e}")))?;
    let header = reader
        .headers()
        .map_err(|e| fail(format!("cannot read the selection: {e}")))?
        .clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let (Some(id_col), Some(draw_col)) = (col("id"), col("draw")) else {
        return Err(fail(
            "the selection needs an `id` and a `draw` column".to_string(),
        ));
    };
    let mut out = IndexMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| fail(format!("cannot read a row: {e}")))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let id = record.get(id_col).unwrap_or_default().trim().to_string();
        if !grants.contains(&id.as_str()) {
            return Err(CalibrationError(vec![
                Diagnostic::error(shown, format!("`{id}` is not one of the labelled grants"))
                    .at(line, 1),
            ]));
        }
        out.insert(
            id,
            record.get(draw_col).unwrap_or_default().trim().to_string(),
        );
    }
    Ok(out)
}
