//! "Did you mean" suggestions for misspelt names.

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lc = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lc, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        // Highest score wins; ties go to the alphabetically first for determinism.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_close_field() {
        let fields = ["roles", "new_volunteers", "hours_per_month", "training"];
        assert_eq!(
            did_you_mean("new_volunters", fields.iter().copied()),
            Some("new_volunteers")
        );
        assert_eq!(did_you_mean("budget", fields.iter().copied()), None);
    }
}
