//! The appraisal as one self-contained HTML page for a panel: an impact-profile chart (inline
//! SVG, each indicator's score against the checklist's bands), the indicator and theme tables,
//! the checklist, the findings in the bid's own words, ranked advice and provenance.
//!
//! Rendered with minijinja and HTML auto-escaping: everything that came from a bid is escaped,
//! and the chart is drawn by the template from numbers, so no bid text reaches the page
//! unescaped. The page loads nothing from the network and prints cleanly (`@media print`).
//! The web page served by `stronger serve` shows the same section ([`html_section`]) so there is
//! one chart and one report.

use super::signed;
use crate::appraisal::{Appraisal, Status};
use crate::checklist::Checklist;
use serde::Serialize;
use std::sync::OnceLock;

/// The report's style sheet: screen and print. The web page served by `stronger serve` uses it
/// too.
pub const REPORT_CSS: &str = r#"
.report { font: 15px/1.5 system-ui, sans-serif; color: #1b1b1b; }
.report h2 { font-size: 1.5rem; margin: 1.5rem 0 .3rem; }
.report h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; border-bottom: 2px solid #dddddd; }
.report table { border-collapse: collapse; margin: .5rem 0; width: 100%; }
.report th, .report td { border: 1px solid #cccccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
.report th { background: #f3f3f3; }
.report td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.report .outcome { display: inline-block; padding: .15rem .6rem; border-radius: .3rem; font-weight: 600; color: #ffffff; background: #7a5f00; }
.report .outcome.best { background: #1e7b34; } .report .outcome.worst { background: #b3261e; }
.report .incomplete { color: #b3261e; font-weight: 600; }
.report .placeholders { border-left: 4px solid #7a5f00; padding: 0 0.8em; }
.report .st-met { color: #1e7b34; } .report .st-met-weakly { color: #1e7b34; font-style: italic; opacity: 0.8; } .report .st-not-met { color: #b3261e; font-weight: 600; }
.report .st-not-stated { color: #7a5f00; font-style: italic; } .report .st-not-applicable { color: #595959; }
.report .band-pos { color: #1e7b34; } .report .band-neg { color: #b3261e; }
.report blockquote { margin: .2rem 0 .6rem 1rem; padding-left: .6rem; border-left: 3px solid #cccccc; color: #1b1b1b; }
.report .meta { color: #555555; font-size: .9rem; }
.report code { font-size: .85em; word-break: break-all; }
.report .rule { white-space: nowrap; }
.report svg.chart { max-width: 100%; height: auto; }
.report svg.chart text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
.report svg.chart .tick { fill: #555555; font-size: 11px; }
.report .legend { display: flex; flex-wrap: wrap; gap: .2rem 1rem; align-items: center; margin: .2rem 0; color: #555555; font-size: .9rem; }
.report .legend .key { display: inline-flex; gap: .3rem; align-items: center; white-space: nowrap; color: #1b1b1b; }
.report .cover { border: 2px solid #cccccc; border-radius: .4rem; padding: .2rem 1.2rem 1rem; margin: 1rem 0 2rem; }
.report .cover h2 { margin-top: .8rem; }
@media print {
  .report { font-size: 11pt; }
  .report section.bid, .report .cover { break-after: page; }
  .report table, .report svg.chart, .report li { break-inside: avoid; }
  .report .outcome { color: #1b1b1b; background: none; border: 2px solid #1b1b1b; }
}
"#;

const PAGE: &str = r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% if bids | length == 1 %}{{ bids[0].id }} — {{ bids[0].title }}{% else %}Appraisals{% endif %}</title>
<style>
body { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
@media print { body { margin: 0; max-width: none; } }
{{ css | safe }}
</style>
</head>
<body class="report">
<h1>{% if bids | length == 1 %}Appraisal{% else %}Appraisals ({{ bids | length }} bids){% endif %}</h1>
<p class="meta">Checklist {{ checklist }} {{ version }} (<code>{{ hash }}</code>), {{ engine }}.</p>
{% if bids | length == 1 %}{% with bid = bids[0] %}{% include "cover.html" %}{% endwith %}{% endif %}
{% for bid in bids %}{% include "section.html" %}{% endfor %}
</body>
</html>
"##;

const SECTION: &str = r##"<section class="bid" data-bid="{{ bid.id }}">
<h2>{{ bid.id }} — {{ bid.title }}</h2>
<p><span class="outcome{% if bid.outcome_rank == "best" %} best{% elif bid.outcome_rank == "worst" %} worst{% endif %}" data-outcome="{{ bid.outcome }}">{{ bid.outcome_label }}</span>
 Total <strong>{{ bid.total }}</strong>{% if not bid.complete %} · <span class="incomplete">incomplete: a rule failed (see the rule errors)</span>{% endif %}</p>
{%- if bid.placeholders %}
<div class="placeholders"><p><strong>Examples to replace</strong> (advice wrote them; they count as no more than the bid's own words):</p>
<ul>
{%- for p in bid.placeholders %}
<li><code>{{ p.field }}</code>: {{ p.value }}</li>
{%- endfor %}
</ul></div>
{%- endif %}
<h3>Impact profile</h3>
<svg class="chart" role="img" aria-label="Impact profile: each indicator's score against the bands, coloured by its band, shaded by confidence" width="{{ bid.chart.width }}" height="{{ bid.chart.height }}" viewBox="0 0 {{ bid.chart.width }} {{ bid.chart.height }}">
{%- for b in bid.chart.bands %}
<rect x="{{ b.x }}" y="{{ bid.chart.top }}" width="{{ b.w }}" height="{{ bid.chart.plot_height }}" fill="{{ b.colour }}" fill-opacity="0.12"><title>{{ b.label }}</title></rect>
<line x1="{{ b.mid }}" y1="{{ b.label_y + 3 }}" x2="{{ b.mid }}" y2="{{ bid.chart.top }}" stroke="{{ b.colour }}" stroke-width="1"/>
<text x="{{ b.label_x }}" y="{{ b.label_y }}" text-anchor="middle" class="tick" style="fill: {{ b.colour }}">{{ b.label }}</text>
{%- endfor %}
{%- for t in bid.chart.ticks %}
<line x1="{{ t.x }}" y1="{{ bid.chart.top }}" x2="{{ t.x }}" y2="{{ bid.chart.bottom }}" stroke="{% if t.zero %}#1b1b1b{% else %}#dddddd{% endif %}" stroke-width="1"/>
<text x="{{ t.x }}" y="{{ bid.chart.bottom + 14 }}" text-anchor="middle" class="tick">{{ t.label }}</text>
{%- endfor %}
{%- for r in bid.chart.rows %}
<text x="{{ bid.chart.label_x }}" y="{{ r.y + 13 }}" text-anchor="end">{{ r.id }} {{ r.name }}</text>
<rect x="{{ r.x }}" y="{{ r.y + 4 }}" width="{{ r.w }}" height="12" fill="{{ r.colour }}" fill-opacity="{{ r.opacity }}" stroke="{{ r.colour }}" stroke-width="1.5" data-confidence="{{ r.confidence }}"><title>{{ r.id }}: {{ r.score }} ({{ r.band }}, {{ r.confidence }} confidence)</title></rect>
<circle cx="{{ r.cx }}" cy="{{ r.y + 10 }}" r="4" fill="#1b1b1b"/>
<text x="{{ bid.chart.value_x }}" y="{{ r.y + 13 }}">{{ r.score }} {{ r.band }} ({{ r.confidence }})</text>
{%- endfor %}
</svg>
<p class="legend"><span>Bands:</span>{% for b in bid.chart.legend %} <span class="key"><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="{{ b.colour }}"/></svg>{{ b.text }}</span>{% endfor %}</p>
<p class="legend"><span>Confidence (bar shading):</span>{% for c in bid.chart.confidence %} <span class="key"><svg width="28" height="14" aria-hidden="true"><rect x="1" y="1" width="26" height="12" fill="#1b1b1b" fill-opacity="{{ c.opacity }}" stroke="#1b1b1b" stroke-width="1.5"/></svg>{{ c.label }}</span>{% endfor %}</p>
<table>
<tr><th>Indicator</th><th>Score</th><th>Band</th><th>Confidence</th></tr>
{%- for r in bid.chart.rows %}
<tr><td>{{ r.id }} {{ r.name }}</td><td class="num">{{ r.score }}</td><td class="band-{{ r.tone }}">{{ r.band }}</td><td>{{ r.confidence }}</td></tr>
{%- endfor %}
</table>
<table>
<tr><th>Theme</th><th>Score</th><th>Band</th></tr>
{%- for t in bid.themes %}
<tr><td>{{ t.name }}</td><td class="num">{{ t.score }}</td><td class="band-{{ t.tone }}">{{ t.band }}</td></tr>
{%- endfor %}
</table>
<h3>Checklist</h3>
<table>
<tr><th>Rule</th><th>Item</th><th>Status</th><th>Why / what to ask</th></tr>
{%- for i in bid.checklist %}
<tr><td class="rule">{{ i.rule }}</td><td>{{ i.title }}</td><td class="st-{{ i.status }}">{{ i.status_label }}</td><td>{% if i.ask %}<em>Ask:</em> {{ i.ask }}{% else %}{{ i.reason }}{% endif %}</td></tr>
{%- endfor %}
</table>
{%- if bid.contradictions %}
<h3>Contradictions</h3>
{%- if bid.without_contradictions %}
<p class="meta">Without its contradictions looked for, the bid would be: {{ bid.without_contradictions }}.</p>
{%- endif %}
<ul>
{%- for x in bid.contradictions %}
<li><strong>{{ x.id }}</strong> ({{ x.kind }}): {{ x.description }}<ul>
{%- for s in x.sides %}
<li><code>{{ s.field }}</code>: {{ s.quoted }}</li>
{%- endfor %}
</ul><em>Ask:</em> {{ x.ask }}{% if x.items %} <span class="meta">Not stated now: {{ x.items }}</span>{% endif %}</li>
{%- endfor %}
</ul>
{%- endif %}
{%- if bid.findings %}
<h3>Findings</h3>
<ul>
{%- for f in bid.findings %}
<li><strong>{{ f.indicator }}</strong> {{ f.impact }} (<span class="rule">{{ f.rule }}</span>, {{ f.confidence }} confidence)<blockquote>{{ f.reason }}</blockquote></li>
{%- endfor %}
</ul>
{%- endif %}
{%- if bid.advice %}
<h3>Advice</h3>
<ol>
{%- for a in bid.advice %}
<li>{{ a.text }} <span class="meta">(<span class="rule">{{ a.rule }}</span>; {{ a.indicators }}; likely gain {{ a.gain }})</span></li>
{%- endfor %}
</ol>
{%- endif %}
{%- if bid.errors %}
<h3>Rule errors</h3>
<ul>
{%- for e in bid.errors %}
<li class="incomplete">{{ e.rule }} at <code>{{ e.location }}</code>: {{ e.message }}</li>
{%- endfor %}
</ul>
{%- endif %}
<h3>Provenance</h3>
<p class="meta">Checklist {{ bid.provenance.checklist }} {{ bid.provenance.version }} (<code>{{ bid.provenance.hash }}</code>){% for l in bid.provenance.layers %}, built on {{ l }}{% endfor %}; {{ bid.provenance.engine }}; bid <code>{{ bid.hash }}</code>.</p>
</section>
"##;

/// The one-page cover of a single bid's report: what a panel member reads first.
const COVER: &str = r##"<section class="cover" aria-label="At a glance">
<h2>At a glance: {{ bid.id }} — {{ bid.title }}</h2>
<p><span class="outcome{% if bid.outcome_rank == "best" %} best{% elif bid.outcome_rank == "worst" %} worst{% endif %}">{{ bid.outcome_label }}</span>
 Total <strong>{{ bid.total }}</strong>{% if not bid.complete %} · <span class="incomplete">incomplete: a rule failed (see the rule errors)</span>{% endif %}</p>
{%- for p in bid.cover.profiles %}
<p><strong>{{ p.name }}:</strong> {{ p.band }} ({{ p.score }})</p>
{%- endfor %}
<h3>The three strongest findings</h3>
{%- if bid.cover.strongest %}
<ol>
{%- for f in bid.cover.strongest %}
<li><strong>{{ f.indicator }}</strong> {{ f.impact }} (<span class="rule">{{ f.rule }}</span>, {{ f.confidence }} confidence): {{ f.reason }}</li>
{%- endfor %}
</ol>
{%- else %}
<p>No finding raises an indicator.</p>
{%- endif %}
<h3>Three questions to ask</h3>
{%- if bid.cover.questions %}
<ol>
{%- for q in bid.cover.questions %}
<li>{{ q.ask }} <span class="meta">(<span class="rule">{{ q.rule }}</span>)</span></li>
{%- endfor %}
</ol>
{%- else %}
<p>The bid answers every question the checklist asks.</p>
{%- endif %}
</section>
"##;

/// What the cover shows beside the outcome.
#[derive(Serialize)]
struct Cover {
    /// The profiles (soundness): shown apart from the indicators, never added to them.
    profiles: Vec<ThemeRow>,
    /// The findings that raise an indicator most, at most three.
    strongest: Vec<FindingRow>,
    /// The questions of the heaviest items the bid does not answer, at most three.
    questions: Vec<Question>,
}

#[derive(Serialize)]
struct Question {
    rule: String,
    ask: String,
}

#[derive(Serialize)]
struct Page<'a> {
    css: &'static str,
    checklist: &'a str,
    version: &'a str,
    hash: &'a str,
    engine: &'static str,
    bids: Vec<Section>,
}

#[derive(Serialize)]
struct Section {
    id: String,
    title: String,
    hash: String,
    outcome: String,
    outcome_label: String,
    /// `best`, `worst` or `middle`: the outcome's place in the screening policy, for colour.
    outcome_rank: &'static str,
    total: String,
    complete: bool,
    chart: Chart,
    themes: Vec<ThemeRow>,
    checklist: Vec<Item>,
    contradictions: Vec<ContradictionRow>,
    /// The outcome's label with the contradictions not looked for, when it differs.
    without_contradictions: Option<String>,
    findings: Vec<FindingRow>,
    advice: Vec<AdviceRow>,
    errors: Vec<ErrorRow>,
    placeholders: Vec<crate::appraisal::Placeholder>,
    provenance: ProvenanceRow,
    cover: Cover,
}

#[derive(Serialize)]
struct ContradictionRow {
    id: String,
    kind: String,
    description: String,
    sides: Vec<SideRow>,
    items: String,
    ask: String,
}

#[derive(Serialize)]
struct SideRow {
    field: String,
    quoted: String,
}

#[derive(Serialize)]
struct Chart {
    width: u32,
    height: u32,
    top: u32,
    bottom: u32,
    plot_height: u32,
    label_x: u32,
    value_x: u32,
    bands: Vec<BandRegion>,
    ticks: Vec<Tick>,
    rows: Vec<ChartRow>,
    /// Each band, its colour and where it starts, best first: `strongly positive from 4.00`.
    legend: Vec<LegendKey>,
    /// How confidence shades a bar.
    confidence: Vec<ConfidenceKey>,
}

#[derive(Serialize)]
struct LegendKey {
    colour: &'static str,
    text: String,
}

#[derive(Serialize)]
struct ConfidenceKey {
    label: &'static str,
    opacity: &'static str,
}

/// A bar's fill opacity by confidence (its outline is always the band's full colour).
const CONFIDENCE: [(crate::appraisal::Confidence, &str); 3] = [
    (crate::appraisal::Confidence::High, "1"),
    (crate::appraisal::Confidence::Medium, "0.5"),
    (crate::appraisal::Confidence::Low, "0.15"),
];

#[derive(Serialize)]
struct BandRegion {
    x: String,
    w: String,
    mid: String,
    label: String,
    /// Where the band's label sits: above the plot, on the first row where it overlaps no
    /// other label, with a line down to its region, so every band is labelled however narrow.
    label_x: String,
    label_y: u32,
    colour: &'static str,
}

#[derive(Serialize)]
struct Tick {
    x: String,
    label: String,
    zero: bool,
}

#[derive(Serialize)]
struct ChartRow {
    id: String,
    name: String,
    y: u32,
    x: String,
    w: String,
    cx: String,
    colour: &'static str,
    opacity: &'static str,
    score: String,
    band: String,
    tone: &'static str,
    confidence: &'static str,
}

#[derive(Serialize)]
struct ThemeRow {
    name: String,
    score: String,
    band: String,
    tone: &'static str,
}

#[derive(Serialize)]
struct Item {
    rule: String,
    title: String,
    status: &'static str,
    status_label: &'static str,
    reason: Option<String>,
    ask: Option<String>,
}

#[derive(Serialize)]
struct FindingRow {
    indicator: String,
    rule: String,
    impact: String,
    confidence: &'static str,
    reason: String,
}

#[derive(Serialize)]
struct AdviceRow {
    rule: String,
    text: String,
    indicators: String,
    gain: String,
}

#[derive(Serialize)]
struct ErrorRow {
    rule: String,
    location: String,
    message: String,
}

#[derive(Serialize)]
struct ProvenanceRow {
    checklist: String,
    version: String,
    hash: String,
    layers: Vec<String>,
    engine: String,
}

/// Chart geometry, in SVG user units.
const WIDTH: u32 = 820;
const LABEL_X: u32 = 236;
const PLOT_X0: f64 = 244.0;
const PLOT_X1: f64 = 560.0;
const VALUE_X: u32 = 568;
const ROW: u32 = 22;
/// Height of a row of band labels above the plot.
const LABEL_ROW: u32 = 14;

/// A coordinate with at most one decimal, so the output is stable and short.
fn coord(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Whether a band is above, at or below neutral: the band that holds a score of zero.
pub(crate) fn tone(c: &Checklist, band: &str) -> &'static str {
    let bands = &c.config.bands;
    let pos = bands.iter().position(|b| b.id == band);
    let neutral = bands.iter().position(|b| b.min.is_none_or(|m| 0.0 >= m));
    match (pos, neutral) {
        (Some(p), Some(n)) if p < n => "pos",
        (Some(p), Some(n)) if p > n => "neg",
        _ => "neu",
    }
}

pub(crate) fn band_label(c: &Checklist, band: &str) -> String {
    c.config
        .bands
        .iter()
        .find(|b| b.id == band)
        .map_or_else(|| band.to_string(), |b| b.label.clone())
}

/// The range of scores the chart shows: every band threshold and score, with a margin.
struct Scale {
    lo: f64,
    hi: f64,
    span: f64,
}

impl Scale {
    fn of(a: &Appraisal, c: &Checklist) -> Scale {
        let mut thresholds: Vec<f64> = c.config.bands.iter().filter_map(|b| b.min).collect();
        thresholds.sort_by(f64::total_cmp);
        let scores = a.indicators.values().map(|r| r.score);
        let lowest = thresholds
            .first()
            .copied()
            .unwrap_or(0.0)
            .min(scores.clone().fold(0.0, f64::min));
        let highest = thresholds
            .last()
            .copied()
            .unwrap_or(0.0)
            .max(scores.fold(0.0, f64::max));
        let lo = (lowest - 1.5).floor();
        let hi = (highest + 1.5).ceil();
        Scale {
            lo,
            hi,
            span: (hi - lo).max(1.0),
        }
    }

    /// Where a score sits on the plot, clamped to the range.
    fn x(&self, v: f64) -> f64 {
        PLOT_X0 + (v.clamp(self.lo, self.hi) - self.lo) / self.span * (PLOT_X1 - PLOT_X0)
    }
}

fn chart(a: &Appraisal, c: &Checklist) -> Chart {
    let scale = Scale::of(a, c);
    let (bands, label_rows) = band_regions(c, &scale);
    let top = 8 + LABEL_ROW * label_rows;
    let rows = chart_rows(a, c, &scale, top);
    let bottom = top + 8 + ROW * rows.len() as u32;
    let colours = super::palette::band_colours(c);
    Chart {
        width: WIDTH,
        height: bottom + 20,
        top,
        bottom,
        plot_height: bottom - top,
        label_x: LABEL_X,
        value_x: VALUE_X,
        bands,
        ticks: ticks(&scale),
        rows,
        legend: c
            .config
            .bands
            .iter()
            .zip(colours)
            .map(|(b, (_, colour))| LegendKey {
                colour,
                text: match b.min {
                    Some(m) => format!("{} from {m:.2}", b.label),
                    None => format!("{} below", b.label),
                },
            })
            .collect(),
        confidence: CONFIDENCE
            .iter()
            .map(|(c, opacity)| ConfidenceKey {
                label: c.as_str(),
                opacity,
            })
            .collect(),
    }
}

/// Bands best first, each from its `min` up to the next better band's, with their labels
/// placed; and how many rows of labels that took.
fn band_regions(c: &Checklist, scale: &Scale) -> (Vec<BandRegion>, u32) {
    let mut bands = Vec::new();
    let mut upper = scale.hi;
    let mut ordered: Vec<_> = c.config.bands.iter().collect();
    ordered.sort_by(|p, q| {
        q.min
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&p.min.unwrap_or(f64::NEG_INFINITY))
    });
    for b in ordered {
        let lower = b.min.unwrap_or(scale.lo).max(scale.lo);
        if lower >= upper {
            continue;
        }
        let (x0, x1) = (scale.x(lower), scale.x(upper));
        bands.push((b, x0, x1));
        upper = lower;
    }
    // Labels left to right, each on the lowest row where it fits beside the labels there.
    let mut by_x: Vec<usize> = (0..bands.len()).collect();
    by_x.sort_by(|&i, &j| {
        let mid = |k: usize| bands.get(k).map_or(0.0, |(_, x0, x1)| (x0 + x1) / 2.0);
        mid(i).total_cmp(&mid(j))
    });
    let mut row_ends: Vec<f64> = Vec::new();
    let mut placed = vec![(0.0, 0u32); bands.len()];
    for i in by_x {
        let Some((b, x0, x1)) = bands.get(i) else {
            continue;
        };
        // About 6.5 units a character at the chart's tick size.
        let half = (6.5 * b.label.chars().count() as f64 + 6.0) / 2.0;
        let mid = ((x0 + x1) / 2.0).clamp(half, f64::from(WIDTH) - half);
        let row = row_ends
            .iter()
            .position(|&end| mid - half >= end + 4.0)
            .unwrap_or(row_ends.len());
        match row_ends.get_mut(row) {
            Some(end) => *end = mid + half,
            None => row_ends.push(mid + half),
        }
        if let Some(p) = placed.get_mut(i) {
            *p = (mid, row as u32);
        }
    }
    let rows = row_ends.len().max(1) as u32;
    let top = 8 + LABEL_ROW * rows;
    let regions = bands
        .iter()
        .zip(placed)
        .map(|((b, x0, x1), (label_x, row))| BandRegion {
            x: coord(*x0),
            w: coord(x1 - x0),
            mid: coord((x0 + x1) / 2.0),
            label: b.label.clone(),
            label_x: coord(label_x),
            label_y: top - 4 - LABEL_ROW * row,
            colour: super::palette::band_colour(c, &b.id),
        })
        .collect();
    (regions, rows)
}

/// At most about ten ticks: a step of 1, 2, 5, 10, 20, 50, …
fn ticks(scale: &Scale) -> Vec<Tick> {
    let step = [1.0, 2.0, 5.0]
        .iter()
        .flat_map(|m| (0..6).map(move |e| m * 10f64.powi(e)))
        .filter(|s| scale.span / s <= 10.0)
        .fold(f64::INFINITY, f64::min);
    let step = if step.is_finite() { step } else { scale.span };
    let mut ticks = Vec::new();
    let mut t = (scale.lo / step).ceil() * step;
    while t <= scale.hi + f64::EPSILON {
        ticks.push(Tick {
            x: coord(scale.x(t)),
            // `+ 0.0` turns a negative zero into zero.
            label: format!("{:.0}", t + 0.0),
            zero: t == 0.0,
        });
        t += step;
    }
    ticks
}

/// One bar per indicator, from zero to its score, coloured by its band and shaded by its
/// confidence.
fn chart_rows(a: &Appraisal, c: &Checklist, scale: &Scale, top: u32) -> Vec<ChartRow> {
    a.indicators
        .iter()
        .enumerate()
        .map(|(i, (id, r))| {
            let (x0, x1) = (scale.x(0.0), scale.x(r.score));
            let tone = tone(c, &r.band);
            ChartRow {
                id: id.clone(),
                name: c
                    .config
                    .indicators
                    .iter()
                    .find(|ind| &ind.id == id)
                    .map(|ind| ind.short.clone().unwrap_or_else(|| ind.name.clone()))
                    .unwrap_or_default(),
                y: top + 4 + ROW * i as u32,
                x: coord(x0.min(x1)),
                w: coord((x1 - x0).abs()),
                cx: coord(x1),
                colour: super::palette::band_colour(c, &r.band),
                opacity: CONFIDENCE
                    .iter()
                    .find(|(conf, _)| *conf == r.confidence)
                    .map_or("1", |(_, o)| o),
                score: signed(r.score),
                band: band_label(c, &r.band),
                tone,
                confidence: r.confidence.as_str(),
            }
        })
        .collect()
}

fn section(a: &Appraisal, c: &Checklist) -> Section {
    let outcomes = &c.config.screening.outcomes;
    let pos = outcomes.iter().position(|o| o.id == a.outcome);
    let outcome_rank = match pos {
        Some(0) => "best",
        Some(p) if p + 1 == outcomes.len() => "worst",
        _ => "middle",
    };
    Section {
        id: a.proposal.id.clone(),
        title: a.proposal.title.clone(),
        hash: a.proposal.hash.clone(),
        outcome: a.outcome.clone(),
        outcome_label: c.config.screening.label(&a.outcome).to_string(),
        outcome_rank,
        total: signed(a.total),
        complete: a.complete,
        chart: chart(a, c),
        themes: theme_rows(a, c),
        checklist: items(a),
        contradictions: a
            .contradictions
            .iter()
            .map(|x| ContradictionRow {
                id: x.id.clone(),
                kind: x.kind.clone(),
                description: x.description.clone(),
                sides: x
                    .sides()
                    .iter()
                    .map(|s| SideRow {
                        field: s.field.clone(),
                        quoted: s.quoted(),
                    })
                    .collect(),
                items: x.items.join(", "),
                ask: x.ask.clone(),
            })
            .collect(),
        without_contradictions: a
            .outcome_without_contradictions
            .as_deref()
            .filter(|b| *b != a.outcome)
            .map(|b| c.config.screening.label(b).to_string()),
        findings: finding_rows(a),
        advice: a
            .advice
            .iter()
            .map(|adv| AdviceRow {
                rule: adv.rule.clone(),
                text: adv.text.clone(),
                indicators: adv.indicators.join(", "),
                gain: signed(adv.gain),
            })
            .collect(),
        errors: a
            .errors
            .iter()
            .map(|e| ErrorRow {
                rule: e.rule.clone(),
                location: e.location(),
                message: e.message.clone(),
            })
            .collect(),
        placeholders: a.placeholders.clone(),
        provenance: provenance_row(a),
        cover: cover(a, c),
    }
}

/// The cover: the profiles, the three findings that raise an indicator most (largest impact
/// first, then checklist order), and the questions of the three heaviest items not stated
/// (the rule's weight in force, then checklist order).
fn cover(a: &Appraisal, c: &Checklist) -> Cover {
    let mut strongest: Vec<FindingRow> = Vec::new();
    let mut impacts: Vec<(f64, FindingRow)> = a
        .indicators
        .iter()
        .flat_map(|(id, r)| {
            r.findings.iter().filter(|f| f.impact > 0.0).map(move |f| {
                (
                    f.impact,
                    FindingRow {
                        indicator: id.clone(),
                        rule: f.rule.clone(),
                        impact: signed(f.impact),
                        confidence: f.confidence.as_str(),
                        reason: f.reason.clone(),
                    },
                )
            })
        })
        .collect();
    // Stable: equal impacts keep the appraisal's order.
    impacts.sort_by(|x, y| y.0.total_cmp(&x.0));
    strongest.extend(impacts.into_iter().take(3).map(|(_, f)| f));
    let weight = |rule: &str| {
        c.rules
            .iter()
            .find(|r| r.meta.id == rule)
            .map_or(0.0, |r| r.weight)
    };
    let mut asks: Vec<(f64, Question)> = a
        .checklist
        .iter()
        .filter(|i| i.status == Status::NotStated)
        .filter_map(|i| {
            Some((
                weight(&i.rule),
                Question {
                    rule: i.rule.clone(),
                    ask: i.ask.clone()?,
                },
            ))
        })
        .collect();
    asks.sort_by(|x, y| y.0.total_cmp(&x.0));
    let profiles = theme_rows(a, c)
        .into_iter()
        .zip(a.themes.keys())
        .filter(|(_, id)| c.config.themes.iter().any(|t| &t.id == *id && t.profile))
        .map(|(row, _)| row)
        .collect();
    Cover {
        profiles,
        strongest,
        questions: asks.into_iter().take(3).map(|(_, q)| q).collect(),
    }
}

fn theme_rows(a: &Appraisal, c: &Checklist) -> Vec<ThemeRow> {
    a.themes
        .iter()
        .map(|(id, t)| {
            let theme = c.config.themes.iter().find(|x| &x.id == id);
            // A profile's band is one of its own bands, labelled there.
            let own = theme
                .and_then(|x| x.bands.iter().find(|b| b.id == t.band))
                .map(|b| b.label.clone());
            ThemeRow {
                name: theme.map_or_else(|| id.clone(), |x| x.name.clone()),
                score: signed(t.score),
                band: own.unwrap_or_else(|| band_label(c, &t.band)),
                tone: tone(c, &t.band),
            }
        })
        .collect()
}

fn items(a: &Appraisal) -> Vec<Item> {
    a.checklist
        .iter()
        .map(|i| Item {
            rule: i.rule.clone(),
            title: i.title.clone(),
            status: if i.weak && i.status == Status::Met {
                "met-weakly"
            } else {
                i.status.as_str()
            },
            status_label: match i.status {
                Status::Met if i.weak => "met weakly (the bid's words only)",
                Status::Met => "met",
                Status::NotMet => "not met",
                Status::NotStated => "not stated",
                Status::NotApplicable => "not applicable",
            },
            reason: i.reason.clone(),
            ask: i.ask.clone(),
        })
        .collect()
}

fn finding_rows(a: &Appraisal) -> Vec<FindingRow> {
    a.indicators
        .iter()
        .flat_map(|(id, r)| {
            r.findings.iter().map(move |f| FindingRow {
                indicator: id.clone(),
                rule: f.rule.clone(),
                impact: signed(f.impact),
                confidence: f.confidence.as_str(),
                reason: f.reason.clone(),
            })
        })
        .collect()
}

fn provenance_row(a: &Appraisal) -> ProvenanceRow {
    let p = &a.provenance;
    ProvenanceRow {
        checklist: p.checklist.clone(),
        version: p.version.clone(),
        hash: p.hash.clone(),
        layers: p
            .layers
            .iter()
            .map(|l| format!("{} {} ({})", l.checklist, l.version, l.hash))
            .collect(),
        engine: p.engine.clone(),
    }
}

fn env() -> &'static minijinja::Environment<'static> {
    static ENV: OnceLock<minijinja::Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        super::html_templates(&[
            ("page.html", PAGE),
            ("section.html", SECTION),
            ("cover.html", COVER),
        ])
    })
}

fn render_named(name: &str, ctx: impl Serialize) -> String {
    env()
        .get_template(name)
        .and_then(|t| t.render(minijinja::value::Serde(ctx)))
        // The templates are fixed and tested; a rendering error would be a bug, shown in the page.
        .unwrap_or_else(|e| {
            let mut msg = e.to_string();
            let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            format!(
                "<p>error: cannot render the report: {}</p>\n",
                minijinja::HtmlEscape(&msg)
            )
        })
}

/// Appraisals as one self-contained HTML page: one section per bid, in the order given.
pub fn html(appraisals: &[Appraisal], checklist: &Checklist) -> String {
    let page = Page {
        css: REPORT_CSS,
        checklist: checklist.name(),
        version: checklist.version(),
        hash: checklist.hash(),
        engine: crate::ENGINE,
        bids: appraisals.iter().map(|a| section(a, checklist)).collect(),
    };
    render_named("page.html", page)
}

/// One appraisal as an HTML `<section>` (no page around it): what the web page shows live.
pub fn html_section(appraisal: &Appraisal, checklist: &Checklist) -> String {
    #[derive(Serialize)]
    struct One {
        bid: Section,
    }
    render_named(
        "section.html",
        One {
            bid: section(appraisal, checklist),
        },
    )
}
