//! `stronger map init`: a starter mapping drafted from an export's header row and its first
//! rows. Each column gets the field its name suggests, checked against its values (or, for a
//! column whose name says nothing, the field its values suggest), with a comment saying why;
//! an organisation-type column gets a value map of the values seen; columns of contact details
//! and internal notes are ignored, saying so; the columns nothing suggests are listed at the
//! end as `"ignore"` for the officer to map or leave. The draft always reads back as a valid
//! mapping of the same export.

use super::values;
use crate::proposal::{FieldKind, Fields, strip_indices};

/// A column's guessed field, and why.
struct Guess {
    field: Option<&'static str>,
    why: String,
}

/// Names that say what a column holds, in the order they are tried: a column takes the first
/// rule whose words its name has (every word of one of the rule's phrases).
const BY_NAME: &[(&[&str], &str)] = &[
    (
        &[
            "organisation type",
            "organization type",
            "type of organisation",
            "type of organization",
            "legal status",
            "legal structure",
            "organisation status",
        ],
        "applicant.kind",
    ),
    (
        &[
            "email",
            "e-mail",
            "phone",
            "telephone",
            "mobile",
            "address",
            "postcode",
            "post code",
            "bank",
            "sort code",
            "account number",
            "contact",
            "date of birth",
        ],
        "ignore",
    ),
    (
        &[
            "assessor",
            "officer",
            "internal",
            "score",
            "notes",
            "status",
            "submitted",
            "date received",
        ],
        "ignore",
    ),
    (
        &["charity number", "company number", "registration number"],
        "ignore",
    ),
    (
        &[
            "application ref",
            "application reference",
            "application id",
            "application number",
            "application no",
            "reference",
            "ref",
            "urn",
            "submission id",
            "project id",
            "id",
        ],
        "id",
    ),
    (
        &["project title", "title", "project name", "name of project"],
        "title",
    ),
    (
        &[
            "amount requested",
            "amount applied",
            "grant requested",
            "amount sought",
            "how much",
            "requested",
            "grant amount",
            "amount",
        ],
        "funding.amount_requested",
    ),
    (
        &[
            "total cost",
            "total budget",
            "project cost",
            "total project",
        ],
        "funding.total_cost",
    ),
    (
        &["match funding", "other funding", "match"],
        "funding.match_funding",
    ),
    // What the money buys in time together (value for money per participant hour). Before the
    // project's length and how many people benefit, whose words ("how long will", "how many
    // people") their questions share.
    (
        &[
            "hours per session",
            "hours each session",
            "hours a session",
            "session length",
            "length of each session",
            "length of session",
            "session duration",
            "duration of each session",
            "each session last",
            "session last",
            "long is each session",
        ],
        "activity.hours_per_session",
    ),
    (
        &[
            "people per session",
            "people at each session",
            "people each session",
            "people a session",
            "participants per session",
            "attendees per session",
            "attend per session",
            "attend each session",
            "come to each session",
        ],
        "activity.people_per_session",
    ),
    (
        &[
            "how many sessions",
            "number of sessions",
            "total sessions",
            "sessions",
            "how many meetings",
            "number of meetings",
            "how many events",
            "number of events",
            "event days",
            "open days",
        ],
        "activity.sessions",
    ),
    (
        &[
            "duration",
            "project length",
            "length of project",
            "how long will",
            "months",
        ],
        "funding.duration_months",
    ),
    (
        &[
            "about your organisation",
            "about your organization",
            "about your group",
            "organisation aims",
            "aims of your organisation",
            "what does your organisation",
            "charitable objects",
            "mission",
        ],
        "applicant.purpose",
    ),
    (
        &[
            "organisation name",
            "organization name",
            "name of organisation",
            "name of organization",
            "group name",
            "applicant name",
            "applicant",
            "organisation",
        ],
        "applicant.name",
    ),
    (
        &[
            "years running",
            "years active",
            "years operating",
            "how long has",
        ],
        "applicant.years_active",
    ),
    (
        &["volunteer led", "volunteer-led", "run by volunteers"],
        "applicant.volunteer_led",
    ),
    (
        &["ward code", "lsoa", "area code", "gss code"],
        "place.area_code",
    ),
    (&["imd", "deprivation"], "place.deprivation_decile"),
    (
        &[
            "locality",
            "neighbourhood",
            "neighborhood",
            "village",
            "town",
            "location",
            "where will",
            "area",
        ],
        "place.locality",
    ),
    (
        &[
            "how many people",
            "number of people",
            "number of beneficiaries",
            "people will benefit",
        ],
        "beneficiaries.people",
    ),
    (&["new to"], "beneficiaries.new_to_activity"),
    (
        &["who will benefit", "beneficiary groups", "groups"],
        "beneficiaries.groups",
    ),
    (
        &[
            "co-design",
            "codesign",
            "co design",
            "helped design",
            "design",
        ],
        "involvement.co_designed",
    ),
    (
        &["residents on", "steering group", "committee", "governance"],
        "involvement.residents_in_governance",
    ),
    (&["consult"], "involvement.consultation"),
    (&["decide", "decision"], "involvement.resident_decisions"),
    (&["feedback"], "involvement.feedback_to_residents"),
    (
        &["bring together", "brings together"],
        "cohesion.brings_together",
    ),
    (
        &["intergenerational", "generations"],
        "cohesion.intergenerational",
    ),
    (&["new volunteers"], "volunteering.new_volunteers"),
    (&["volunteer hours"], "volunteering.hours_per_month"),
    (
        &[
            "how many volunteers",
            "number of volunteers",
            "volunteer roles",
            "volunteering roles",
            "volunteering opportunities",
        ],
        "volunteering.roles",
    ),
    (&["train"], "volunteering.training"),
    (
        &[
            "after the grant",
            "after funding",
            "after the funding",
            "grant ends",
            "funding ends",
            "sustain",
            "exit strategy",
            "continue",
        ],
        "sustainability.plan",
    ),
    (
        &["programme", "funding stream", "fund name", "partnership"],
        "partnership",
    ),
];

/// Whether `name` has every word of `phrase`, in order, as whole words.
fn has(name: &str, phrase: &str) -> bool {
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let want: Vec<&str> = phrase.split(' ').collect();
    words.windows(want.len()).any(|w| {
        w.iter().zip(&want).all(|(a, b)| {
            if b.len() <= 3 {
                a == b
            } else {
                a.starts_with(b)
            }
        })
    })
}

/// How many of a column's sampled values read as the field, of those not empty.
fn fits(kind: &FieldKind, path: &str, sample: &[&str]) -> (usize, usize) {
    let given: Vec<&&str> = sample.iter().filter(|s| !s.trim().is_empty()).collect();
    let ok = given
        .iter()
        .filter(|s| values::convert(kind, path, s).is_ok())
        .count();
    (ok, given.len())
}

/// Whether a column's values are long prose: answers to a question.
fn prose(sample: &[&str]) -> bool {
    let given: Vec<&&str> = sample.iter().filter(|s| !s.trim().is_empty()).collect();
    let long = given
        .iter()
        .filter(|s| s.split_whitespace().count() >= 12)
        .count();
    !given.is_empty() && long * 2 >= given.len()
}

/// Whether a column's name counts something in a week, a fortnight or a month ("Sessions per
/// week", "How many sessions a month?", "Weekly sessions") rather than over the project.
fn per_period(name: &str) -> bool {
    ["week", "fortnight", "month"].iter().any(|p| {
        ["per ", "a ", "each ", "every "]
            .iter()
            .any(|w| has(name, &format!("{w}{p}")))
    }) || ["weekly", "fortnightly", "monthly"]
        .iter()
        .any(|w| has(name, w))
}

/// The field a column's name (then its values) suggest, not taken by an earlier column.
fn guess(header: &str, sample: &[&str], fields: &Fields, taken: &[&str]) -> Guess {
    let name = header.to_lowercase();
    let by_name = BY_NAME
        .iter()
        .find(|(phrases, _)| phrases.iter().any(|p| has(&name, p)));
    if let Some((_, field)) = by_name {
        if *field == "ignore" {
            return Guess {
                field: None,
                why: "contact details or the platform's own records: not part of the bid"
                    .to_string(),
            };
        }
        if *field == "activity.sessions" && per_period(&name) {
            return Guess {
                field: None,
                why: "sessions in a week or a month: `activity.sessions` is the number over the \
                      whole project, so map a column with that total (a weekly count taken as \
                      the total makes each participant hour of a year's project look fifty times dearer)"
                    .to_string(),
            };
        }
        let kind = fields.kind(field).cloned().unwrap_or(FieldKind::Text);
        let single = kind != FieldKind::List && !answer_field(&kind, field);
        if single && taken.contains(field) {
            return Guess {
                field: None,
                why: format!("its name suggests `{field}`, which an earlier column fills"),
            };
        }
        let (ok, of) = fits(&kind, field, sample);
        let mut why = format!("the name suggests `{field}`");
        if of > 0 && ok < of {
            why.push_str(&format!(
                "; check: {} of {of} values read did not fit it",
                of - ok
            ));
        } else if of > 0 {
            why.push_str(&format!(", and the {of} values read fit it"));
        }
        // A kind of organisation in the platform's own words is what a value map is for.
        if !(of > 0 && ok == 0 && kind != FieldKind::Text) || *field == "applicant.kind" {
            return Guess {
                field: Some(field),
                why,
            };
        }
    }
    if prose(sample) {
        return Guess {
            field: Some("summary"),
            why: "long free-text answers: part of the summary, each quoted with this question"
                .to_string(),
        };
    }
    let yes_no = !sample.is_empty()
        && sample
            .iter()
            .filter(|s| !s.trim().is_empty())
            .all(|s| values::yes_no(s).is_some());
    Guess {
        field: None,
        why: if yes_no {
            "yes/no answers, but the name does not say to what: map it to a yes/no field, e.g. `involvement.feedback_to_residents`".to_string()
        } else {
            "neither its name nor its values say which field".to_string()
        },
    }
}

/// Whether a text field is prose made of answers (several columns may fill it).
fn answer_field(kind: &FieldKind, field: &str) -> bool {
    *kind == FieldKind::Text && !super::SINGLE_TEXT.contains(&strip_indices(field).as_str())
}

/// A TOML string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `line`, then its comment, aligned.
fn commented(line: String, why: &str) -> String {
    let pad = 48usize.saturating_sub(line.chars().count()).max(1);
    format!("{line}{}# {why}\n", " ".repeat(pad))
}

/// A starter mapping for an export named `export` with this `header` and first `rows`, as the
/// text of a mapping file. `sheet` is the Excel sheet it was drafted from.
pub fn draft(
    export: &str,
    sheet: Option<&str>,
    header: &[String],
    rows: &[Vec<String>],
    fields: &Fields,
) -> String {
    let sample = |i: usize| -> Vec<&str> {
        rows.iter()
            .filter_map(|r| r.get(i).map(String::as_str))
            .collect()
    };
    let mut guesses: Vec<Guess> = Vec::new();
    let mut taken: Vec<&str> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let g = guess(h, &sample(i), fields, &taken);
        if let Some(f) = g.field {
            taken.push(f);
        }
        guesses.push(g);
    }
    let id = id_column(header, rows, &mut guesses);
    let mut out = preamble(export, sheet, rows.len());
    out.push_str("[columns]\n");
    let mut unmapped = String::new();
    let mut maps = String::new();
    for (i, (h, g)) in header.iter().zip(&guesses).enumerate() {
        if h.trim().is_empty() {
            continue;
        }
        let key = quoted(h.trim());
        match g.field {
            Some("applicant.kind") => {
                let name = "organisation_types";
                let line = format!("{key} = {{ field = \"applicant.kind\", values = \"{name}\" }}");
                out.push_str(&commented(
                    line,
                    &format!("{}; its values are mapped under [values.{name}]", g.why),
                ));
                maps.push_str(&kind_map(name, &sample(i), fields));
            }
            Some(f) => out.push_str(&commented(format!("{key} = {}", quoted(f)), &g.why)),
            None if g.why.starts_with("contact") => {
                out.push_str(&commented(format!("{key} = \"ignore\""), &g.why));
            }
            None => unmapped.push_str(&commented(format!("{key} = \"ignore\""), &g.why)),
        }
    }
    if !unmapped.is_empty() {
        out.push_str("\n# Not mapped: map each to a field (schemas/proposal.schema.json), or leave it ignored.\n");
        out.push_str(&unmapped);
    }
    if id.is_none() {
        out.push_str(
            "\n# No column looked like each application's own reference: map one to \"id\".\n",
        );
    }
    out.push_str(&maps);
    if rows.iter().flatten().any(|c| c.contains('£')) {
        out.push_str("\n[defaults]\n");
        out.push_str(&commented(
            "\"funding.currency\" = \"GBP\"".to_string(),
            "amounts are written in £",
        ));
    }
    out
}

fn preamble(export: &str, sheet: Option<&str>, rows: usize) -> String {
    let mut out = format!(
        "# A stronger mapping for `{export}`, drafted by `stronger map init` from its header row and\n\
         # its first {rows} rows. Check each line: its comment says why the column is mapped so.\n\
         # The fields are in schemas/proposal.schema.json; this file's shape in schemas/mapping.schema.json.\n\
         # Several columns may fill one text field (such as `summary`): each answer is kept with its\n\
         # question (the column's name, or `question = \"…\"`) and quoted with it.\n\n[export]\n"
    );
    out.push_str(&format!("name = {}\n", quoted(export)));
    if let Some(s) = sheet {
        out.push_str(&format!("sheet = {}\n", quoted(s)));
    }
    out.push('\n');
    out
}

/// The column for `id` when no name said so: the first whose values are all given and all
/// different.
fn id_column(header: &[String], rows: &[Vec<String>], guesses: &mut [Guess]) -> Option<usize> {
    if let Some(i) = guesses.iter().position(|g| g.field == Some("id")) {
        return Some(i);
    }
    let unique = |i: usize| {
        let vals: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.get(i).map(|s| s.trim()))
            .collect();
        let mut sorted = vals.clone();
        sorted.sort_unstable();
        sorted.dedup();
        !vals.is_empty()
            && vals.iter().all(|v| !v.is_empty() && v.len() <= 200)
            && sorted.len() == vals.len()
    };
    let i = (0..header.len())
        .find(|&i| guesses.get(i).is_some_and(|g| g.field.is_none()) && unique(i))?;
    if let Some(g) = guesses.get_mut(i) {
        *g = Guess {
            field: Some("id"),
            why: "every value read is different: taken as each application's reference; check"
                .to_string(),
        };
    }
    Some(i)
}

/// A value map of the organisation types seen, each read as a kind where it can be.
fn kind_map(name: &str, sample: &[&str], fields: &Fields) -> String {
    let kind = fields
        .kind("applicant.kind")
        .cloned()
        .unwrap_or(FieldKind::Text);
    let options = match &kind {
        FieldKind::Choice(o) => o.join(", "),
        _ => String::new(),
    };
    let mut seen: Vec<&str> = sample
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    seen.sort_unstable();
    seen.dedup();
    let mut out = format!("\n[values.{name}]\n");
    for v in seen.into_iter().take(100) {
        let key = quoted(v);
        match values::convert(&kind, "applicant.kind", v) {
            Ok(Some(k)) => {
                let k = k.as_str().unwrap_or_default().to_string();
                out.push_str(&commented(
                    format!("{key} = {}", quoted(&k)),
                    &format!("read as `{k}`"),
                ));
            }
            _ => out.push_str(&commented(
                format!("{key} = \"\""),
                &format!("not recognised: set one of {options}; \"\" leaves it not stated"),
            )),
        }
    }
    out
}
