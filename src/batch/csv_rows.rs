//! CSV: one bid a row. A proposal CSV names its columns by field path
//! (`volunteering.new_volunteers`), typed by the proposal schema, lists separated by `;`, an
//! empty cell meaning *not stated*. A 360Giving flat CSV (`Identifier`, `Title`,
//! `Amount Awarded`, …) is mapped like 360Giving JSON.

use super::{Item, failed, item_from_value};
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::patch::{Patch, typed_value};
use crate::proposal::ProposalSchema;
use serde_json::{Value, json};
use std::path::Path;

fn norm(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

/// 360Giving flat CSV column → the grant JSON path it fills.
fn giving_column(header: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match norm(header).as_str() {
        "identifier" => ("id", None),
        "title" => ("title", None),
        "description" => ("description", None),
        "currency" => ("currency", None),
        "amountappliedfor" => ("amountAppliedFor", None),
        "amountawarded" => ("amountAwarded", None),
        "planneddatesstartdate" => ("plannedDates", Some("startDate")),
        "planneddatesenddate" => ("plannedDates", Some("endDate")),
        "planneddatesdurationmonths" => ("plannedDates", Some("duration")),
        "recipientorgidentifier" => ("recipientOrganization", Some("id")),
        "recipientorgname" => ("recipientOrganization", Some("name")),
        "recipientorgcharitynumber" => ("recipientOrganization", Some("charityNumber")),
        "recipientorgorganisationtype" => ("recipientOrganization", Some("organisationType")),
        "beneficiarylocationname" => ("beneficiaryLocation", Some("name")),
        "beneficiarylocationgeographiccode" => ("beneficiaryLocation", Some("geoCode")),
        _ => return None,
    })
}

pub(crate) fn read(
    path: &Path,
    source: &str,
    schema: &ProposalSchema,
    limits: &Limits,
    each: &mut dyn FnMut(Item) -> bool,
    giving: bool,
) {
    let file = match super::open(path, source) {
        Ok(f) => f,
        Err(d) => {
            each(failed(source, None, None, vec![d]));
            return;
        }
    };
    // The CSV reader holds a whole row in memory: bound it to one bid (plus the reader's buffer).
    let budget = super::Budget::default();
    let row_limit = limits.max_bid_bytes as u64 + 64 * 1024;
    budget.allow(0, row_limit);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(super::Bounded {
            inner: std::io::BufReader::with_capacity(256 * 1024, file),
            budget: budget.clone(),
        });
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            each(failed(
                source,
                Some(1),
                None,
                vec![
                    Diagnostic::error(source, format!("cannot read the CSV header: {e}")).at(1, 1),
                ],
            ));
            return;
        }
    };
    let fields = schema.fields();
    // Unknown columns are reported once, with the first row, and ignored.
    let mut warnings = Vec::new();
    let mut columns: Vec<Option<String>> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        if giving {
            columns.push(giving_column(h).map(|_| h.to_string()));
            continue;
        }
        if fields.kind(h).is_some() {
            columns.push(Some(h.to_string()));
        } else {
            let mut d = Diagnostic::warning(source, format!("unknown column `{h}` is ignored"))
                .at(1, i + 1);
            if let Some(s) = fields.suggest(h) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            warnings.push(d);
            columns.push(None);
        }
    }
    let mut record = csv::StringRecord::new();
    loop {
        let line = rdr.position().line() as usize;
        budget.allow(rdr.position().byte(), row_limit);
        match rdr.read_record(&mut record) {
            Ok(false) => return,
            Ok(true) => {}
            Err(_) if budget.exceeded() => {
                // After an I/O error the CSV reader cannot find the next row: stop this file.
                each(failed(
                    source,
                    Some(line),
                    None,
                    vec![Diagnostic::error(
                        format!("{source}:{line}"),
                        format!(
                            "the row is larger than {} MiB, the limit for one bid; the rest of the file was not read",
                            limits.max_bid_bytes / 1024 / 1024
                        ),
                    )],
                ));
                return;
            }
            Err(e) => {
                let at = e.position().map(|p| p.line() as usize).unwrap_or(line);
                let msg = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("the row has {len} cells; the header has {expected_len}")
                    }
                    csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
                    _ => e.to_string(),
                };
                if !each(failed(
                    source,
                    Some(at),
                    None,
                    vec![Diagnostic::error(format!("{source}:{at}"), msg)],
                )) {
                    return;
                }
                continue;
            }
        }
        let line = record.position().map(|p| p.line() as usize).unwrap_or(line);
        let bytes: usize = record.iter().map(str::len).sum();
        if bytes > limits.max_bid_bytes {
            if !each(failed(
                source,
                Some(line),
                None,
                vec![Diagnostic::error(
                    format!("{source}:{line}"),
                    "the row is larger than the limit for one bid",
                )],
            )) {
                return;
            }
            continue;
        }
        let mut item = if giving {
            let mut grant = serde_json::Map::new();
            for (cell, col) in record.iter().zip(&headers) {
                let cell = cell.trim();
                if cell.is_empty() {
                    continue;
                }
                if let Some((key, sub)) = giving_column(col.trim()) {
                    match sub {
                        None => {
                            grant.insert(key.to_string(), json!(cell));
                        }
                        Some(sub) => {
                            let slot = grant.entry(key.to_string()).or_insert_with(|| json!([{}]));
                            if let Some(obj) = slot.get_mut(0).and_then(Value::as_object_mut) {
                                obj.insert(sub.to_string(), json!(cell));
                            }
                        }
                    }
                }
            }
            item_from_value(
                source,
                Some(line),
                super::giving::grant_to_bid(&Value::Object(grant)),
            )
        } else {
            let mut set = Vec::new();
            let mut problems = Vec::new();
            for (cell, col) in record.iter().zip(&columns) {
                let (Some(path), cell) = (col, cell.trim()) else {
                    continue;
                };
                if cell.is_empty() {
                    continue;
                }
                match typed_value(fields, path, cell) {
                    Ok(v) => set.push((path.clone(), v)),
                    Err(e) => {
                        problems.push(Diagnostic::error(format!("{source}:{line}"), e.message))
                    }
                }
            }
            if problems.is_empty() {
                let patch = Patch {
                    set,
                    unset: Vec::new(),
                };
                match patch.apply(&json!({}), fields) {
                    Ok(doc) => item_from_value(source, Some(line), doc),
                    Err(e) => failed(
                        source,
                        Some(line),
                        None,
                        vec![Diagnostic::error(format!("{source}:{line}"), e.message)],
                    ),
                }
            } else {
                let id = record
                    .iter()
                    .zip(&columns)
                    .find(|(_, c)| c.as_deref() == Some("id"))
                    .map(|(v, _)| v.to_string());
                failed(source, Some(line), id, problems)
            }
        };
        if !warnings.is_empty() {
            item.warnings.append(&mut warnings);
        }
        if !each(item) {
            return;
        }
    }
}
