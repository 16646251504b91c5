//! Text that repeats the checklist's words rather than saying anything about the project. An
//! appraiser reads such text as what the applicant wants to be credited with, not as anything
//! the project does, so its mentions are set aside. Three shapes, each found by one test:
//!
//! - **A word list** in one unit: "Keywords: co-production; residents decide; volunteers; …".
//! - **An echo** of the checklist's own published words: a sentence most of whose word
//!   sequences appear in a rule's title, question, rationale or `meets`, or a concept's
//!   description (what `rules doc` publishes, and so what an applicant can copy).
//! - **A run of vocabulary**: several sentences in a row, each made mostly of concept phrases
//!   and naming nothing particular (no number, no name), that between them name many concepts:
//!   "Our project is about co-production. It builds belonging. Volunteers lead it. …". One
//!   such sentence in a real bid stays; a paragraph of them is a list written as sentences.

use super::FastSet;
use super::layers::Lexicon;
use super::lexicon::STOP_WORDS;
use super::pattern::Hit;
use super::segment;
use super::tokens::{self, Sep, Word};
use std::collections::HashSet;
use std::hash::BuildHasher;

/// Why the mentions of a word list are set aside.
pub(crate) const WHY: &str = "a list of words, not a sentence about the project";
/// Why the mentions of an echo are set aside.
pub(crate) const WHY_ECHO: &str = "the checklist's own words, not a sentence about the project";
/// Why the mentions of a run of vocabulary are set aside.
pub(crate) const WHY_RUN: &str =
    "one of several sentences in a row made of the checklist's words, naming nothing particular";

/// A unit is a word list when it runs to many short fragments (between commas, semicolons,
/// slashes or colons) and names many different concepts: at least `FRAGMENTS` fragments of
/// `SHORT` words or fewer on average, naming at least `CONCEPTS` concepts. A list of the
/// activities or the people a project has ("yoga, pilates, tai chi and chair exercise") names
/// one or two concepts, and stays.
const FRAGMENTS: usize = 6;
const SHORT: f64 = 3.0;
const CONCEPTS: usize = 5;

pub(crate) fn word_list(words: &[Word], named: &HashSet<usize>) -> bool {
    let fragments = 1 + words
        .iter()
        .skip(1)
        .filter(|w| matches!(w.sep, Sep::List | Sep::Clause))
        .count();
    if fragments < FRAGMENTS || words.len() as f64 / fragments as f64 > SHORT {
        return false;
    }
    named.len() >= CONCEPTS
}

/// The concepts (by index) that `live` mentions.
pub(crate) fn distinct(live: &[Hit], lex: &Lexicon) -> HashSet<usize> {
    live.iter()
        .map(|h| h.owner as usize / 2)
        .filter(|&c| lex.concept(c).is_some())
        .collect()
}

/// Words in a row compared with the checklist's own: long enough that an ordinary sentence
/// shares few of them with any rule's text by chance.
const SHINGLE: usize = 5;
/// A unit of at least `ECHO_WORDS` words echoes the checklist when at least this share of its
/// word sequences are the checklist's, and at least `ECHO_FOUND` of them. A shorter one shares
/// a phrase such as "residents sit on the board" or an indicator's own measure ("people
/// volunteering at least once a month", which a good outcome target uses) with the checklist as
/// a matter of course, and counts only when it is one of the checklist's sentences copied whole
/// ([`WHOLE`]).
const ECHO_SHARE: f64 = 0.6;
const ECHO_FOUND: usize = 2;
const ECHO_WORDS: usize = 10;

/// The checklist's own published words, as hashed sequences of [`SHINGLE`] stems. Never
/// iterated: a membership test only, so a fixed hash keeps it the same on every run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Echo {
    shingles: FastSet<u64>,
    /// Whole sentences of at least [`WHOLE`] words, copied exactly.
    sentences: FastSet<u64>,
}

/// The fewest words a sentence copied whole from the checklist needs to be set aside for that
/// alone ("The project offers arts activity.").
const WHOLE: usize = 5;

fn hasher() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::with_seed(0x5745_4143_4845_434b)
}

/// The hash of a sequence of words' stems, without copying them out: hashed as a slice of
/// them would be (its length, then each stem).
fn shingle(words: &[Word]) -> u64 {
    struct Stems<'w>(&'w [Word]);
    impl std::hash::Hash for Stems<'_> {
        fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
            state.write_usize(self.0.len());
            for w in self.0 {
                w.stem.hash(state);
            }
        }
    }
    hasher().hash_one(Stems(words))
}

impl Echo {
    /// The words of two echoes together: the echo of all their texts.
    pub(crate) fn union(mut self, other: Echo) -> Echo {
        self.shingles.extend(other.shingles);
        self.sentences.extend(other.sentences);
        self
    }

    /// The sequences of every text given (each cut into sentences first). What a text quotes
    /// ("no groups lose their meeting place") is an example of what bids say, not the
    /// checklist's own words, and is left out.
    pub(crate) fn new<'t>(texts: impl IntoIterator<Item = &'t str>) -> Echo {
        let mut echo = Echo::default();
        for text in texts.into_iter().flat_map(unquoted) {
            for u in segment::prose(text) {
                let words = tokens::words(text.get(u.start..u.end).unwrap_or_default(), 0);
                echo.shingles.extend(words.windows(SHINGLE).map(shingle));
                if words.len() >= WHOLE {
                    echo.sentences.insert(shingle(&words));
                }
            }
        }
        echo
    }

    /// Whether a unit's words are mostly the checklist's own.
    pub(crate) fn echoes(&self, words: &[Word]) -> bool {
        if words.len() >= WHOLE && self.sentences.contains(&shingle(words)) {
            return true;
        }
        if self.shingles.is_empty() || words.len() < ECHO_WORDS {
            return false;
        }
        let all = words.windows(SHINGLE);
        let total = all.len();
        let found = all.filter(|w| self.shingles.contains(&shingle(w))).count();
        found >= ECHO_FOUND && found as f64 >= ECHO_SHARE * total as f64
    }
}

/// The parts of a text outside its quotations (straight or curly double quotes).
fn unquoted(text: &str) -> impl Iterator<Item = &str> {
    text.split(['"', '“', '”']).step_by(2)
}

/// What one unit is, for the run test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Names something particular (a number, a name): about a real project. Ends a run.
    Particular,
    /// Names concepts, mostly in the checklist's words, and nothing particular.
    Vocabulary,
    /// Names no concept and nothing particular ("We are passionate about community."): neither
    /// ends a run nor counts in it.
    Filler,
}

/// A unit is vocabulary when it names nothing particular and says little beyond its concepts:
/// at most `UNSAID` words outside concept phrases, or at least half its words inside them
/// (stop words aside). A real sentence about a project says more ("restore the bandstand for
/// summer concerts") than the checklist's words.
const UNSAID: usize = 4;
const COVERED: f64 = 0.5;
/// Numbers written as words are particular too ("two drop-in sessions").
const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "dozen",
    "dozens",
    "half",
    "third",
    "quarter",
];
/// A run of units that name nothing particular is set aside when at least `RUN_UNITS` of them
/// are vocabulary and they name at least `RUN_CONCEPTS` concepts between them: a real bid names
/// a place, a day, a number or a partner every few sentences.
const RUN_UNITS: usize = 4;
const RUN_CONCEPTS: usize = 8;

/// The shape of one unit: `Particular` when it has a number, or a Capitalised word (a name)
/// past the first, outside its concepts' words, or says more than its concepts.
pub(crate) fn shape(words: &[Word], live: &[Hit]) -> Shape {
    let mut covered = vec![false; words.len()];
    for (a, b) in live.iter().flat_map(Hit::spans) {
        for c in covered.iter_mut().take(b + 1).skip(a) {
            *c = true;
        }
    }
    // A number or a capital inside a concept's own words ("a one-year plan", "Residents'
    // Panel") is the concept's, not something particular.
    let particular = words.iter().zip(&covered).enumerate().any(|(i, (w, &c))| {
        !c && (w.number || (w.cap && i > 0) || NUMBER_WORDS.contains(&&*w.norm))
    });
    if particular {
        return Shape::Particular;
    }
    let (mut content, mut inside) = (0usize, 0usize);
    for (w, &c) in words.iter().zip(&covered) {
        if !STOP_WORDS.contains(&&*w.norm) {
            content += 1;
            inside += usize::from(c);
        }
    }
    if live.is_empty() {
        Shape::Filler
    } else if content - inside <= UNSAID || inside as f64 >= COVERED * content as f64 {
        Shape::Vocabulary
    } else {
        Shape::Particular
    }
}

/// One unit of a field, as the run test needs it: the claims it made (a range of the reading's
/// claims), its shape, and the concepts it names.
#[derive(Debug, Clone)]
pub(crate) struct UnitMark {
    pub claims: std::ops::Range<usize>,
    pub shape: Shape,
    pub concepts: HashSet<usize>,
}

/// The claims (ranges of the reading's claims) of the runs of vocabulary among one field's
/// units, in order.
pub(crate) fn runs(units: &[UnitMark]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for run in units.split(|u| u.shape == Shape::Particular) {
        let vocabulary = run.iter().filter(|u| u.shape == Shape::Vocabulary).count();
        let named: HashSet<usize> = run
            .iter()
            .flat_map(|u| u.concepts.iter().copied())
            .collect();
        if vocabulary >= RUN_UNITS && named.len() >= RUN_CONCEPTS {
            out.extend(run.iter().map(|u| u.claims.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::claims::{TextField, TextKind};
    use super::super::tests::default_lexicon;
    use super::*;

    const RULE_TEXT: &str = "Residents decide how the money is spent, through a panel or a vote, \
        and the decision is theirs (\"the panel chooses which groups are funded\"). The project \
        offers arts activity.";

    fn read(lex: &Lexicon, text: &str) -> super::super::Reading {
        lex.read(&[TextField {
            path: "summary".into(),
            text,
            kind: TextKind::Prose,
            question: None,
        }])
    }

    fn taught() -> Lexicon {
        let mut lex = default_lexicon();
        lex.learn_echo(Echo::default(), [RULE_TEXT]);
        lex
    }

    #[test]
    fn a_sentence_copied_from_the_checklist_is_set_aside_with_why() {
        let lex = taught();
        let r = read(
            &lex,
            "Residents decide how the money is spent, through a panel or a vote.",
        );
        assert!(r.claims.is_empty(), "{:?}", r.claims);
        assert!(r.set_aside.iter().all(|s| s.why == WHY_ECHO));
        assert!(!r.set_aside.is_empty());
        // A short sentence counts only copied whole.
        let r = read(&lex, "The project offers arts activity.");
        assert!(r.claims.is_empty());
        let r = read(&lex, "The project offers arts activity on Fridays.");
        assert_eq!(r.of("arts").count(), 1);
    }

    #[test]
    fn what_the_checklist_quotes_and_what_it_shares_by_chance_are_the_bids_own() {
        let lex = taught();
        let r = read(&lex, "The panel chooses which groups are funded.");
        assert!(r.set_aside.iter().all(|s| s.why != WHY_ECHO));
        let r = read(&lex, "Residents decide how the hall is decorated.");
        assert!(r.set_aside.iter().all(|s| s.why != WHY_ECHO));
        // Nothing was taught: nothing echoes.
        let r = read(
            &default_lexicon(),
            "Residents decide how the money is spent, through a panel or a vote.",
        );
        assert!(r.set_aside.iter().all(|s| s.why != WHY_ECHO));
    }

    #[test]
    fn a_run_of_vocabulary_is_set_aside_and_one_broken_by_particulars_is_not() {
        let lex = default_lexicon();
        let slogans = "Volunteers lead everything. We tackle loneliness and isolation. \
            Intergenerational befriending for all. We believe in this. Green spaces and community \
            buildings are open to everyone. Residents co-design our work. People take part in sport \
            and the arts.";
        let r = read(&lex, slogans);
        assert!(r.claims.is_empty(), "{:?}", r.claims);
        assert!(r.set_aside.iter().all(|s| s.why == WHY_RUN));
        // The same sentences, one in the middle naming a day: two short runs, both read.
        let broken = "Volunteers lead everything. We tackle loneliness and isolation. \
            Intergenerational befriending runs on Tuesdays. Green spaces and community \
            buildings are open to everyone. Residents co-design our work. People take part in \
            sport and the arts.";
        let r = read(&lex, broken);
        assert!(r.of("volunteering").count() > 0 && r.of("green_space").count() > 0);
        assert!(r.set_aside.iter().all(|s| s.why != WHY_RUN));
    }

    #[test]
    fn a_shingle_hashes_as_the_list_of_its_stems() {
        let words = tokens::words("Residents decide how the money is spent", 0);
        for n in 0..words.len() {
            let part = words.get(..n).unwrap_or_default();
            let stems: Vec<&str> = part.iter().map(|w| &*w.stem).collect();
            assert_eq!(shingle(part), hasher().hash_one(stems));
        }
    }

    #[test]
    fn shapes() {
        let lex = default_lexicon();
        let shape_of = |text: &str| {
            let words = tokens::words(text, 0);
            let t = super::super::pattern::Text::with_beginnings(&words, &lex.beginnings);
            let live: Vec<Hit> = lex
                .phrases
                .find(&t, lex.gap_words)
                .into_iter()
                .filter(|h| h.owner % 2 == 0)
                .collect();
            shape(&words, &live)
        };
        assert_eq!(shape_of("Volunteers cook and serve."), Shape::Vocabulary);
        assert_eq!(shape_of("We believe in this."), Shape::Filler);
        assert_eq!(shape_of("Twelve volunteers cook."), Shape::Particular);
        assert_eq!(shape_of("Volunteers cook at St Anne's."), Shape::Particular);
        assert_eq!(shape_of("Volunteers cook 40 lunches."), Shape::Particular);
        // A number inside a concept's own words is the concept's.
        assert_eq!(
            shape_of("It is all about one-year funding."),
            Shape::Vocabulary
        );
        assert_eq!(
            shape_of(
                "With this grant volunteers will restore the bandstand for summer concerts and plant an orchard along the main path."
            ),
            Shape::Particular
        );
    }
}
