//! One integration test binary (fast to link): each module is one area of behaviour.

mod bad_input;
mod checklist_errors;
mod cli;
mod examples;
mod limits;
mod props;
mod readme;
mod rule_cases;
mod rules_cli;
mod sandbox;
mod screen;
mod support;
