//! Reading a rule's source without running it: which bid fields it reads (checked against the
//! proposal schema, like Cedar validates policies against a schema) and where it records each of
//! its outcomes (for coverage).
//!
//! A small tokenizer that understands Rhai's comments, strings and `${…}` interpolation is
//! enough: fields are read as `bid.group.field`, through a variable holding a group
//! (`let v = bid.volunteering; v.roles`) or through a loop over a list of tables
//! (`for p in bid.partners { p.sector }`).

mod calls;

use crate::proposal::{FieldKind, Fields};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// A string literal: its text for a quoted one, `None` for a template (it may interpolate).
    Str(Option<String>),
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
    let mut lexer = Lexer {
        chars: &chars,
        i: 0,
        line: 1,
        col: 1,
        out: Vec::new(),
    };
    lexer.code(false);
    lexer.out
}

/// A cursor over the source that knows its line and column.
struct Lexer<'a> {
    chars: &'a [char],
    i: usize,
    line: usize,
    col: usize,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).copied()
    }

    fn bump(&mut self) {
        if self.peek(0) == Some('\n') {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        self.i += 1;
    }

    fn push(&mut self, tok: Tok, line: usize, col: usize) {
        self.out.push(Token { tok, line, col });
    }

    /// Lexes code until the end, or (inside `${…}`, `nested`) until the closing brace.
    fn code(&mut self, nested: bool) {
        let mut depth = 0usize;
        while let Some(c) = self.peek(0) {
            let next = self.peek(1);
            if c == '/' && next == Some('/') {
                self.line_comment();
            } else if c == '/' && next == Some('*') {
                self.block_comment();
            } else if c == '"' || c == '\'' {
                self.quoted(c);
            } else if c == '`' {
                self.template();
            } else if c.is_alphabetic() || c == '_' {
                self.ident();
            } else if c.is_whitespace() || c.is_ascii_digit() {
                self.bump();
            } else {
                if nested {
                    if c == '{' {
                        depth += 1;
                    } else if c == '}' {
                        if depth == 0 {
                            self.bump();
                            return;
                        }
                        depth -= 1;
                    }
                }
                self.push(Tok::Punct(c), self.line, self.col);
                self.bump();
            }
        }
    }

    fn line_comment(&mut self) {
        while self.peek(0).is_some_and(|c| c != '\n') {
            self.bump();
        }
    }

    fn block_comment(&mut self) {
        self.bump();
        self.bump();
        while self.i < self.chars.len() && !(self.peek(0) == Some('*') && self.peek(1) == Some('/'))
        {
            self.bump();
        }
        self.bump();
        self.bump();
    }

    /// A string or character literal, closed by `quote`, with `\` escapes.
    fn quoted(&mut self, quote: char) {
        let (line, col) = (self.line, self.col);
        let mut text = String::new();
        self.bump();
        while let Some(d) = self.peek(0) {
            if d == '\\' {
                self.bump();
            } else if d == quote {
                break;
            }
            text.extend(self.peek(0));
            self.bump();
        }
        self.bump();
        self.push(Tok::Str(Some(text)), line, col);
    }

    /// A back-quoted template string, whose `${…}` holds code that is lexed too.
    fn template(&mut self) {
        self.push(Tok::Str(None), self.line, self.col);
        self.bump();
        while let Some(d) = self.peek(0) {
            if d == '`' {
                break;
            }
            if d == '$' && self.peek(1) == Some('{') {
                self.bump();
                self.bump();
                self.code(true);
                continue;
            }
            self.bump();
        }
        self.bump();
    }

    fn ident(&mut self) {
        let (line, col) = (self.line, self.col);
        let mut s = String::new();
        while let Some(d) = self.peek(0) {
            if d.is_alphanumeric() || d == '_' {
                s.push(d);
                self.bump();
            } else {
                break;
            }
        }
        self.push(Tok::Ident(s), line, col);
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
    /// The concepts the rule asks the reading layer about.
    pub concepts: Vec<calls::ConceptRef>,
    /// Calls of deprecated functions (`find`, `mentions`, a confidence in place of a backing).
    pub deprecated: Vec<calls::Deprecated>,
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
    let toks = Tokens(tokenize(src));
    // Names that hold a table of the bid, and the schema path of that table.
    let mut aliases: Vec<(String, String)> = vec![("bid".to_string(), String::new())];
    let mut out = Analysis::default();
    let mut k = 0;
    while k < toks.0.len() {
        let Some(name) = toks.ident(k) else {
            k += 1;
            continue;
        };
        if let Some(site) = toks.outcome_site(k, name) {
            out.outcomes.push(site);
        }
        calls::call(&toks, k, name, &mut out);
        // A name read on its own (not as `.name`) that holds a table of the bid.
        let base = if toks.punct_before(k, 1, '.') {
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
        let chain = toks.follow(k, base, fields, &mut out.reads);
        if let Some(alias) = toks.alias(k, &chain, fields) {
            aliases.push(alias);
        }
        k = chain.end.max(k + 1);
    }
    out
}

/// The fields a chain of `.field` segments reached.
struct Chain {
    /// The schema path reached.
    path: String,
    /// The token after the chain.
    end: usize,
    /// Whether every segment was a proposal field.
    fields_only: bool,
}

pub(super) struct Tokens(Vec<Token>);

impl Tokens {
    fn ident(&self, k: usize) -> Option<&str> {
        match self.0.get(k).map(|t| &t.tok) {
            Some(Tok::Ident(s)) => Some(s.as_str()),
            _ => None,
        }
    }

    fn punct(&self, k: usize, c: char) -> bool {
        self.0.get(k).is_some_and(|t| t.tok == Tok::Punct(c))
    }

    /// The identifier `back` tokens before `k`, if there is one.
    fn ident_before(&self, k: usize, back: usize) -> Option<&str> {
        self.ident(k.checked_sub(back)?)
    }

    fn punct_before(&self, k: usize, back: usize, c: char) -> bool {
        k.checked_sub(back).is_some_and(|j| self.punct(j, c))
    }

    /// Whether the source defines a function `name` (`fn name(`).
    fn defines(&self, name: &str) -> bool {
        (1..self.0.len())
            .any(|k| self.ident(k) == Some(name) && self.ident_before(k, 1) == Some("fn"))
    }

    /// An outcome site: `met(`, not `.met(` and not `fn met(`.
    fn outcome_site(&self, k: usize, name: &str) -> Option<OutcomeSite> {
        if !self.punct(k + 1, '(')
            || self.punct_before(k, 1, '.')
            || self.ident_before(k, 1) == Some("fn")
        {
            return None;
        }
        let (_, kind) = RECORDERS.iter().find(|(f, _)| *f == name)?;
        Some(OutcomeSite {
            kind: kind.to_string(),
            line: self.0.get(k)?.line,
        })
    }

    /// Follows `.field` segments from the name at `k` (holding the table at `path`), recording
    /// each read. A segment followed by `(` is a method call and ends the chain; so does the
    /// first segment that is not a proposal field (recorded, for the load check to refuse).
    fn follow(
        &self,
        k: usize,
        mut path: String,
        fields: &Fields,
        reads: &mut Vec<FieldRead>,
    ) -> Chain {
        let mut j = k + 1;
        let mut fields_only = true;
        while self.punct(j, '.') {
            let Some(seg) = self.ident(j + 1) else { break };
            if self.punct(j + 2, '(') {
                break;
            }
            let candidate = if path.is_empty() {
                seg.to_string()
            } else {
                format!("{path}.{seg}")
            };
            if let Some(t) = self.0.get(j + 1) {
                reads.push(FieldRead {
                    path: candidate.clone(),
                    line: t.line,
                    column: t.col,
                });
            }
            let known = fields.kind(&candidate).is_some();
            path = candidate;
            j += 2;
            if !known {
                fields_only = false;
                break;
            }
        }
        Chain {
            path,
            end: j,
            fields_only,
        }
    }

    /// `let v = bid.group;` makes `v` an alias of the group, and `for p in bid.records` makes
    /// `p` one of each record.
    fn alias(&self, k: usize, chain: &Chain, fields: &Fields) -> Option<(String, String)> {
        let kind = fields.kind(&chain.path);
        if !chain.fields_only || chain.end <= k + 1 {
            return None;
        }
        let name = self.ident_before(k, 2)?;
        let is_let = self.punct_before(k, 1, '=')
            && self.ident_before(k, 3) == Some("let")
            && self.punct(chain.end, ';')
            && matches!(kind, Some(FieldKind::Group));
        let is_for = self.ident_before(k, 1) == Some("in")
            && self.ident_before(k, 3) == Some("for")
            && matches!(kind, Some(FieldKind::Records));
        (is_let || is_for).then(|| (name.to_string(), chain.path.clone()))
    }
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
