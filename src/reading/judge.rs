//! placeholder
pub(crate) struct CaseResult;
pub(crate) fn run_reading_cases() {}
