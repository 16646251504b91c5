//! Calls a loader checks without running the rule: the concepts a rule asks the reading layer
//! about (`claims(bid, "volunteering")` — a concept must be written in quotes so it can be
//! checked), and calls of what is deprecated (`find`, `mentions`, a confidence where a backing
//! belongs).

use super::{Analysis, Tok, Tokens};
use crate::engine::TAKING_AWAY;
use serde::Serialize;

/// The functions whose second argument names a concept, or a list of them.
pub(crate) const ASKING: [&str; 5] = ["claims", "affirmed", "negated", "hedged", "past"];
/// The deprecated word searches.
const WORD_SEARCHES: [&str; 2] = ["find", "mentions"];

/// A concept a rule names, and where; `name` is `None` when it is not a literal in quotes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ConceptRef {
    pub name: Option<String>,
    pub func: String,
    pub line: usize,
    pub column: usize,
}

/// A call of something deprecated, and what to write instead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Deprecated {
    pub message: String,
    pub help: String,
    pub line: usize,
    pub column: usize,
}

/// Looks at the identifier at `k`: a call of a concept question or of something deprecated.
pub(super) fn call(toks: &Tokens, k: usize, name: &str, out: &mut Analysis) {
    if !toks.punct(k + 1, '(')
        || toks.punct_before(k, 1, '.')
        || toks.ident_before(k, 1) == Some("fn")
    {
        return;
    }
    let Some(at) = toks.0.get(k) else { return };
    let args = arguments(toks, k + 1);
    if ASKING.contains(&name) {
        out.concepts.extend(concepts(
            toks,
            name,
            args.get(1).copied(),
            (at.line, at.col),
        ));
    }
    // The engine's `only_takes_away(bid)` asks about fixed concepts: checked as if the rule
    // named them, unless the rule defines its own function of that name (which Rhai calls).
    if name == "only_takes_away" && !toks.defines(name) {
        out.concepts.extend(TAKING_AWAY.iter().map(|c| ConceptRef {
            name: Some(c.to_string()),
            func: name.to_string(),
            line: at.line,
            column: at.col,
        }));
    }
    if WORD_SEARCHES.contains(&name) {
        out.deprecated.push(Deprecated {
            message: format!("`{name}` is deprecated: it counts words and sees only what the bid affirms"),
            help: "ask for claims of a concept instead, e.g. `affirmed(bid, \"volunteering\")` (docs/rules.md, \"Moving a rule onto claims\")".to_string(),
            line: at.line,
            column: at.col,
        });
    }
    if name == "impact"
        && let Some(&(start, end)) = args.get(3)
        && end == start + 1
        && let Some(Tok::Str(Some(s))) = toks.0.get(start).map(|t| &t.tok)
        && ["low", "medium", "high"].contains(&s.as_str())
    {
        out.deprecated.push(Deprecated {
            message: format!("a confidence (\"{s}\") in place of what backs the impact is deprecated"),
            help: "name what backs it — a claim, a field path, a partner, an evidence entry or an outcome — and the engine grades it".to_string(),
            line: at.line,
            column: at.col,
        });
    }
}

/// The token ranges `[start, end)` of each argument of the call whose `(` is at `open`.
fn arguments(toks: &Tokens, open: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = open + 1;
    let mut j = open;
    while let Some(t) = toks.0.get(j) {
        match t.tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if j > start {
                        out.push((start, j));
                    }
                    return out;
                }
            }
            Tok::Punct(',') if depth == 1 => {
                out.push((start, j));
                start = j + 1;
            }
            _ => {}
        }
        j += 1;
    }
    out
}

/// The concepts named by the argument at `range`: a literal, or a list of literals.
fn concepts(
    toks: &Tokens,
    func: &str,
    range: Option<(usize, usize)>,
    call: (usize, usize),
) -> Vec<ConceptRef> {
    let at = |k: usize, name: Option<String>| {
        let (line, column) = toks.0.get(k).map_or(call, |t| (t.line, t.col));
        ConceptRef {
            name,
            func: func.to_string(),
            line,
            column,
        }
    };
    let Some((start, end)) = range else {
        return vec![at(usize::MAX, None)];
    };
    let literal = |k: usize| match toks.0.get(k).map(|t| &t.tok) {
        Some(Tok::Str(Some(s))) => Some(s.clone()),
        _ => None,
    };
    if end == start + 1 {
        return vec![at(start, literal(start))];
    }
    if toks.punct(start, '[') && toks.punct(end - 1, ']') {
        return (start + 1..end - 1)
            .filter(|&k| !toks.punct(k, ','))
            .map(|k| at(k, literal(k)))
            .collect();
    }
    vec![at(start, None)]
}

#[cfg(test)]
mod tests {
    use crate::checklist::analysis::analyse;

    #[test]
    fn concepts_are_found_as_literals_and_lists_and_the_rest_is_flagged() {
        let src = r#"fn appraise(bid) {
    let a = affirmed(bid, "volunteering");
    let b = negated(bid.involvement, ["deciding", "co_design"], "community");
    let c = claims(bid, name);
    let w = mentions(bid, ["volunteer*"]);
    impact("NI6", 1, "x", "low");
    met("ok");
}"#;
        let a = analyse(src, crate::proposal::ProposalSchema::builtin().fields());
        let got: Vec<(Option<&str>, &str, usize, usize)> = a
            .concepts
            .iter()
            .map(|c| (c.name.as_deref(), c.func.as_str(), c.line, c.column))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("volunteering"), "affirmed", 2, 27),
                (Some("deciding"), "negated", 3, 39),
                (Some("co_design"), "negated", 3, 51),
                (None, "claims", 4, 25),
            ]
        );
        let dep: Vec<(usize, usize)> = a.deprecated.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(dep, vec![(5, 13), (6, 5)]);
    }
}
