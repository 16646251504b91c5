//! 360Giving grant data mapped onto the proposal format. A grant says little about a project:
//! its title, a description, the amount, who received it and where. Everything else is left
//! out, so rules see it as *not stated* — never as "no".

use super::{Item, failed, item_from_value};
use crate::diagnostic::Diagnostic;
use crate::limits::Limits;
use crate::proposal::read::Collecting;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value, json};
use std::path::Path;

/// Whether the start of a JSON file looks like a 360Giving package: an object with `grants`.
pub(crate) fn looks_like_package(head: &str) -> bool {
    head.trim_start().starts_with('{') && head.contains("\"grants\"")
}

/// Whether a CSV header is 360Giving's flat form (`Identifier`, `Title`, `Amount Awarded`, …).
pub(crate) fn looks_like_csv_header(header: &str) -> bool {
    let h = header.to_ascii_lowercase();
    h.contains("identifier") && h.contains("amount awarded")
}

/// The proposal `applicant.kind` for the name of a kind of organisation, as 360Giving
/// publishers and grants platforms write it ("Registered charity", "Charitable Incorporated
/// Organisation", "Unincorporated community group"), when it says.
pub(crate) fn kind_of_type(name: &str) -> Option<&'static str> {
    let t = name.trim().to_lowercase();
    match t.as_str() {
        "" => None,
        s if s.contains("charitable incorporated") => Some("cio"),
        s if s.contains("community interest") => Some("cic"),
        s if s.contains("parish") => Some("parish-council"),
        s if s.contains("town council") => Some("town-council"),
        s if s.contains("school") || s.contains("academy") => Some("school"),
        s if s.contains("industrial and provident")
            || s.contains("community benefit")
            || s.contains("co-operative")
            || s.contains("social enterprise") =>
        {
            Some("social-enterprise")
        }
        s if s.contains("charity") || s.contains("charitable") => Some("charity"),
        s if s.contains("faith") || s.contains("church") || s.contains("religious") => {
            Some("faith-group")
        }
        s if s.contains("local authority") || s.contains("public") || s.contains("nhs") => {
            Some("public-body")
        }
        s if s.contains("unincorporated")
            || s.contains("community group")
            || s.contains("voluntary") =>
        {
            Some("community-group")
        }
        _ => None,
    }
}

/// The proposal `applicant.kind` for a 360Giving organisation type, when it says.
fn kind_of(org: &Value) -> Option<&'static str> {
    let t = org
        .get("organisationType")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let by_type = kind_of_type(t);
    by_type.or_else(|| {
        let id = org.get("id").and_then(Value::as_str).unwrap_or_default();
        let has_charity_no = org.get("charityNumber").is_some_and(|v| !v.is_null());
        (has_charity_no
            || id.starts_with("GB-CHC-")
            || id.starts_with("GB-SC-")
            || id.starts_with("GB-NIC-"))
        .then_some("charity")
    })
}

fn months_between(start: &str, end: &str) -> Option<i64> {
    let ym = |s: &str| -> Option<(i64, i64, i64)> {
        let y = s.get(0..4)?.parse().ok()?;
        let m = s.get(5..7)?.parse().ok()?;
        let d = s.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(1);
        Some((y, m, d))
    };
    let (y1, m1, d1) = ym(start)?;
    let (y2, m2, d2) = ym(end)?;
    let mut months = (y2 - y1) * 12 + (m2 - m1);
    if d2 >= d1 {
        months += 1; // an inclusive range: 1 July to 30 June is 12 months
    }
    (months > 0).then_some(months)
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A field of a grant that cannot be read as the proposal needs it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BadField {
    /// The grant's own name for it (`amountAwarded`).
    pub field: &'static str,
    /// What it holds, as written.
    pub found: String,
}

impl BadField {
    pub(crate) fn message(&self) -> String {
        format!(
            "`{}` must be an amount of money (a number of at least 0), found {}",
            self.field, self.found
        )
    }
}

/// An amount of money: absent (or `null`, or empty) is not stated; anything but a number of at
/// least 0 (or such a number written as text, commas allowed) is an error naming the field.
fn money(g: &Value, field: &'static str) -> Result<Option<f64>, BadField> {
    let bad = |found: String| BadField { field, found };
    let x = match g.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => s.trim().replace(',', "").parse().ok(),
        Some(other) => return Err(bad(crate::proposal::describe(other))),
    };
    match x {
        Some(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
        _ => Err(bad(match g.get(field) {
            Some(v) => crate::proposal::describe(v),
            None => String::new(),
        })),
    }
}

/// One 360Giving grant as a proposal, or the field that cannot be read.
pub(crate) fn grant_to_bid(g: &Value) -> Result<Value, BadField> {
    let mut bid = Map::new();
    if let Some(id) = text(g.get("id")) {
        bid.insert("id".into(), json!(id));
    }
    if let Some(t) = text(g.get("title")) {
        bid.insert("title".into(), json!(t));
    }
    if let Some(d) = text(g.get("description")) {
        bid.insert("summary".into(), json!(d));
    }
    let mut funding = Map::new();
    // Amount applied for, else awarded; 360Giving publishers often write 0 for "not known".
    let applied = money(g, "amountAppliedFor")?.filter(|a| *a > 0.0);
    let awarded = money(g, "amountAwarded")?;
    if let Some(a) = applied.or(awarded) {
        funding.insert("amount_requested".into(), json!(a));
    }
    if let Some(c) = text(g.get("currency")).filter(|c| c.len() == 3) {
        funding.insert("currency".into(), json!(c.to_uppercase()));
    }
    let dates = g.get("plannedDates").and_then(|d| d.get(0));
    let duration = dates
        .and_then(|d| d.get("duration"))
        .and_then(|d| {
            d.as_f64()
                .or_else(|| d.as_str().and_then(|s| s.parse().ok()))
        })
        .filter(|d| *d > 0.0)
        .map(|d| d.round() as i64)
        .or_else(|| {
            let d = dates?;
            months_between(d.get("startDate")?.as_str()?, d.get("endDate")?.as_str()?)
        });
    if let Some(m) = duration {
        funding.insert("duration_months".into(), json!(m));
    }
    if !funding.is_empty() {
        bid.insert("funding".into(), Value::Object(funding));
    }
    if let Some(org) = g.get("recipientOrganization").and_then(|o| o.get(0)) {
        let mut applicant = Map::new();
        if let Some(n) = text(org.get("name")) {
            applicant.insert("name".into(), json!(n));
        }
        // What the organisation says it exists to do: context about who is applying.
        if let Some(d) = text(org.get("description")) {
            applicant.insert("purpose".into(), json!(d));
        }
        if let Some(k) = kind_of(org) {
            applicant.insert("kind".into(), json!(k));
        }
        if !applicant.is_empty() {
            bid.insert("applicant".into(), Value::Object(applicant));
        }
    }
    let loc = g.get("beneficiaryLocation").and_then(|l| l.get(0));
    let mut place = Map::new();
    if let Some(l) = loc {
        if let Some(n) = text(l.get("name")) {
            place.insert("locality".into(), json!(n));
        }
        if let Some(c) = text(l.get("geoCode")) {
            place.insert("area_code".into(), json!(c));
        }
    }
    if !place.is_empty() {
        bid.insert("place".into(), Value::Object(place));
    }
    Ok(Value::Object(bid))
}

struct Package<'a> {
    source: &'a str,
    each: &'a mut dyn FnMut(Item) -> bool,
    seen_grants: bool,
    /// Bounds each grant (and each key) to one bid's worth; what is skipped costs no memory and
    /// is not bounded.
    budget: super::Budget,
    max: u64,
    /// Grants read so far (skipped ones included).
    count: usize,
    /// Grants already given out by an earlier pass: read past without keeping them.
    skip: usize,
    /// Whether `each` asked to stop.
    stopped: bool,
    /// Where the grants are, for messages.
    locator: super::Locator,
}

impl Package<'_> {
    fn bounded(&self) {
        self.budget.allow(self.budget.read(), self.max);
    }

    fn unbounded(&self) {
        self.budget.allow(self.budget.read(), u64::MAX);
    }
}

struct Grants<'a, 'b>(&'b mut Package<'a>);

impl<'de> Visitor<'de> for &mut Package<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a 360Giving package: an object with a `grants` array")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        loop {
            self.bounded();
            let Some(key) = map.next_key::<String>()? else {
                return Ok(());
            };
            if key == "grants" {
                self.seen_grants = true;
                map.next_value_seed(Grants(self))?;
            } else {
                self.unbounded();
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Grants<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Grants<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of grants")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let p = self.0;
        let twice = std::cell::RefCell::new(Vec::new());
        // Where the grant's `{` is: the parser has just read it when the grant opens.
        let start = std::cell::Cell::new(0);
        let budget = p.budget.clone();
        let opened = || start.set(budget.read().saturating_sub(1));
        loop {
            if p.count < p.skip || p.stopped {
                p.unbounded();
                if seq.next_element::<IgnoredAny>()?.is_none() {
                    return Ok(());
                }
                p.count += 1;
                continue;
            }
            p.bounded();
            let seed = Collecting {
                twice: &twice,
                opened: &opened,
            };
            let Some(grant) = seq.next_element_seed(seed)? else {
                return Ok(());
            };
            p.count += 1;
            let repeated = std::mem::take(&mut *twice.borrow_mut());
            let at = || p.locator.at(start.get());
            let item = grant_item(p.source, p.count, at, &grant, repeated.first());
            p.stopped = !(p.each)(item);
        }
    }
}

/// Grant `n` of a package as an item: a bid, or why it cannot be one (located by `at`: the
/// line and column of its `{`).
fn grant_item(
    source: &str,
    n: usize,
    at: impl FnOnce() -> (usize, usize),
    grant: &Value,
    twice: Option<&String>,
) -> Item {
    let problem = if let Some(key) = twice {
        Diagnostic::error(source, format!("grant {n} gives the key `{key}` twice"))
            .help("a grant gives each field once: keep the one you mean and delete the other")
    } else if !grant.is_object() {
        Diagnostic::error(source, format!("grant {n} is not an object"))
            .help("each of `grants` is an object: {\"id\": …, \"title\": …, \"amountAwarded\": …}")
    } else {
        match grant_to_bid(grant) {
            Ok(bid) => return item_from_value(source, Some(n), bid),
            Err(bad) => {
                Diagnostic::error(source, format!("grant {n}: {}", bad.message())).field(bad.field)
            }
        }
    };
    let (line, col) = at();
    failed(source, Some(n), None, vec![problem.at(line, col)])
}

/// How many times reading starts again after a grant larger than one bid; past that, the grants
/// left are counted and each reported as not read.
const MAX_RESTARTS: usize = 16;

/// How one pass over a package ended.
enum Pass {
    /// Every grant was given out (or `each` asked to stop).
    Done,
    /// Grant `n` (at the line:column where the reader stopped) is larger than one bid.
    TooLarge(usize, (usize, usize)),
    /// The package is not one.
    Broken(Diagnostic),
}

/// Streams the grants of a 360Giving package, one item per grant (numbered from 1). A grant
/// larger than one bid is reported and the file read again past it, so the grants after it are
/// read too; past [`MAX_RESTARTS`] such grants, the rest are counted and each reported.
pub(crate) fn read_package(
    path: &Path,
    source: &str,
    limits: &Limits,
    each: &mut dyn FnMut(Item) -> bool,
) {
    let mut skip = 0;
    for restart in 0..=MAX_RESTARTS {
        let pass = match pass(path, source, limits, skip, each) {
            Ok((p, _)) => p,
            Err(d) => Pass::Broken(d),
        };
        let (n, (line, col)) = match pass {
            Pass::Done => return,
            Pass::Broken(d) => {
                let line = d.line;
                each(failed(source, line, None, vec![d]));
                return;
            }
            Pass::TooLarge(n, at) => (n, at),
        };
        let mib = limits.max_bid_bytes / 1024 / 1024;
        let d = Diagnostic::error(
            source,
            format!("grant {n} is larger than {mib} MiB, the limit for one bid; it was not read"),
        )
        .at(line, col);
        if !each(failed(source, Some(n), None, vec![d])) {
            return;
        }
        if restart == MAX_RESTARTS {
            report_unread(path, source, limits, n, each);
        }
        skip = n;
    }
}

/// Every grant after grant `after`, each as not read (too many grants were too large).
fn report_unread(
    path: &Path,
    source: &str,
    limits: &Limits,
    after: usize,
    each: &mut dyn FnMut(Item) -> bool,
) {
    let total = match pass(path, source, limits, usize::MAX, &mut |_| true) {
        Ok((_, count)) => count,
        Err(_) => after,
    };
    for k in after + 1..=total {
        let d = Diagnostic::error(
            source,
            format!(
                "grant {k} was not read: more than {MAX_RESTARTS} grants before it are larger than one bid"
            ),
        );
        if !each(failed(source, Some(k), None, vec![d])) {
            return;
        }
    }
}

/// One pass over the package, giving out the grants after the first `skip`: how it ended, and
/// how many grants it went through.
fn pass(
    path: &Path,
    source: &str,
    limits: &Limits,
    skip: usize,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<(Pass, usize), Diagnostic> {
    let file = super::open(path, source)?;
    let max = limits.max_bid_bytes as u64;
    let budget = super::Budget::default();
    budget.allow(0, max);
    let reader = super::Bounded {
        inner: std::io::BufReader::with_capacity(256 * 1024, file),
        budget: budget.clone(),
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut pkg = Package {
        source,
        each,
        seen_grants: false,
        budget: budget.clone(),
        max,
        count: 0,
        skip,
        stopped: false,
        locator: super::Locator::new(path),
    };
    let result = serde::Deserializer::deserialize_map(&mut de, &mut pkg);
    let pass = match result {
        Err(e) if budget.exceeded() && pkg.seen_grants => {
            Pass::TooLarge(pkg.count + 1, (e.line().max(1), e.column().max(1)))
        }
        Err(e) if budget.exceeded() => Pass::Broken(
            Diagnostic::error(
                source,
                format!(
                    "a key of the package is larger than {} MiB, the limit for one bid; the file was not read",
                    limits.max_bid_bytes / 1024 / 1024
                ),
            )
            .at(e.line().max(1), e.column().max(1)),
        ),
        Err(e) => Pass::Broken(
            Diagnostic::error(
                source,
                format!(
                    "invalid 360Giving JSON: {}{}",
                    e.to_string().split(" at line ").next().unwrap_or_default(),
                    if pkg.seen_grants {
                        format!("; the grants after grant {} were not read", pkg.count)
                    } else {
                        String::new()
                    }
                ),
            )
            .at(e.line().max(1), e.column().max(1)),
        ),
        Ok(()) if !pkg.seen_grants => Pass::Broken(Diagnostic::error(
            source,
            "no `grants` array in this 360Giving package",
        )),
        Ok(()) => Pass::Done,
    };
    Ok((pass, pkg.count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_a_grant_and_leaves_the_rest_not_stated() {
        let g = json!({
            "id": "360G-x-1", "title": "Lunch club", "description": "Weekly lunches for older people.",
            "currency": "GBP", "amountAwarded": 5000, "amountAppliedFor": 0,
            "plannedDates": [{"startDate": "2015-07-01T00:00:00+00:00", "endDate": "2016-06-30T00:00:00+00:00"}],
            "recipientOrganization": [{"id": "GB-CHC-1", "name": "Age Well", "charityNumber": "1"}],
            "beneficiaryLocation": [{"name": "Viking", "geoCode": "E05005101"}]
        });
        assert_eq!(
            grant_to_bid(&g).unwrap(),
            json!({
                "id": "360G-x-1", "title": "Lunch club", "summary": "Weekly lunches for older people.",
                "funding": {"amount_requested": 5000.0, "currency": "GBP", "duration_months": 12},
                "applicant": {"name": "Age Well", "kind": "charity"},
                "place": {"locality": "Viking", "area_code": "E05005101"}
            })
        );
    }

    #[test]
    fn an_award_of_zero_is_stated_as_zero() {
        let g = json!({"id": "g", "title": "t", "amountAwarded": 0, "amountAppliedFor": 0});
        assert_eq!(
            grant_to_bid(&g).unwrap()["funding"]["amount_requested"],
            json!(0.0)
        );
    }
}
