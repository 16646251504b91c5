//! One located message about user input — a bid, a rule file or the checklist config.
//!
//! Every error and warning the library reports about input becomes a [`Diagnostic`]: the file,
//! where in it (line:column, a dotted field path, or both), what was wrong, and a help line.
//! [`Diagnostic::render`] prints it the way the Rust compiler does.

use crate::shown::escape;
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A message about a place in a user's file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user named it.
    pub file: String,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The bid field as a dotted path (`volunteering.new_volunteers`, `partners[0].sector`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What was wrong, lowercase, no final period.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The source line the position points into, for the caret display.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    pub(crate) fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub(crate) fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the position and remembers the source line it points into.
    pub(crate) fn at_in(self, source: &str, line: usize, column: usize) -> Self {
        let mut d = self.at(line, column);
        d.source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.to_string());
        d
    }

    pub(crate) fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:column`, or `file` alone.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        }
    }

    /// Renders like rustc: a headline, the location, the source line with a caret, a help line.
    /// Everything that may have come from a bid (the message's quoted values, a field named by
    /// the bid, the source line, the file name) is shown with control characters escaped.
    pub fn render(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{kind}: {}\n", escape(&self.message));
        let field = self
            .field
            .as_ref()
            .map(|f| format!(" (field `{}`)", escape(f)))
            .unwrap_or_default();
        out.push_str(&format!("  --> {}{field}\n", escape(&self.location())));
        if let (Some(line), Some(col), Some(src)) = (self.line, self.column, &self.source_line) {
            let (src, col) = window(src, col);
            let num = line.to_string();
            let pad = " ".repeat(num.len());
            // The caret sits under the character at `col` as shown: escapes widen what
            // comes before it.
            let before: String = src.chars().take(col.saturating_sub(1)).collect();
            let caret_pad = " ".repeat(escape(&before).chars().count());
            let src = escape(&src);
            out.push_str(&format!("{pad} |\n{num} | {src}\n{pad} | {caret_pad}^\n"));
        }
        if let Some(help) = &self.help {
            // Align `=` under the gutter's `|`, as rustc does.
            let width = match (&self.source_line, self.line) {
                (Some(_), Some(l)) if self.column.is_some() => l.to_string().len(),
                _ => 1,
            };
            out.push_str(&format!("{} = help: {}\n", " ".repeat(width), escape(help)));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:col: field `x`: message (help: ...)`, control characters escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", escape(&self.location()))?;
        if let Some(field) = &self.field {
            write!(f, "`{}`: ", escape(field))?;
        }
        write!(f, "{}", escape(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, " ({})", escape(help))?;
        }
        Ok(())
    }
}

/// At most 80 characters of a long source line around the column, with `…` where cut;
/// returns the excerpt and the column within it.
fn window(src: &str, col: usize) -> (String, usize) {
    const WIDTH: usize = 80;
    let len = src.chars().count();
    if len <= WIDTH {
        return (src.to_string(), col);
    }
    let start = col.saturating_sub(WIDTH / 2).min(len.saturating_sub(WIDTH));
    let mut out: String = src.chars().skip(start).take(WIDTH).collect();
    let mut new_col = col - start;
    if start > 0 {
        out.insert(0, '…');
        new_col += 1;
    }
    if start + WIDTH < len {
        out.push('…');
    }
    (out, new_col)
}

/// 1-based line and character column of a byte offset in `source`.
pub(crate) fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before
        .get(line_start..)
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

impl std::error::Error for Diagnostic {}

/// For callers who render errors with `miette`: severity and help come through; the location is
/// part of the message (`file:line:column`).
impl miette::Diagnostic for Diagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }
}

/// A parser's message as a diagnostic's sentence: its first letter lowercased.
pub(crate) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A key's dotted path from the path of the table that holds it (`""` for the top).
pub(crate) fn dotted(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_with_caret_and_help() {
        let src = "id = \"A\"\nnew_volunters = 3\n";
        let d = Diagnostic::error("bid.toml", "unknown field `new_volunters`")
            .at_in(src, 2, 1)
            .help("did you mean `new_volunteers`?");
        assert_eq!(
            d.render(),
            "error: unknown field `new_volunters`\n  --> bid.toml:2:1\n  |\n2 | new_volunters = 3\n  | ^\n  = help: did you mean `new_volunteers`?\n"
        );
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("abc", 0), (1, 1));
    }
}
