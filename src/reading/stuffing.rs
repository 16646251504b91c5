//! Text that is a list of the checklist's words rather than a sentence about the project:
//! "Keywords: co-production; residents decide; volunteers; intergenerational; …". An appraiser
//! reads such a list as what the applicant wants to be credited with, not as anything the
//! project does, so its mentions are set aside.

use super::layers::Lexicon;
use super::pattern::Hit;
use super::tokens::{Sep, Word};
use std::collections::HashSet;

/// Why the mentions of a word list are set aside.
pub(crate) const WHY: &str = "a list of words, not a sentence about the project";

/// A unit is a word list when it runs to many short fragments (between commas, semicolons,
/// slashes or colons) and names many different concepts: at least `FRAGMENTS` fragments of
/// `SHORT` words or fewer on average, naming at least `CONCEPTS` concepts. A list of the
/// activities or the people a project has ("yoga, pilates, tai chi and chair exercise") names
/// one or two concepts, and stays.
const FRAGMENTS: usize = 6;
const SHORT: f64 = 3.0;
const CONCEPTS: usize = 5;

pub(crate) fn word_list(words: &[Word], live: &[Hit], lex: &Lexicon) -> bool {
    let fragments = 1 + words
        .iter()
        .skip(1)
        .filter(|w| matches!(w.sep, Sep::List | Sep::Clause))
        .count();
    if fragments < FRAGMENTS || words.len() as f64 / fragments as f64 > SHORT {
        return false;
    }
    let concepts: HashSet<&str> = live
        .iter()
        .filter_map(|h| lex.concept(h.owner as usize / 2))
        .map(|c| &*c.id)
        .collect();
    concepts.len() >= CONCEPTS
}
