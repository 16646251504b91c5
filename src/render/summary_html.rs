//! `summary.html`: the ranked round as one self-contained page, on the auto-escaping minijinja
//! templates like every other page, written a row at a time (a head, a row, a tail template)
//! so a round of any size is never held whole.
//!
//! Made for 5,000 bids: short outcome badges (the full label on hover), each core indicator's
//! score in its band's colour with the band named under it and its confidence as a mark
//! (solid, half, hollow), a legend of both (the indicator's name on hover, on its heading too), a
//! sticky header, each id on one line (never broken at its hyphens),
//! each bid's id linked to its own report when `--reports` wrote them, and with a budget the
//! running total and the bid where the pot runs out. A small inline script sorts by any column
//! and filters by a search box; with JavaScript off the table is all there, in ranked order.
//! Nothing is loaded from the network.

use super::summary::{Counts, Fit, Line, Pot, Ranking, Row, Summary, money, percent};
use crate::checklist::Checklist;
use serde::Serialize;
use std::io::{self, Write};
use std::sync::OnceLock;

const HEAD: &str = r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Screening summary — {{ checklist }} {{ version }}</title>
<style>
body { margin: 1.5rem; }
{{ css | safe }}
.report table.summary { width: auto; min-width: 100%; font-size: .9rem; }
.report table.summary thead th { position: sticky; top: 0; z-index: 1; background: #f3f3f3; box-shadow: 0 1px 0 #cccccc; white-space: nowrap; }
.report table.summary th[data-type] { cursor: pointer; }
.report table.summary th[aria-sort=ascending]::after { content: " ▲"; }
.report table.summary th[aria-sort=descending]::after { content: " ▼"; }
.report table.summary td.id { white-space: nowrap; }
.report td.band { font-weight: 600; }
.report td.band small { display: block; font-weight: 400; font-size: .75rem; white-space: nowrap; }
.report .conf { font-size: .8rem; }
.report .badge { display: inline-block; padding: 0 .4rem; border-radius: .25rem; font-weight: 600; white-space: nowrap; color: #ffffff; background: #7a5f00; }
.report .badge.best { background: #1e7b34; } .report .badge.funded { background: #2f6f3e; } .report .badge.worst { background: #b3261e; }
.report tr.pot-out td { border-top: 3px solid #b3261e; }
.report .pot-out-note { color: #b3261e; font-weight: 600; }
.report #filter { font: inherit; padding: .3rem .5rem; width: 24rem; max-width: 100%; margin: .5rem 0; }
@media print { body { margin: 0; } .report #filter, .report #shown { display: none; } .report table.summary thead th { position: static; } }
</style>
</head>
<body class="report">
<h1>Screening summary</h1>
<p class="meta">Checklist {{ checklist }} {{ version }} (<code>{{ hash }}</code>), {{ engine }}. {{ ranked }} bids ranked by outcome, then total{% if unreadable %}; {{ unreadable }} could not be read (listed below the table){% endif %}.{% if pot %} A pot of {{ pot }}: the running total adds up what the bids that would be funded ({{ funded }}) ask for, in rank order.{% endif %}</p>
<p class="legend"><span>Bands:</span>{% for b in bands %} <span class="key"><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="{{ b.colour }}"/></svg>{{ b.label }}</span>{% endfor %}</p>
<p class="legend"><span>Confidence:</span> <span class="key"><span class="conf">●</span> high</span> <span class="key"><span class="conf">◐</span> medium</span> <span class="key"><span class="conf">○</span> low</span></p>
<p><label for="filter" class="meta">Filter</label> <input type="search" id="filter" placeholder="Filter by id, title, applicant, outcome…" aria-label="Filter the bids" hidden> <span id="shown" class="meta"></span></p>
<table class="summary" id="ranking">
<thead><tr><th data-type="num">Rank</th><th data-type="text">Id</th><th data-type="text">Title</th><th data-type="text">Applicant</th><th data-type="num">Amount</th><th data-type="text">Outcome</th><th data-type="num">Total</th>
{%- for i in indicators %}<th data-type="num" title="{{ i.id }}: {{ i.name }}">{{ i.id }}</th>{% endfor -%}
<th data-type="num" title="checklist items met">Met</th><th data-type="num" title="checklist items not met">Not met</th><th data-type="num" title="checklist items the bid does not answer: the questions to send">Not stated</th><th data-type="num" title="the share of the bid's score that a stated field, evidence or a measured target backs, not its prose alone">Verified</th><th data-type="num" title="places where the bid says two things that cannot both hold: the applicant is asked which is right">Contradictions</th><th data-type="text">Complete</th>
{%- if pot %}<th data-type="num" title="what the bids that would be funded ask for, so far, in rank order">Running total</th><th data-type="text">Within the pot</th>{% endif %}</tr></thead>
<tbody>
"##;

const ROW: &str = r##"<tr data-outcome="{{ outcome }}"{% if pot_out %} class="pot-out"{% endif %}><td class="num" data-v="{{ rank }}">{{ rank }}</td><td class="id">{% if report %}<a href="{{ report }}">{{ id }}</a>{% else %}{{ id }}{% endif %}</td><td>{{ title }}</td><td>{{ applicant }}</td><td class="num" data-v="{{ amount_v }}">{{ amount }}</td><td data-v="{{ outcome_rank }}"><span class="badge {{ tone }}" title="{{ outcome_label }}">{{ badge }}</span></td><td class="num" data-v="{{ total_v }}">{{ total }}</td>
{%- for b in bands %}<td class="num band" data-v="{{ b.v }}" title="{{ b.title }}" style="color: {{ b.colour }}">{{ b.score }} <span class="conf" aria-label="{{ b.confidence }} confidence">{{ b.mark }}</span><small>{{ b.label }}</small></td>{% endfor -%}
<td class="num">{{ met }}</td><td class="num">{{ not_met }}</td><td class="num">{{ not_stated }}</td><td class="num" data-v="{{ verified_v }}">{{ verified }}</td><td class="num">{{ contradictions }}</td><td>{% if complete %}yes{% else %}<strong>no</strong>{% endif %}</td>
{%- if budget %}<td class="num" data-v="{{ running_v }}">{{ running }}</td><td{% if pot_out %} class="pot-out-note"{% endif %}>{{ fit }}</td>{% endif %}</tr>
"##;

const ERRORS: &str = r##"</tbody>
</table>
<h2>Bids that could not be read ({{ unreadable }})</h2>
<ul>
"##;

const ERROR: &str = "<li>{{ error }}</li>\n";

const TAIL: &str = r##"{% if errors %}</ul>{% else %}</tbody>
</table>{% endif %}
<script>
(function () {
  var table = document.getElementById("ranking");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("filter");
  var shown = document.getElementById("shown");
  function count() { var n = 0; rows.forEach(function (r) { if (!r.hidden) n++; }); shown.textContent = n + " of " + rows.length + " bids shown"; }
  function key(cell, type) {
    var v = cell.getAttribute("data-v");
    if (type === "num") { var x = parseFloat(v === null ? cell.textContent : v); return isNaN(x) ? -Infinity : x; }
    return cell.textContent.toLowerCase();
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    var type = th.getAttribute("data-type");
    if (!type) return;
    th.tabIndex = 0;
    function sort() {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = key(a.cells[i], type), y = key(b.cells[i], type);
        return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
  });
  filter.hidden = false;
  filter.addEventListener("input", function () {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    rows.forEach(function (r) {
      var text = r.textContent.toLowerCase();
      r.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
    });
    count();
  });
  count();
})();
</script>
</body>
</html>
"##;

fn env() -> &'static minijinja::Environment<'static> {
    static ENV: OnceLock<minijinja::Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        super::html_templates(&[
            ("head.html", HEAD),
            ("row.html", ROW),
            ("errors.html", ERRORS),
            ("error.html", ERROR),
            ("tail.html", TAIL),
        ])
    })
}

/// Renders one of the page's templates onto `out`.
fn render(out: &mut impl Write, name: &str, ctx: impl Serialize) -> io::Result<()> {
    let t = env().get_template(name).map_err(io::Error::other)?;
    let text = t
        .render(minijinja::value::Serde(ctx))
        .map_err(io::Error::other)?;
    out.write_all(text.as_bytes())
}

/// The short form of an outcome's label, for its badge: the words before a colon, long words
/// cut ("Recommend with conditions" → "Rec. with con.").
pub(crate) fn badge(label: &str) -> String {
    let head = label.split(':').next().unwrap_or(label).trim();
    if head.chars().count() <= 12 {
        return head.to_string();
    }
    head.split_whitespace()
        .map(|w| {
            if w.chars().count() > 5 {
                format!("{}.", w.chars().take(3).collect::<String>())
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The colour of an outcome's badge: the best, one that is funded, the worst, or between.
fn outcome_tone(c: &Checklist, outcome: &str, pot: &Pot) -> &'static str {
    let outcomes = &c.config.screening.outcomes;
    match outcomes.iter().position(|o| o.id == outcome) {
        Some(0) => "best",
        Some(i) if i + 1 == outcomes.len() => "worst",
        _ if pot.funded.iter().any(|f| f == outcome) => "funded",
        _ => "",
    }
}

#[derive(Serialize)]
struct Indicator {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct Band {
    colour: &'static str,
    v: String,
    score: String,
    label: String,
    confidence: String,
    /// Confidence as a mark: high solid, medium half, low hollow.
    mark: &'static str,
    title: String,
}

#[derive(Serialize)]
struct LegendKey {
    colour: &'static str,
    label: String,
}

/// `summary.html`, being written.
pub(crate) struct SummaryHtml<'c, W: Write> {
    c: &'c Checklist,
    out: W,
    counts: Counts,
    ranking: Ranking,
    /// Which outcomes are funded (for the badges' colours), whether or not there is a budget.
    funded: Pot,
    indicators: Vec<Indicator>,
}

impl<'c, W: Write> SummaryHtml<'c, W> {
    pub(crate) fn new(
        c: &'c Checklist,
        counts: Counts,
        pot: Option<Pot>,
        mut out: W,
    ) -> io::Result<Self> {
        let indicators: Vec<Indicator> = c
            .config
            .indicators
            .iter()
            .filter(|i| i.core)
            .map(|i| Indicator {
                id: i.id.clone(),
                name: i.name.clone(),
            })
            .collect();
        let funded = Pot::new(c, 0.0);
        let labels: Vec<&str> = funded
            .funded
            .iter()
            .map(|o| c.config.screening.label(o))
            .collect();
        render(
            &mut out,
            "head.html",
            minijinja::context! {
                css => crate::render::REPORT_CSS,
                checklist => c.name(), version => c.version(), hash => c.hash(),
                engine => crate::ENGINE, ranked => counts.ranked, unreadable => counts.unreadable,
                indicators => minijinja::Value::from(minijinja::value::Serde(&indicators)),
                bands => minijinja::Value::from(minijinja::value::Serde(
                    crate::render::palette::band_colours(c)
                        .into_iter()
                        .map(|(id, colour)| LegendKey { colour, label: crate::render::band_label(c, &id) })
                        .collect::<Vec<_>>(),
                )),
                pot => pot.as_ref().map(|p| money(p.amount, "GBP")),
                funded => labels.join(", "),
            },
        )?;
        Ok(SummaryHtml {
            c,
            out,
            counts,
            ranking: Ranking::with(pot),
            funded,
            indicators,
        })
    }

    fn bands(&self, row: &Row) -> Vec<Band> {
        row.indicators
            .iter()
            .zip(&self.indicators)
            .enumerate()
            .map(|(k, ((score, band), i))| {
                let confidence = row.confidence.get(k).cloned().unwrap_or_default();
                let label = crate::render::band_label(self.c, band);
                Band {
                    colour: crate::render::palette::band_colour(self.c, band),
                    v: format!("{score}"),
                    score: crate::render::signed(*score),
                    mark: match confidence.as_str() {
                        "high" => "●",
                        "medium" => "◐",
                        _ => "○",
                    },
                    title: format!(
                        "{}: {}: {label} ({}), {confidence} confidence",
                        i.id,
                        i.name,
                        crate::render::signed(*score)
                    ),
                    label,
                    confidence,
                }
            })
            .collect()
    }

    fn ranked(&mut self, rank: usize, row: &Row, fit: Option<Fit>) -> io::Result<()> {
        let label = self.c.config.screening.label(&row.outcome).to_string();
        let ctx = minijinja::context! {
            rank, id => &row.id, title => &row.title, applicant => &row.applicant,
            report => &row.report, outcome => &row.outcome, outcome_rank => row.outcome_rank,
            amount => row.amount.map_or(String::new(), |a| money(a, &row.currency)),
            amount_v => row.amount.map_or(String::new(), |a| a.to_string()),
            badge => badge(&label), outcome_label => label,
            tone => outcome_tone(self.c, &row.outcome, &self.funded),
            total => crate::render::signed(row.total), total_v => row.total.to_string(),
            bands => minijinja::Value::from(minijinja::value::Serde(self.bands(row))),
            met => row.met, not_met => row.not_met, not_stated => row.not_stated,
            verified => row.verified.map_or(String::new(), percent),
            verified_v => row.verified.map_or(String::new(), |v| v.to_string()),
            contradictions => row.contradictions,
            complete => row.complete,
            budget => fit.is_some(),
            running => fit.and_then(Fit::total).map_or(String::new(), |t| money(t, &row.currency)),
            running_v => fit.and_then(Fit::total).map_or(String::new(), |t| t.to_string()),
            fit => fit.map_or("", Fit::label),
            pot_out => matches!(fit, Some(Fit::RunsOut(_))),
        };
        render(&mut self.out, "row.html", ctx)
    }
}

impl<W: Write> Summary<W> for SummaryHtml<'_, W> {
    fn row(&mut self, r: &Row) -> io::Result<()> {
        match self.ranking.line(r) {
            Line::Unreadable { row, first } => {
                if first {
                    let unreadable = self.counts.unreadable;
                    render(
                        &mut self.out,
                        "errors.html",
                        minijinja::context! { unreadable },
                    )?;
                }
                render(
                    &mut self.out,
                    "error.html",
                    minijinja::context! { error => &row.error },
                )
            }
            Line::Ranked { rank, row, fit } => self.ranked(rank, row, fit),
        }
    }

    fn finish(mut self) -> io::Result<W> {
        let errors = self.ranking.had_errors();
        render(&mut self.out, "tail.html", minijinja::context! { errors })?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_are_short() {
        assert_eq!(badge("Recommend"), "Recommend");
        assert_eq!(badge("Recommend with conditions"), "Rec. with con.");
        assert_eq!(badge("Refer: ask the applicant for more"), "Refer");
        assert_eq!(badge("Not recommended"), "Not rec.");
    }

    #[test]
    fn every_template_compiles() {
        for name in [
            "head.html",
            "row.html",
            "errors.html",
            "error.html",
            "tail.html",
        ] {
            assert!(env().get_template(name).is_ok(), "{name}");
        }
    }
}
