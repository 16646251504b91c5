//! JSON Schemas for the champion's reports and a partnership's portfolio, generated from the types that produce them, so the
//! files in `schemas/` cannot drift from the output (a test compares them, and validates real
//! output against them). The appraisal's own schema, `schemas/appraisal.schema.json`, is written
//! by hand and checked the same way.

use schemars::JsonSchema;

/// Each generated schema: its file name in `schemas/` and its pretty-printed text.
pub fn generated() -> Vec<(&'static str, String)> {
    vec![
        (
            "advice.schema.json",
            pretty::<crate::champion::advise::AdviceReport>(
                "stronger advise --format json, and POST /api/advise",
            ),
        ),
        (
            "what-if.schema.json",
            pretty::<crate::champion::whatif::WhatIfJson<'static>>(
                "stronger what-if --format json, and POST /api/what-if",
            ),
        ),
        (
            "compare.schema.json",
            pretty::<crate::champion::delta::Delta>(
                "stronger compare --format json, and POST /api/compare",
            ),
        ),
        (
            "explanation.schema.json",
            pretty::<crate::champion::explain::Explanation>(
                "stronger explain --format json, and POST /api/explain",
            ),
        ),
        (
            "portfolio.schema.json",
            pretty::<crate::portfolio::Portfolio>("stronger portfolio --format json"),
        ),
    ]
}

fn pretty<T: JsonSchema>(what: &str) -> String {
    // The schema of what is written (a key left out when empty is not required).
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert(
        "$comment".to_string(),
        serde_json::Value::String(format!(
            "The output of {what}. Generated from the Rust types by stronger::schemas; extend, never rename."
        )),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
