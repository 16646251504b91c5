//! Proper names in prose, whose words are not what they seem: "the Rose Garden Café" is not a
//! garden, "Sport England" is not sport.
//!
//! Two kinds. The bid's own names (applicant, partners, locality: `TextKind::Name` fields) mark
//! the same words wherever prose repeats them; a concept inside one is set aside. And a run of
//! Capitalised words that is not at the start of a sentence or clause is a name whose head is
//! its last word: a concept counts there only when its words reach the head ("reading groups
//! in Fernleigh Library" is a library). A sentence-initial capital joins a run only when the
//! next word is capitalised too ("Sport England funds…"). A unit written entirely in Title Case
//! or capitals (a bid's title, a heading) has no such runs: every word is capitalised there.

use super::lexicon::STOP_WORDS;
use super::pattern::{Hit, Keying, PatternSet, Text};
use super::tokens::{Sep, Word, phrase_words};

/// Small words a Title Case heading leaves in lowercase.
const TITLE_SMALL: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "the", "to", "up", "with",
];

/// Heads that make a run of capitals a post, not a name: "our Volunteer Co-ordinator" or "the
/// Youth Development Worker" names a job, and the words before the head say what the job is
/// about (volunteers, young people), so they count.
const POST_HEADS: &[&str] = &[
    "worker",
    "workers",
    "officer",
    "officers",
    "coordinator",
    "coordinators",
    "ordinator",
    "ordinators",
    "manager",
    "managers",
    "organiser",
    "organisers",
    "organizer",
    "organizers",
    "assistant",
    "assistants",
    "lead",
    "leader",
    "leaders",
    "facilitator",
    "facilitators",
    "administrator",
    "caseworker",
    "post",
    "role",
];

/// A run of words: the first and the last (the head).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub first: usize,
    pub last: usize,
}

impl Run {
    /// Whether a match ending at `last` stops short of the head, inside the run.
    pub(crate) fn cuts(&self, first: usize, last: usize) -> bool {
        last >= self.first && last < self.last && first <= last
    }
}

/// The bid's own names, to find again in prose.
pub(crate) struct BidNames {
    set: PatternSet,
    /// The path of the field each name came from, by owner.
    pub paths: Vec<String>,
}

impl BidNames {
    pub(crate) fn new<'a>(names: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut set = PatternSet::new(Keying::Surface);
        let mut paths = Vec::new();
        for (path, text) in names {
            // A gap or a wildcard in a name is punctuation, not a pattern.
            let plain: String = text
                .chars()
                .map(|c| if c == '#' || c == '.' { ' ' } else { c })
                .collect();
            // A name of small words only ("The", "We Are") would hide them everywhere.
            let words = phrase_words(&plain);
            if words.iter().all(|(w, _)| STOP_WORDS.contains(&w.as_str())) {
                continue;
            }
            set.add(&plain, paths.len() as u32);
            paths.push(path.to_string());
        }
        BidNames { set, paths }
    }

    /// Where the bid's names occur in a unit. A name of one word counts only where it is
    /// written with a capital: an applicant called "Together" does not hide "together".
    pub(crate) fn find(&self, text: &Text<'_>) -> Vec<Hit> {
        let mut hits = self.set.find(text, 0);
        hits.retain(|h| h.first < h.last || text.words.get(h.first).is_some_and(|w| w.cap));
        hits
    }
}

/// Whether every word that Title Case would capitalise is capitalised (or the unit has no
/// lowercase at all).
fn title_case(words: &[Word]) -> bool {
    let mut content = words
        .iter()
        .filter(|w| !w.number && !TITLE_SMALL.contains(&&*w.norm));
    let count = content.clone().count();
    count >= 2 && content.all(|w| w.cap || w.upper) || words.iter().all(|w| w.upper)
}

/// Whether a word starts a sentence or clause, where a capital says nothing.
fn initial(w: &Word) -> bool {
    matches!(w.sep, Sep::Start | Sep::Clause | Sep::Other)
}

/// The runs of Capitalised words that make proper names in a unit. `heading` says the unit is
/// prose, where a unit in Title Case is a heading or title rather than a name; a list item in
/// Title Case ("The Rose Garden Café") is a name.
pub(crate) fn runs(words: &[Word], heading: bool) -> Vec<Run> {
    if heading && title_case(words) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some(w) = words.get(i).filter(|w| w.cap) else {
            i += 1;
            continue;
        };
        let mut last = i;
        // A hyphen keeps a word in the run whatever its case ("Co-ordinator", "Stratford-upon").
        while words
            .get(last + 1)
            .is_some_and(|n| (n.cap && n.sep.joins()) || n.sep == Sep::Hyphen)
        {
            last += 1;
        }
        let post = words
            .get(last)
            .is_some_and(|h| POST_HEADS.contains(&&*h.norm));
        if (last > i || !initial(w)) && !post {
            out.push(Run { first: i, last });
        }
        i = last + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tokens::words;
    use super::*;

    fn shown(t: &str) -> Vec<String> {
        let ws = words(t, 0);
        runs(&ws, true)
            .iter()
            .map(|r| t[ws[r.first].start..ws[r.last].end].to_string())
            .collect()
    }

    #[test]
    fn capitalised_runs_are_names() {
        assert_eq!(
            shown("Lunch at the Rose Garden Café, then Sport England visits; Yoga on Tuesday"),
            ["Rose Garden Café", "Sport England", "Tuesday"]
        );
        assert_eq!(shown("Sport England funds us."), ["Sport England"]);
        assert!(shown("Volunteers run it and I help.").is_empty());
    }

    #[test]
    fn a_post_written_in_capitals_is_not_a_name() {
        assert!(
            shown("the salary of our Volunteer Co-ordinator and a Youth Development Worker")
                .is_empty()
        );
        assert_eq!(
            shown("our new Volunteer Officer meets Sport England staff"),
            ["Sport England"]
        );
    }

    #[test]
    fn one_word_names_need_their_capital_and_small_words_are_no_name() {
        let names = BidNames::new(
            [("applicant.name", "Together"), ("partners[0].name", "The")].into_iter(),
        );
        assert_eq!(names.paths, ["applicant.name"]);
        let found = |t: &str| {
            let ws = words(t, 0);
            names.find(&Text::new(&ws)).len()
        };
        assert_eq!(found("we bring people together"), 0);
        assert_eq!(found("a grant to Together for the hall"), 1);
    }

    #[test]
    fn title_case_units_have_no_runs() {
        assert!(shown("Riverside Community Garden: Growing Together in the Park").is_empty());
        assert!(shown("WALKING FOOTBALL FOR ALL").is_empty());
    }
}
