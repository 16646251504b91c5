//! Appraisals as text for a terminal, JSON (one line per bid), Markdown for a panel paper, and
//! a self-contained HTML page; a partnership's portfolio in each of those forms.
//!
//! Renderers are pure functions from an [`Appraisal`] (and the checklist, for labels) to a
//! string; the CLI decides where it goes. `csv.rs` is the one CSV writer (typed cells, formulas
//! neutralised, a byte-order mark), for every CSV file the tool writes; `xlsx.rs` the one
//! workbook (`summary.xlsx`). Text carries ANSI styles that the CLI strips when
//! the output is not a terminal or `NO_COLOR` is set.

mod brief;
mod calibration;
mod champion;
pub(crate) mod csv;
mod doc;
mod html;
mod markdown;
pub mod palette;
mod portfolio;
mod portfolio_html;
mod provenance;
pub(crate) mod questions;
pub(crate) mod summary;
pub(crate) mod summary_html;
mod text;
mod wrap;
pub(crate) mod xlsx;

pub use brief::{brief, table_heading, table_row};
pub use calibration::calibration_markdown;
pub use champion::{
    Scores, advice_markdown, advice_text, delta_markdown, delta_text, explain_markdown,
    explain_text,
};
pub use doc::{checklist_html, checklist_markdown};
pub use html::{REPORT_CSS, html, html_section};
pub(crate) use html::{band_label, tone};
pub use markdown::{markdown, md};
pub use portfolio::{portfolio_markdown, portfolio_text};
pub use portfolio_html::portfolio_html;
pub use provenance::provenance_summary;
pub use text::{short_hash, text};
pub use wrap::{MIN_WIDTH, wrap};

use crate::appraisal::Appraisal;

/// A template environment that escapes HTML, holding the given templates. They are constants,
/// checked by the tests: adding them cannot fail at run time.
fn html_templates(templates: &[(&'static str, &'static str)]) -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    for &(name, text) in templates {
        let _ = env.add_template(name, text);
    }
    env
}

/// One appraisal as a single line of JSON (JSON Lines), following `schemas/appraisal.schema.json`.
pub fn json(appraisal: &Appraisal) -> String {
    // Serialising plain data with string keys cannot fail; an empty object is the safe fallback.
    serde_json::to_string(appraisal).unwrap_or_else(|_| "{}".to_string())
}

/// Any report (advice, a delta, an explanation) as a single line of JSON.
pub fn json_line<T: serde::Serialize>(report: &T) -> String {
    // As for `json`: plain data with string keys always serialises.
    serde_json::to_string(report).unwrap_or_else(|_| "{}".to_string())
}

/// A number as the summaries show it: two decimals, with a sign for non-zero values.
pub fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{x:.2}")
    } else if x < 0.0 {
        format!("{x:.2}")
    } else {
        "0.00".to_string()
    }
}
