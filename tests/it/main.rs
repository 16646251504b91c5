//! One integration test binary (fast to link): each module is one area of behaviour.

mod bad_files;
mod bad_input;
mod batch_rows;
mod browser;
mod calibration;
mod champion;
mod checklist_errors;
mod claims_api;
mod cli;
mod edit;
mod examples;
mod hostile;
mod limits;
mod outputs;
mod props;
mod readme;
mod report;
mod rule_cases;
mod rules_cli;
mod sandbox;
mod schemas;
mod screen;
mod serve;
mod serve_champion;
mod support;
mod tidy;
