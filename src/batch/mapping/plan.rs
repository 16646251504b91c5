//! A mapping checked against an export's header row, then each row of the export made a bid.
//!
//! The header decides where each mapped column is: a column the mapping names and the export
//! lacks, or names twice, is an error in the mapping (with a did-you-mean); columns the export
//! has and the mapping does not name are warned about once. A row then becomes a bid: each cell
//! read as its field, the answers to one text field joined and kept with their questions,
//! entries of lists of tables numbered from 0 in the order they come, defaults filled in. A cell
//! that does not fit its field leaves the field not stated, with a warning naming the row, the
//! column, the value and what was expected; only an id, a title or an amount that is missing
//! or unusable, or an id already used, makes the row an error row.

use super::{Column, Mapping, REQUIRED, Target, normal, values};
use crate::batch::{Item, failed, item_from_mapped};
use crate::diagnostic::Diagnostic;
use crate::patch::Patch;
use crate::proposal::{FieldKind, Fields, describe, strip_indices};
use csv::StringRecord;
use serde_json::{Value, json};
use std::collections::HashMap;

/// A mapping fitted to one export's header: what each column of it becomes.
pub(crate) struct Plan<'m> {
    mapping: &'m Mapping,
    fields: &'m Fields,
    /// For each column of the export, by position, the mapping's column, if it names it.
    slots: Vec<Option<&'m Column>>,
    /// The ids of the rows so far, and the line of each.
    seen: HashMap<String, usize>,
}

/// A column's letter as a spreadsheet shows it: A, B, …, Z, AA, AB.
pub(crate) fn letter(i: usize) -> String {
    let mut n = i + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// `a, b and c`, each in backticks.
fn listed(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

impl Mapping {
    /// The mapping fitted to an export whose header row is `header` (`source` names the export
    /// in messages): the plan and the warnings about the header, or the mapping's errors.
    pub(crate) fn plan<'m>(
        &'m self,
        header: &[String],
        source: &str,
        fields: &'m Fields,
    ) -> Result<(Plan<'m>, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut slots: Vec<Option<&Column>> = vec![None; header.len()];
        let mut problems = Vec::new();
        for c in self.columns() {
            let found: Vec<usize> = (0..header.len())
                .filter(|&i| {
                    header
                        .get(i)
                        .is_some_and(|h| normal(h) == normal(&c.header))
                })
                .collect();
            match found.as_slice() {
                [i] => {
                    if let Some(s) = slots.get_mut(*i) {
                        *s = Some(c);
                    }
                }
                [] => problems.push(self.missing(c, header, source)),
                many => {
                    let at: Vec<String> = many.iter().map(|&i| letter(i)).collect();
                    problems.push(
                        self.at_column(
                            c,
                            format!(
                                "the export `{source}` has {} columns named `{}` (columns {})",
                                many.len(),
                                c.header,
                                at.join(", ")
                            ),
                        )
                        .help("rename them in the export so that each name is used once"),
                    );
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let warnings = self.unread(header, &slots, source);
        let plan = Plan {
            mapping: self,
            fields,
            slots,
            seen: HashMap::new(),
        };
        Ok((plan, warnings))
    }

    /// A column the mapping names that the export does not have.
    fn missing(&self, c: &Column, header: &[String], source: &str) -> Diagnostic {
        let names = header
            .iter()
            .map(String::as_str)
            .filter(|h| !h.trim().is_empty());
        let d = self.at_column(
            c,
            format!("the export `{source}` has no column `{}`", c.header),
        );
        match crate::suggest::did_you_mean(&c.header, names) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => {
                let first: Vec<String> = header.iter().take(8).cloned().collect();
                let more = if header.len() > 8 { ", …" } else { "" };
                d.help(format!("its columns are {}{more}", listed(&first)))
            }
        }
    }

    /// Warnings about columns that are not read: without a name, or not in the mapping.
    fn unread(
        &self,
        header: &[String],
        slots: &[Option<&Column>],
        source: &str,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let blank: Vec<String> = (0..header.len())
            .filter(|&i| header.get(i).is_some_and(|h| h.trim().is_empty()))
            .map(letter)
            .collect();
        if !blank.is_empty() {
            out.push(
                Diagnostic::warning(
                    source,
                    if blank.len() == 1 {
                        format!(
                            "column {} has no name in the header row, and is not read",
                            blank.join("")
                        )
                    } else {
                        format!(
                            "columns {} have no name in the header row, and are not read",
                            blank.join(", ")
                        )
                    },
                )
                .at(1, 1),
            );
        }
        let unmapped: Vec<String> = header
            .iter()
            .zip(slots)
            .filter(|(h, s)| s.is_none() && !h.trim().is_empty())
            .map(|(h, _)| h.trim().to_string())
            .collect();
        if !unmapped.is_empty() {
            out.push(
                Diagnostic::warning(
                    source,
                    format!(
                        "{} of the export {} not in the mapping, and {} not read: {}",
                        if unmapped.len() == 1 {
                            "1 column".to_string()
                        } else {
                            format!("{} columns", unmapped.len())
                        },
                        if unmapped.len() == 1 { "is" } else { "are" },
                        if unmapped.len() == 1 { "is" } else { "are" },
                        listed(&unmapped)
                    ),
                )
                .at(1, 1)
                .help(format!(
                    "map each to a field, or to \"ignore\", under `[columns]` in {}",
                    self.file()
                )),
            );
        }
        out
    }
}

/// What a row's cells gave, before they are put together.
#[derive(Default)]
struct Cells<'m> {
    /// Each value read, with the column it came from, in the export's order.
    got: Vec<(&'m Column, &'m Target, Value)>,
    warnings: Vec<Diagnostic>,
    problems: Vec<Diagnostic>,
}

/// A bid put together from a row: field values, answers, and which column gave each field.
#[derive(Default)]
struct Built {
    set: Vec<(String, Value)>,
    answers: Vec<Value>,
    origins: Vec<(String, String)>,
}

impl<'m> Plan<'m> {
    /// Row `line` of `source` as an item: a bid to validate, or the reason it is not one.
    pub(crate) fn item(&mut self, row: &StringRecord, source: &str, line: usize) -> Item {
        let cells = self.cells(row, source, line);
        let mut built = self.build(&cells.got);
        let mut problems = cells.problems;
        let id = built
            .set
            .iter()
            .find(|(p, _)| p == "id")
            .and_then(|(_, v)| v.as_str())
            .map(str::to_string);
        self.required(&built, &cells.got, source, line, &mut problems);
        if let Some(id) = &id
            && problems.is_empty()
            && let Some(first) = self.seen.insert(id.clone(), line)
        {
            self.seen.insert(id.clone(), first);
            problems.push(
                Diagnostic::error(
                    format!("{source}:{line}"),
                    format!("the id `{id}` is also the id of the application on line {first}: each application needs its own"),
                )
                .field("id")
                .help(format!("check that the column mapped to `id` ({}) holds each application's own reference", self.id_column())),
            );
        }
        if !problems.is_empty() {
            let mut item = failed(source, Some(line), id, problems);
            item.warnings = cells.warnings;
            return item;
        }
        if !built.answers.is_empty() {
            built.set.push((
                "answers".to_string(),
                Value::Array(std::mem::take(&mut built.answers)),
            ));
        }
        self.bid(built, source, line, cells.warnings)
    }

    /// The bid document from the values, as an item to validate.
    fn bid(&self, built: Built, source: &str, line: usize, warnings: Vec<Diagnostic>) -> Item {
        let (answers, set): (Vec<_>, Vec<_>) =
            built.set.into_iter().partition(|(p, _)| p == "answers");
        let patch = Patch {
            set,
            unset: Vec::new(),
        };
        let mut doc = match patch.apply(&json!({}), self.fields) {
            Ok(d) => d,
            Err(e) => {
                let d = Diagnostic::error(format!("{source}:{line}"), e.message);
                let mut item = failed(source, Some(line), None, vec![d]);
                item.warnings = warnings;
                return item;
            }
        };
        if let (Some(obj), Some((_, a))) = (doc.as_object_mut(), answers.into_iter().next()) {
            obj.insert("answers".to_string(), a);
        }
        let mut item = item_from_mapped(source, Some(line), doc, built.origins);
        item.warnings = warnings;
        item.mapping = Some(self.mapping.hash().to_string());
        item
    }

    /// The header of the column mapped to `id`.
    fn id_column(&self) -> String {
        self.mapping
            .columns()
            .iter()
            .find(|c| c.target.as_ref().is_some_and(|t| t.path == "id"))
            .map(|c| format!("`{}`", c.header))
            .unwrap_or_default()
    }

    /// Every mapped cell of the row read as its field.
    fn cells(&self, row: &StringRecord, source: &str, line: usize) -> Cells<'m> {
        let mut out = Cells::default();
        for (i, slot) in self.slots.iter().enumerate() {
            let (Some(col), Some(raw)) = (*slot, row.get(i)) else {
                continue;
            };
            let Some(t) = col.target.as_ref() else {
                continue;
            };
            if raw.trim().is_empty() {
                continue;
            }
            match read(t, raw) {
                Ok(Some(v)) => out.got.push((col, t, v)),
                Ok(None) => {}
                Err((want, help)) => {
                    let bare = strip_indices(&t.path);
                    let required = REQUIRED.contains(&bare.as_str());
                    let found = describe(&Value::String(raw.trim().to_string()));
                    let then = if required {
                        format!("every application needs `{}`", t.path)
                    } else {
                        format!("`{}` is left not stated", t.path)
                    };
                    let message = format!(
                        "column `{}` ({}): expected {want}, found {found}; {then}",
                        col.header,
                        letter(i)
                    );
                    let at = format!("{source}:{line}");
                    let mut d = if required {
                        Diagnostic::error(at, message)
                    } else {
                        Diagnostic::warning(at, message)
                    };
                    d = d.field(&t.path);
                    if let Some(h) = help {
                        d = d.help(h);
                    }
                    if required {
                        out.problems.push(d);
                    } else {
                        out.warnings.push(d);
                    }
                }
            }
        }
        out
    }

    /// The values of the row put together: answers joined and kept with their questions,
    /// lists joined, entries of lists of tables numbered in order, defaults filled in.
    fn build(&self, got: &[(&Column, &Target, Value)]) -> Built {
        /// A text field's path, its (question, answer) pairs and the columns they came from.
        type Answers = (String, Vec<(String, String)>, Vec<String>);
        let mut built = Built::default();
        let mut texts: Vec<Answers> = Vec::new();
        for (col, t, v) in got {
            if t.answer {
                let question = t.question.clone().unwrap_or_else(|| col.header.clone());
                let text = v.as_str().unwrap_or_default().to_string();
                match texts.iter_mut().find(|(p, _, _)| *p == t.path) {
                    Some((_, a, cols)) => {
                        a.push((question, text));
                        cols.push(col.header.clone());
                    }
                    None => texts.push((
                        t.path.clone(),
                        vec![(question, text)],
                        vec![col.header.clone()],
                    )),
                }
                continue;
            }
            built.origins.push((t.path.clone(), col.header.clone()));
            if let (FieldKind::List, Some((_, Value::Array(list)))) =
                (&t.kind, built.set.iter_mut().find(|(p, _)| *p == t.path))
            {
                list.extend(v.as_array().cloned().unwrap_or_default());
                continue;
            }
            built.set.push((t.path.clone(), v.clone()));
        }
        for (path, answers, cols) in texts {
            let joined: Vec<&str> = answers.iter().map(|(_, a)| a.as_str()).collect();
            built
                .set
                .push((path.clone(), Value::String(joined.join("\n\n"))));
            for (q, a) in &answers {
                built
                    .answers
                    .push(json!({"field": path, "question": q, "text": a}));
            }
            built.origins.push((path, cols.join("`, `")));
        }
        renumber(&mut built);
        self.defaults(&mut built);
        built
    }

    /// The mapping's defaults, for fields the row left not stated (an entry of a list of
    /// tables only when the row has that entry).
    fn defaults(&self, built: &mut Built) {
        for (path, value) in self.mapping.defaults() {
            if built.set.iter().any(|(p, _)| p == path) {
                continue;
            }
            let entry_exists = match path.split_once(']') {
                Some((entry, _)) => built
                    .set
                    .iter()
                    .any(|(p, _)| p.starts_with(&format!("{entry}]"))),
                None => true,
            };
            if entry_exists {
                built.set.push((path.clone(), value.clone()));
            }
        }
    }

    /// An id, a title and an amount, or the reason the row has none.
    fn required(
        &self,
        built: &Built,
        got: &[(&Column, &Target, Value)],
        source: &str,
        line: usize,
        problems: &mut Vec<Diagnostic>,
    ) {
        if !problems.is_empty() {
            return;
        }
        for want in REQUIRED {
            if built.set.iter().any(|(p, _)| p == want) {
                continue;
            }
            let column = self
                .mapping
                .columns()
                .iter()
                .find(|c| c.target.as_ref().is_some_and(|t| t.path == want));
            let what = match want {
                "id" => "an id",
                "title" => "a title",
                _ => "the amount requested",
            };
            let message = match column {
                Some(c) if got.iter().all(|(g, _, _)| g.header != c.header) => {
                    format!(
                        "column `{}` is empty: every application needs {what}",
                        c.header
                    )
                }
                _ => format!("the row gives no value for `{want}`: every application needs {what}"),
            };
            problems.push(Diagnostic::error(format!("{source}:{line}"), message).field(want));
        }
    }
}

/// A cell read as its field, through the column's value map first: the value, not stated, or
/// what was expected (and a help line).
fn read(t: &Target, raw: &str) -> Result<Option<Value>, (String, Option<String>)> {
    let mapped = t.values.as_ref().and_then(|m| m.get(raw));
    if let Some(v) = mapped {
        return Ok(v);
    }
    match values::convert(&t.kind, &t.path, raw) {
        Ok(v) => Ok(v),
        Err(want) => match &t.values {
            None => Err((want, None)),
            Some(m) => {
                let help = match m.suggest(raw) {
                    Some(s) => format!(
                        "did you mean `{s}`? (an entry of the value map `{}`)",
                        m.name
                    ),
                    None => format!(
                        "add `{} = …` to the value map `{}`",
                        toml::Value::String(raw.trim().to_string()),
                        m.name
                    ),
                };
                Err((
                    format!("an entry of the value map `{}`, or {want}", m.name),
                    Some(help),
                ))
            }
        },
    }
}

/// Entries of lists of tables numbered from 0, in the order of their numbers in the mapping:
/// a form whose first partner is left blank gives its second partner as `partners[0]`.
fn renumber(built: &mut Built) {
    let mut used: Vec<(String, usize)> = Vec::new();
    for (p, _) in &built.set {
        if let Some(e) = entry(p)
            && !used.contains(&e)
        {
            used.push(e);
        }
    }
    used.sort();
    let new_index = |p: &str| -> String {
        let Some((root, i)) = entry(p) else {
            return p.to_string();
        };
        let n = used.iter().filter(|(r, j)| *r == root && *j < i).count();
        let rest = p.split_once(']').map_or("", |(_, r)| r);
        format!("{root}[{n}]{rest}")
    };
    for (p, _) in &mut built.set {
        *p = new_index(p);
    }
    for (p, _) in &mut built.origins {
        *p = new_index(p);
    }
    for a in &mut built.answers {
        if let Some(Value::String(f)) = a.get_mut("field") {
            *f = new_index(f);
        }
    }
}

/// The list and entry number a path is in: `partners[2].name` → (`partners`, 2).
fn entry(path: &str) -> Option<(String, usize)> {
    let (root, rest) = path.split_once('[')?;
    let i = rest.split_once(']')?.0.parse().ok()?;
    Some((root.to_string(), i))
}

/// Removes a field the schema refused, and the answers that made it.
pub(crate) fn unset(doc: &mut Value, path: &str, fields: &Fields) {
    let patch = Patch {
        set: Vec::new(),
        unset: vec![path.to_string()],
    };
    if let Ok(d) = patch.apply(doc, fields) {
        *doc = d;
    }
    if let Some(Value::Array(list)) = doc.get_mut("answers") {
        list.retain(|a| a.get("field").and_then(Value::as_str) != Some(path));
        if list.is_empty()
            && let Some(obj) = doc.as_object_mut()
        {
            obj.remove("answers");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_go_on_past_z() {
        let got: Vec<String> = [0, 25, 26, 27, 701, 702].into_iter().map(letter).collect();
        assert_eq!(got, ["A", "Z", "AA", "AB", "ZZ", "AAA"]);
    }

    #[test]
    fn entries_of_lists_are_numbered_in_order() {
        let mut b = Built {
            set: vec![
                ("partners[2].name".into(), json!("B")),
                ("partners[5].name".into(), json!("C")),
                ("title".into(), json!("t")),
            ],
            answers: vec![json!({"field": "partners[5].role", "text": "x"})],
            origins: Vec::new(),
        };
        renumber(&mut b);
        let paths: Vec<&str> = b.set.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["partners[0].name", "partners[1].name", "title"]);
        assert_eq!(b.answers[0]["field"], "partners[1].role");
    }
}
