//! What a reading of a bid yields: claims (a concept, its status, who acts, where it was said)
//! and the mentions set aside, with why.

use serde::Serialize;
use std::sync::Arc;

/// What a sentence says about a concept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Said plainly: "volunteers run the café".
    Affirmed,
    /// Denied: "we have no volunteers".
    Negated,
    /// Hoped for, possible, or conditional: "we hope to involve volunteers".
    Hedged,
    /// True once, not now: "volunteers used to run it".
    Past,
}

impl Status {
    /// Every status, in the order of their words.
    pub const ALL: [Status; 4] = [
        Status::Affirmed,
        Status::Negated,
        Status::Hedged,
        Status::Past,
    ];

    /// The status a word names (`"hedged"`), if any.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The word used in the concepts file and in judgments.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Affirmed => "affirmed",
            Status::Negated => "negated",
            Status::Hedged => "hedged",
            Status::Past => "past",
        }
    }

    /// When several triggers reach a mention, the strongest decides: a hedge or a past
    /// statement says nothing firm about the project; a firm denial is evidence against it.
    pub(crate) fn rank(self) -> u8 {
        match self {
            Status::Hedged => 3,
            Status::Past => 2,
            Status::Negated => 1,
            Status::Affirmed => 0,
        }
    }
}

/// Which side an actor is on: the community the project serves, or the institutions around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Community,
    Institution,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Community => "community",
            Side::Institution => "institution",
        }
    }
}

/// How a text field is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Free text, cut into sentences and list items.
    Prose,
    /// One list entry: the whole entry is one unit.
    Item,
    /// A proper name (the applicant's or a partner's name, a locality): never read for
    /// concepts, but its words mark the same words in prose as a name.
    Name,
}

/// One field of a bid to read.
#[derive(Debug, Clone)]
pub struct TextField<'a> {
    /// Dotted path with indices: "summary", "partners[1].role".
    pub path: String,
    pub text: &'a str,
    pub kind: TextKind,
    /// The form's question this text answers ("Q4 How will local people be involved?"), when
    /// the bid came from a funder's export: a label for quoting, never read as the bid's words.
    pub question: Option<&'a str>,
}

/// A concept as one sentence of the bid states it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// The concept's id, e.g. "volunteering".
    #[serde(serialize_with = "id")]
    pub concept: Arc<str>,
    pub status: Status,
    /// Who acts, when the sentence makes it plain ("residents", "council").
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "maybe_id")]
    pub actor: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    /// The field, as a dotted path with indices.
    pub field: String,
    /// The whole sentence or list item, as written (trimmed); past 600 bytes (prose with no
    /// full stops), the words around the mention, with `…` where cut.
    pub sentence: String,
    /// The words matched, as written.
    pub phrase: String,
    /// The words that set a status other than affirmed, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// The form's question the sentence answers, when the bid came from a funder's export:
    /// for quoting only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
}

/// A mention of a concept's words that does not count, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetAside {
    #[serde(serialize_with = "id")]
    pub concept: Arc<str>,
    pub field: String,
    pub sentence: String,
    pub phrase: String,
    /// e.g. `excluded: "tool library" is not libraries`, `part of a name: "Rose Garden Café"`.
    pub why: String,
}

/// Everything read from one bid.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reading {
    /// In field order, then in order of the text.
    pub claims: Vec<Claim>,
    pub set_aside: Vec<SetAside>,
    /// The bid was longer than the reader reads, or held more claims than it keeps.
    pub truncated: bool,
}

impl Reading {
    /// The claims about one concept, in order.
    pub fn of<'a>(&'a self, concept: &str) -> impl Iterator<Item = &'a Claim> + use<'a> {
        let concept = concept.to_string();
        self.claims.iter().filter(move |c| *c.concept == *concept)
    }
}

/// Ids are shared `Arc<str>`s; they serialise as text.
fn id<S: serde::Serializer>(id: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(id)
}

fn maybe_id<S: serde::Serializer>(id: &Option<Arc<str>>, s: S) -> Result<S::Ok, S::Error> {
    match id {
        Some(id) => s.serialize_str(id),
        None => s.serialize_none(),
    }
}
