//! A partnership's portfolio as one self-contained HTML page: for each partnership and across
//! all, a chart of each core indicator's gains (to the right of zero) and harms (to the left),
//! the same numbers as a table, the largest gains and harms, the blockages, and the proposals
//! left out. The partnerships' charts share one scale, so their bars compare; the chart across
//! all has its own.
//!
//! Rendered with minijinja and HTML auto-escaping, as the appraisal's page is: the chart is drawn
//! by the template from numbers, and everything that came from a bid reaches the page escaped.
//! Colours come from `palette.rs` alone; the page loads nothing from the network and prints
//! cleanly.

use super::html::REPORT_CSS;
use super::palette;
use super::signed;
use crate::portfolio::{Group, Portfolio};
use serde::Serialize;
use std::sync::OnceLock;

const PAGE: &str = r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portfolio by {{ by }}</title>
<style>
body { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
@media print { body { margin: 0; max-width: none; } .report section.group { break-after: page; } }
{{ css | safe }}
</style>
</head>
<body class="report">
<h1>Portfolio: each partnership's contribution</h1>
{%- for line in summary %}
<p{% if loop.index > 1 %} class="incomplete"{% endif %}>{{ line }}</p>
{%- endfor %}
<p class="meta">Checklist {{ checklist }} (<code>{{ hash }}</code>), {{ engine }}. Each chart shows, for each core indicator, the sum of the proposals' gains (right of zero, {{ gain_name }}) and harms (left of zero, {{ harm_name }}); the net total is written beside it.</p>
{%- for g in groups %}
<section class="group" aria-labelledby="g{{ loop.index }}">
<h2 id="g{{ loop.index }}">{{ g.name }}: {{ g.count }}</h2>
{%- if g.outcomes %}<p>Outcomes: {{ g.outcomes }}.</p>{% endif %}
<svg class="chart" role="img" aria-label="{{ g.name }}: each core indicator's gains and harms; {{ g.described }}" width="{{ width }}" height="{{ g.height }}" viewBox="0 0 {{ width }} {{ g.height }}">
<line x1="{{ zero }}" y1="4" x2="{{ zero }}" y2="{{ g.height - 4 }}" stroke="#1b1b1b" stroke-width="1"/>
{%- for r in g.rows %}
<text x="{{ label_x }}" y="{{ r.y + 14 }}" text-anchor="end">{{ r.id }} {{ r.name }}</text>
{%- if r.harm_w > 0 %}
<rect x="{{ r.harm_x }}" y="{{ r.y + 4 }}" width="{{ r.harm_w }}" height="14" fill="{{ harm_colour }}"><title>{{ r.id }} harms: {{ r.harms }} from {{ r.negative }} proposal(s)</title></rect>
{%- endif %}
{%- if r.gain_w > 0 %}
<rect x="{{ zero }}" y="{{ r.y + 4 }}" width="{{ r.gain_w }}" height="14" fill="{{ gain_colour }}"><title>{{ r.id }} gains: {{ r.gains }} from {{ r.positive }} proposal(s)</title></rect>
{%- endif %}
<text x="{{ value_x }}" y="{{ r.y + 14 }}">{{ r.total }} ({{ r.positive }} +, {{ r.negative }} −)</text>
{%- endfor %}
</svg>
<p class="legend"><span class="key"><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="{{ gain_colour }}"/></svg>gains</span> <span class="key"><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="{{ harm_colour }}"/></svg>harms</span> <span>scale: the longest bar is {{ g.scale }}</span></p>
<table>
<tr><th>Indicator</th><th>Total</th><th>Gains</th><th>Harms</th><th>Proposals positive</th><th>Proposals negative</th></tr>
{%- for r in g.rows %}
<tr><td>{{ r.id }} {{ r.name }}</td><td class="num">{{ r.total }}</td><td class="num">{{ r.gains }}</td><td class="num">{{ r.harms }}</td><td class="num">{{ r.positive }}</td><td class="num">{{ r.negative }}</td></tr>
{%- endfor %}
</table>
{%- for list in g.lists %}
<h3>{{ list.heading }}</h3>
{%- if list.items %}
<ol>
{%- for r in list.items %}
<li><strong>{{ r.score }}</strong> {{ r.id }} — {{ r.title }} <span class="meta">({{ r.kind }}; {{ r.outcome }}; on {{ r.indicators }})</span></li>
{%- endfor %}
</ol>
{%- else %}
<p class="meta">None.</p>
{%- endif %}
{%- endfor %}
<h3>Blockages</h3>
{%- if g.blockages %}
<table>
<tr><th>Item</th><th>Proposals not met or not stated</th><th>Not met</th><th>Not stated</th></tr>
{%- for b in g.blockages %}
<tr><td><span class="rule">{{ b.rule }}</span> {{ b.title }}</td><td class="num">{{ b.count }}</td><td class="num">{{ b.not_met }}</td><td class="num">{{ b.not_stated }}</td></tr>
{%- endfor %}
</table>
{%- else %}
<p class="meta">None.</p>
{%- endif %}
</section>
{%- endfor %}
{%- if errors %}
<section class="group" aria-labelledby="left-out">
<h2 id="left-out">Left out: could not be read</h2>
<table>
<tr><th>Where</th><th>Id</th><th>Field</th><th>Problem</th></tr>
{%- for e in errors %}
<tr><td><code>{{ e.location }}</code></td><td>{{ e.id }}</td><td>{{ e.field }}</td><td>{{ e.message }}</td></tr>
{%- endfor %}
</table>
</section>
{%- endif %}
</body>
</html>
"##;

/// The chart's geometry: the width of the picture, where the labels end, where zero is, how
/// long the longest bar may be each way and where the values are written.
const WIDTH: u32 = 720;
const LABEL_X: u32 = 210;
const ZERO: u32 = 390;
const HALF: f64 = 160.0;
const VALUE_X: u32 = 560;
const ROW: u32 = 22;

#[derive(Serialize)]
struct Page {
    css: &'static str,
    by: &'static str,
    summary: Vec<String>,
    checklist: String,
    hash: String,
    engine: String,
    gain_colour: &'static str,
    harm_colour: &'static str,
    gain_name: &'static str,
    harm_name: &'static str,
    width: u32,
    label_x: u32,
    zero: u32,
    value_x: u32,
    groups: Vec<GroupView>,
    errors: Vec<ErrorView>,
}

#[derive(Serialize)]
struct GroupView {
    name: String,
    count: String,
    outcomes: String,
    described: String,
    height: u32,
    scale: String,
    rows: Vec<RowView>,
    lists: Vec<ListView>,
    blockages: Vec<crate::portfolio::Blockage>,
}

#[derive(Serialize)]
struct RowView {
    id: String,
    name: String,
    y: u32,
    total: String,
    gains: String,
    harms: String,
    positive: usize,
    negative: usize,
    gain_w: f64,
    harm_w: f64,
    /// Where the harm's bar starts: it ends at zero.
    harm_x: f64,
}

#[derive(Serialize)]
struct ListView {
    heading: &'static str,
    items: Vec<RankedView>,
}

#[derive(Serialize)]
struct RankedView {
    score: String,
    id: String,
    title: String,
    kind: String,
    outcome: String,
    indicators: String,
}

#[derive(Serialize)]
struct ErrorView {
    location: String,
    id: String,
    field: String,
    message: String,
}

/// The largest gain or harm (its size) on any indicator of the groups: the charts' scale.
fn scale(groups: &[&Group]) -> f64 {
    groups
        .iter()
        .flat_map(|g| &g.indicators)
        .map(|c| c.gains.max(-c.harms))
        .fold(0.0, f64::max)
}

/// A bar's length for `v` on a chart whose longest bar is `max`, to two decimals.
fn bar(v: f64, max: f64) -> f64 {
    if max <= 0.0 || v <= 0.0 {
        return 0.0;
    }
    (v / max * HALF * 100.0).round() / 100.0
}

/// A list of proposals with their largest gains or harms, as the page shows them.
fn ranked(list: &[crate::portfolio::Ranked]) -> Vec<RankedView> {
    list.iter()
        .map(|r| RankedView {
            score: signed(r.score),
            id: r.id.clone(),
            title: r.title.clone(),
            kind: r
                .kind
                .clone()
                .unwrap_or_else(|| "kind not stated".to_string()),
            outcome: r.outcome_label.clone(),
            indicators: r.indicators.join(", "),
        })
        .collect()
}

fn group_view(p: &Portfolio, g: &Group, max: f64) -> GroupView {
    let name_of = |id: &str| {
        p.indicators
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.short.clone().unwrap_or_else(|| i.name.clone()))
            .unwrap_or_default()
    };
    let rows: Vec<RowView> = g
        .indicators
        .iter()
        .zip(0u32..)
        .map(|(c, i)| RowView {
            id: c.indicator.clone(),
            name: name_of(&c.indicator),
            y: 4 + i * ROW,
            total: signed(c.total),
            gains: signed(c.gains),
            harms: signed(c.harms),
            positive: c.positive,
            negative: c.negative,
            gain_w: bar(c.gains, max),
            harm_w: bar(-c.harms, max),
            harm_x: ((f64::from(ZERO) - bar(-c.harms, max)) * 100.0).round() / 100.0,
        })
        .collect();
    let described = rows
        .iter()
        .map(|r| {
            format!(
                "{} total {}, gains {}, harms {}",
                r.id, r.total, r.gains, r.harms
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let height = 8 + ROW * u32::try_from(rows.len()).unwrap_or(u32::MAX / ROW);
    GroupView {
        name: g.name.clone(),
        count: if g.proposals == 1 {
            "1 proposal".to_string()
        } else {
            format!("{} proposals", g.proposals)
        },
        outcomes: g
            .outcomes
            .iter()
            .map(|o| format!("{} {}", o.count, o.label))
            .collect::<Vec<_>>()
            .join(", "),
        described,
        height,
        scale: format!("{max:.2} points"),
        rows,
        lists: vec![
            ListView {
                heading: "Largest gains",
                items: ranked(&g.gains),
            },
            ListView {
                heading: "Largest harms",
                items: ranked(&g.harms),
            },
        ],
        blockages: g.blockages.clone(),
    }
}

fn env() -> &'static minijinja::Environment<'static> {
    static ENV: OnceLock<minijinja::Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| super::html_templates(&[("portfolio.html", PAGE)]))
}

/// The portfolio as one self-contained HTML page.
pub fn portfolio_html(p: &Portfolio) -> String {
    let partnerships: Vec<&Group> = p.groups.iter().collect();
    let shared = scale(&partnerships);
    let mut groups: Vec<GroupView> = p.groups.iter().map(|g| group_view(p, g, shared)).collect();
    groups.push(group_view(p, &p.all, scale(&[&p.all])));
    let page = Page {
        css: REPORT_CSS,
        by: p.by.as_str(),
        summary: super::portfolio::summary(p),
        checklist: format!("{} {}", p.checklist.name, p.checklist.version),
        hash: p.checklist.hash.clone(),
        engine: p.engine.clone(),
        gain_colour: palette::POSITIVE[0],
        harm_colour: palette::NEGATIVE[0],
        gain_name: "green",
        harm_name: "red",
        width: WIDTH,
        label_x: LABEL_X,
        zero: ZERO,
        value_x: VALUE_X,
        groups,
        errors: p
            .errors
            .iter()
            .map(|e| ErrorView {
                location: e.location.clone(),
                id: e.id.clone().unwrap_or_default(),
                field: e.field.clone().unwrap_or_default(),
                message: e.message.clone(),
            })
            .collect(),
    };
    env()
        .get_template("portfolio.html")
        .and_then(|t| t.render(minijinja::value::Serde(page)))
        // The template is fixed and tested; a rendering error would be a bug, shown in the page.
        .unwrap_or_else(|e| {
            format!(
                "<p>error: cannot render the portfolio: {}</p>\n",
                minijinja::HtmlEscape(&e.to_string())
            )
        })
}
