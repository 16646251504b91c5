//! Reading a rule's source without running it: which bid fields it reads (checked against the
//! proposal schema, like Cedar validates policies against a schema) and where it records each of
//! its outcomes (for coverage).
//!
//! A small tokenizer that understands Rhai's comments, strings and `${…}` interpolation is
//! enough: fields are read as `bid.group.field`, through a variable holding a group
//! (`let v = bid.volunteering; v.roles`) or through a loop over a list of tables
//! (`for p in bid.partners { p.sector }`).

use crate::proposal::{FieldKind, Fields};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
    col: usize,
}

fn tokenize(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let (mut line, mut col) = (1usize, 1usize);
    lex(&chars, &mut i, &mut line, &mut col, &mut out, false);
    out
}

fn bump(chars: &[char], i: &mut usize, line: &mut usize, col: &mut usize) {
    if chars.get(*i) == Some(&'\n') {
        *line += 1;
        *col = 1;
    } else {
        *col += 1;
    }
    *i += 1;
}

/// Lexes code until the end, or (inside `${…}`) until the closing brace.
fn lex(
    chars: &[char],
    i: &mut usize,
    line: &mut usize,
    col: &mut usize,
    out: &mut Vec<Token>,
    nested: bool,
) {
    let mut depth = 0usize;
    while let Some(&c) = chars.get(*i) {
        let next = chars.get(*i + 1).copied();
        if c == '/' && next == Some('/') {
            while chars.get(*i).is_some_and(|&c| c != '\n') {
                bump(chars, i, line, col);
            }
        } else if c == '/' && next == Some('*') {
            bump(chars, i, line, col);
            bump(chars, i, line, col);
            while *i < chars.len()
                && !(chars.get(*i) == Some(&'*') && chars.get(*i + 1) == Some(&'/'))
            {
                bump(chars, i, line, col);
            }
            bump(chars, i, line, col);
            bump(chars, i, line, col);
        } else if c == '"' || c == '\'' {
            out.push(Token {
                tok: Tok::Str,
                line: *line,
                col: *col,
            });
            bump(chars, i, line, col);
            while let Some(&d) = chars.get(*i) {
                if d == '\\' {
                    bump(chars, i, line, col);
                } else if d == c {
                    break;
                }
                bump(chars, i, line, col);
            }
            bump(chars, i, line, col);
        } else if c == '`' {
            out.push(Token {
                tok: Tok::Str,
                line: *line,
                col: *col,
            });
            bump(chars, i, line, col);
            while let Some(&d) = chars.get(*i) {
                if d == '`' {
                    break;
                }
                if d == '$' && chars.get(*i + 1) == Some(&'{') {
                    bump(chars, i, line, col);
                    bump(chars, i, line, col);
                    lex(chars, i, line, col, out, true);
                    continue;
                }
                bump(chars, i, line, col);
            }
            bump(chars, i, line, col);
        } else if c.is_alphabetic() || c == '_' {
            let (l, cl) = (*line, *col);
            let mut s = String::new();
            while let Some(&d) = chars.get(*i) {
                if d.is_alphanumeric() || d == '_' {
                    s.push(d);
                    bump(chars, i, line, col);
                } else {
                    break;
                }
            }
            out.push(Token {
                tok: Tok::Ident(s),
                line: l,
                col: cl,
            });
        } else if c.is_whitespace() || c.is_ascii_digit() {
            bump(chars, i, line, col);
        } else {
            if nested {
                if c == '{' {
                    depth += 1;
                } else if c == '}' {
                    if depth == 0 {
                        bump(chars, i, line, col);
                        return;
                    }
                    depth -= 1;
                }
            }
            out.push(Token {
                tok: Tok::Punct(c),
                line: *line,
                col: *col,
            });
            bump(chars, i, line, col);
        }
    }
}

/// A bid field a rule reads, and where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct FieldRead {
    /// Schema path without list indices: `volunteering.new_volunteers`, `partners.sector`.
    pub path: String,
    pub line: usize,
    pub column: usize,
}

/// A place in a rule where it records an outcome.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct OutcomeSite {
    /// `met`, `not-met`, `not-stated`, `not-applicable`, `impact` or `advice`.
    pub kind: String,
    pub line: usize,
}

/// What a rule's source says it does.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Analysis {
    pub reads: Vec<FieldRead>,
    pub outcomes: Vec<OutcomeSite>,
}

const RECORDERS: &[(&str, &str)] = &[
    ("met", "met"),
    ("not_met", "not-met"),
    ("not_stated", "not-stated"),
    ("not_applicable", "not-applicable"),
    ("impact", "impact"),
    ("advise", "advice"),
];

pub(crate) fn analyse(src: &str, fields: &Fields) -> Analysis {
    let toks = tokenize(src);
    let ident = |k: usize| match toks.get(k).map(|t| &t.tok) {
        Some(Tok::Ident(s)) => Some(s.as_str()),
        _ => None,
    };
    let punct = |k: usize, c: char| toks.get(k).is_some_and(|t| t.tok == Tok::Punct(c));
    // Names that hold a table of the bid, and the schema path of that table.
    let mut aliases: Vec<(String, String)> = vec![("bid".to_string(), String::new())];
    let mut out = Analysis::default();
    let mut k = 0;
    while k < toks.len() {
        let Some(name) = ident(k) else {
            k += 1;
            continue;
        };
        // Outcome sites: `met(`, not `.met(` and not `fn met(`.
        if punct(k + 1, '(')
            && !(k > 0 && punct(k - 1, '.'))
            && !(k > 0 && ident(k - 1) == Some("fn"))
            && let Some((_, kind)) = RECORDERS.iter().find(|(f, _)| *f == name)
            && let Some(t) = toks.get(k)
        {
            out.outcomes.push(OutcomeSite {
                kind: kind.to_string(),
                line: t.line,
            });
        }
        let base = if k > 0 && punct(k - 1, '.') {
            None
        } else {
            aliases
                .iter()
                .rev()
                .find(|(a, _)| a == name)
                .map(|(_, p)| p.clone())
        };
        let Some(base) = base else {
            k += 1;
            continue;
        };
        // Follow `.field` segments; a segment followed by `(` is a method call and ends the chain.
        let mut path = base;
        let mut j = k + 1;
        let mut last_ok = true;
        while punct(j, '.') {
            let Some(seg) = ident(j + 1) else { break };
            if punct(j + 2, '(') {
                break;
            }
            let candidate = if path.is_empty() {
                seg.to_string()
            } else {
                format!("{path}.{seg}")
            };
            if fields.kind(&candidate).is_none() || !last_ok {
                if let Some(t) = toks.get(j + 1) {
                    out.reads.push(FieldRead {
                        path: candidate.clone(),
                        line: t.line,
                        column: t.col,
                    });
                }
                last_ok = false;
                path = candidate;
                j += 2;
                break;
            }
            if let Some(t) = toks.get(j + 1) {
                out.reads.push(FieldRead {
                    path: candidate.clone(),
                    line: t.line,
                    column: t.col,
                });
            }
            path = candidate;
            j += 2;
        }
        // `let v = bid.group;` and `for p in bid.records` make `v` and `p` aliases.
        let group_like = matches!(
            fields.kind(&path),
            Some(FieldKind::Group) | Some(FieldKind::Records)
        );
        if last_ok && group_like && j > k + 1 {
            if k >= 2
                && punct(k - 1, '=')
                && ident(k - 3) == Some("let")
                && let Some(v) = ident(k - 2)
                && punct(j, ';')
                && matches!(fields.kind(&path), Some(FieldKind::Group))
            {
                aliases.push((v.to_string(), path.clone()));
            }
            if k >= 3
                && ident(k - 1) == Some("in")
                && ident(k - 3) == Some("for")
                && let Some(v) = ident(k - 2)
                && matches!(fields.kind(&path), Some(FieldKind::Records))
            {
                aliases.push((v.to_string(), path.clone()));
            }
        }
        k = j.max(k + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        crate::proposal::ProposalSchema::builtin().fields().clone()
    }

    #[test]
    fn finds_reads_through_aliases_and_interpolation() {
        let src = r#"
fn appraise(bid) {
    // bid.not_a_field in a comment is ignored, and so is "bid.title" in a string
    let v = bid.volunteering;
    if v.new_volunters > 0 { met(`${v.roles} roles`) }
    for p in bid.partners { p.sector; p.name.len(); }
    not_stated("ask");
}
"#;
        let a = analyse(src, &fields());
        let reads: Vec<(&str, usize, usize)> = a
            .reads
            .iter()
            .map(|r| (r.path.as_str(), r.line, r.column))
            .collect();
        assert_eq!(
            reads,
            vec![
                ("volunteering", 4, 17),
                ("volunteering.new_volunters", 5, 10),
                ("volunteering.roles", 5, 39),
                ("partners", 6, 18),
                ("partners.sector", 6, 31),
                ("partners.name", 6, 41),
            ]
        );
        let sites: Vec<(&str, usize)> = a
            .outcomes
            .iter()
            .map(|o| (o.kind.as_str(), o.line))
            .collect();
        assert_eq!(sites, vec![("met", 5), ("not-stated", 7)]);
    }
}
