//! Judgment cases for the reader: a sentence as a bid would put it, and what an appraiser would
//! read in it (`tests/judgments/reading.toml` in a checklist).
//!
//! ```toml
//! [[reading]]
//! name = "a plain denial of volunteers"
//! text = "At the moment we have no volunteers, so staff run every session."
//! field = "summary"        # optional; the default
//! kind = "prose"           # optional: "prose" (default), "item" or "name"
//! applicant = "…"          # optional: the applicant's name, read as a name
//! partners = ["…"]         # optional: partners' names, read as names
//! claims = [ { concept = "volunteering", status = "negated" } ]  # each must be read
//! absent = ["libraries"]   # optional: concepts that must not be claimed at all
//! ```
//!
//! A claim may also say `actor = "residents"` (or `actor = "none"`: no actor is plain).

use super::claims::{Claim, Reading, Status, TextField, TextKind};
use super::layers::Lexicon;
use crate::diagnostic::{Diagnostic, line_col};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(default)]
    reading: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    kind: Option<Spanned<String>>,
    #[serde(default)]
    applicant: Option<String>,
    #[serde(default)]
    partners: Vec<String>,
    #[serde(default)]
    claims: Vec<Expected>,
    #[serde(default)]
    absent: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    concept: Spanned<String>,
    #[serde(default)]
    status: Option<Spanned<String>>,
    #[serde(default)]
    actor: Option<String>,
}

/// The outcome of one judgment case.
#[derive(Debug, Clone)]
pub(crate) struct CaseResult {
    pub name: String,
    pub passed: bool,
    /// What was expected and what was read.
    pub message: String,
}

/// Runs every case in a judgments file; a file that cannot be read, or names a concept, status
/// or kind that does not exist, is an error at file:line:column.
pub(crate) fn run_reading_cases(
    lexicon: &Lexicon,
    file: &str,
    text: &str,
) -> Result<Vec<CaseResult>, Vec<Diagnostic>> {
    let located = |span: std::ops::Range<usize>, msg: String| {
        let (l, c) = line_col(text, span.start);
        Diagnostic::error(file, msg).at_in(text, l, c)
    };
    let parsed: CaseFile = toml::from_str(text).map_err(|e| {
        let msg = format!("invalid judgments file: {}", e.message().trim());
        vec![match e.span() {
            Some(span) => located(span, msg),
            None => Diagnostic::error(file, msg),
        }]
    })?;
    let mut problems = Vec::new();
    for case in &parsed.reading {
        problems.extend(check_names(lexicon, case, &located));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(parsed.reading.iter().map(|c| run(lexicon, c)).collect())
}

fn check_names(
    lexicon: &Lexicon,
    case: &Case,
    located: &dyn Fn(std::ops::Range<usize>, String) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let concepts = case.claims.iter().map(|e| &e.concept).chain(&case.absent);
    for c in concepts {
        if !lexicon.has_concept(c.get_ref()) {
            let mut d = located(c.span(), format!("unknown concept `{}`", c.get_ref()));
            if let Some(s) = lexicon.suggest(c.get_ref()) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
    for s in case.claims.iter().filter_map(|e| e.status.as_ref()) {
        if Status::parse(s.get_ref()).is_none() {
            out.push(
                located(s.span(), format!("unknown status `{}`", s.get_ref()))
                    .help("a status is `affirmed`, `negated`, `hedged` or `past`"),
            );
        }
    }
    if let Some(k) = case.kind.as_ref().filter(|k| kind(k.get_ref()).is_none()) {
        out.push(
            located(k.span(), format!("unknown kind `{}`", k.get_ref()))
                .help("a kind is `prose`, `item` or `name`"),
        );
    }
    out
}

fn kind(s: &str) -> Option<TextKind> {
    match s {
        "prose" => Some(TextKind::Prose),
        "item" => Some(TextKind::Item),
        "name" => Some(TextKind::Name),
        _ => None,
    }
}

fn run(lexicon: &Lexicon, case: &Case) -> CaseResult {
    let mut fields = Vec::new();
    if let Some(a) = &case.applicant {
        fields.push(field("applicant.name", a, TextKind::Name));
    }
    for (i, p) in case.partners.iter().enumerate() {
        fields.push(field(&format!("partners[{i}].name"), p, TextKind::Name));
    }
    let k = case.kind.as_ref().and_then(|k| kind(k.get_ref()));
    let path = case.field.as_deref().unwrap_or("summary");
    fields.push(field(path, &case.text, k.unwrap_or(TextKind::Prose)));
    let reading = lexicon.read(&fields);
    let mut failures = Vec::new();
    for e in &case.claims {
        if !reading.claims.iter().any(|c| fits(e, c)) {
            failures.push(format!("expected {}", expected(e)));
        }
    }
    for a in &case.absent {
        if reading.of(a.get_ref()).next().is_some() {
            failures.push(format!("expected no claim of `{}`", a.get_ref()));
        }
    }
    CaseResult {
        name: case.name.clone(),
        passed: failures.is_empty(),
        message: if failures.is_empty() {
            format!("read {}", shown(&reading))
        } else {
            format!("{}; read {}", failures.join("; "), shown(&reading))
        },
    }
}

fn field<'a>(path: &str, text: &'a str, kind: TextKind) -> TextField<'a> {
    TextField {
        path: path.to_string(),
        text,
        kind,
        question: None,
    }
}

fn fits(e: &Expected, c: &Claim) -> bool {
    let actor_fits = match e.actor.as_deref() {
        None => true,
        Some("none") => c.actor.is_none(),
        Some(a) => c.actor.as_deref() == Some(a),
    };
    *c.concept == **e.concept.get_ref()
        && e.status
            .as_ref()
            .is_none_or(|s| c.status.as_str() == s.get_ref())
        && actor_fits
}

fn expected(e: &Expected) -> String {
    let mut s = format!("`{}`", e.concept.get_ref());
    if let Some(st) = &e.status {
        s.push_str(&format!(" {}", st.get_ref()));
    }
    if let Some(a) = &e.actor {
        s.push_str(&format!(" (actor {a})"));
    }
    s
}

/// What was read, in one line: each claim and each mention set aside.
fn shown(r: &Reading) -> String {
    let mut parts: Vec<String> = r
        .claims
        .iter()
        .map(|c| {
            let mut s = format!("`{}` {} \"{}\"", c.concept, c.status.as_str(), c.phrase);
            if let Some(t) = &c.trigger {
                s.push_str(&format!(" [{t}]"));
            }
            if let Some(a) = &c.actor {
                s.push_str(&format!(" (actor {a})"));
            }
            s
        })
        .collect();
    parts.extend(
        r.set_aside
            .iter()
            .map(|s| format!("`{}` set aside \"{}\" ({})", s.concept, s.phrase, s.why)),
    );
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        let text = "[triggers.negated]\nforward = [\"no\"]\n[concepts.volunteering]\ndescription = \"d\"\nphrases = [\"volunteer\"]\n";
        let layer = Lexicon::parse("concepts.toml", text).unwrap();
        Lexicon::build(vec![layer]).0.unwrap()
    }

    #[test]
    fn an_unknown_concept_is_located_with_a_suggestion() {
        let text =
            "[[reading]]\nname = \"n\"\ntext = \"t\"\nclaims = [{ concept = \"volunteers\" }]\n";
        let e = run_reading_cases(&lexicon(), "reading.toml", text).unwrap_err();
        assert_eq!(e[0].message, "unknown concept `volunteers`");
        assert_eq!(e[0].help.as_deref(), Some("did you mean `volunteering`?"));
        assert_eq!(e[0].location(), "reading.toml:4:23");
        let text = "[[reading]]\nname = \"n\"\ntext = \"t\"\nclaims = [{ concept = \"volunteering\", status = \"denied\" }]\n";
        let e = run_reading_cases(&lexicon(), "reading.toml", text).unwrap_err();
        assert_eq!(e[0].message, "unknown status `denied`");
        let e = run_reading_cases(&lexicon(), "reading.toml", "[[case]]\n").unwrap_err();
        assert!(
            e[0].message
                .starts_with("invalid judgments file: unknown field `case`"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn a_failing_case_says_what_was_expected_and_what_was_read() {
        let text = "[[reading]]\nname = \"denial\"\ntext = \"We have no volunteers.\"\nclaims = [{ concept = \"volunteering\", status = \"affirmed\", actor = \"none\" }]\n\n[[reading]]\nname = \"absent\"\ntext = \"Volunteers cook.\"\nabsent = [\"volunteering\"]\n";
        let r = run_reading_cases(&lexicon(), "reading.toml", text).unwrap();
        assert!(!r[0].passed && !r[1].passed);
        assert_eq!(
            r[0].message,
            "expected `volunteering` affirmed (actor none); read `volunteering` negated \"volunteers\" [no]"
        );
        assert_eq!(
            r[1].message,
            "expected no claim of `volunteering`; read `volunteering` affirmed \"Volunteers\""
        );
    }
}
