//! The checklist as a document a funding panel or the public can read, generated from the rule
//! files and `checklist.toml`, so it cannot drift from them (`stronger rules doc`).

use crate::checklist::{Band, Checklist, Outcome, Rule, Theme};
use serde::Serialize;

#[derive(Serialize)]
struct DocRule {
    id: String,
    title: String,
    question: String,
    rationale: String,
    meets: Option<String>,
    indicators: Vec<String>,
    weight: String,
    own_weight: Option<String>,
    origin: String,
    file: String,
}

#[derive(Serialize)]
struct DocTheme {
    id: String,
    name: String,
    description: Option<String>,
    rules: Vec<DocRule>,
}

#[derive(Serialize)]
struct DocOutcome {
    id: String,
    label: String,
    when: String,
    reason: Option<String>,
}

#[derive(Serialize)]
struct Doc {
    name: String,
    version: String,
    title: String,
    description: Option<String>,
    hash: String,
    layers: Vec<String>,
    indicators: Vec<(String, String, bool)>,
    bands: Vec<(String, String)>,
    outcomes: Vec<DocOutcome>,
    incomplete: String,
    themes: Vec<DocTheme>,
    switched_off: Vec<String>,
    origins: Vec<(String, String)>,
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

fn items(n: usize) -> &'static str {
    if n == 1 { "item is" } else { "items are" }
}

/// The conditions of a screening outcome, in words.
fn when(o: &Outcome) -> String {
    let mut parts = Vec::new();
    if let Some(m) = o.min_total {
        parts.push(format!("the weighted total is at least {}", num(m)));
    }
    if let Some(m) = o.max_not_met {
        parts.push(format!("at most {m} checklist {} not met", items(m)));
    }
    if let Some(m) = o.max_not_stated {
        parts.push(format!("at most {m} {} not stated", items(m)));
    }
    if let Some(m) = o.min_not_stated {
        parts.push(format!("at least {m} {} not stated", items(m)));
    }
    if !o.required.is_empty() {
        parts.push(format!("these items are met: {}", o.required.join(", ")));
    }
    if parts.is_empty() {
        "otherwise".to_string()
    } else {
        parts.join("; ")
    }
}

/// Text from a config or a rule with its line breaks and runs of spaces made single spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn doc(c: &Checklist) -> Doc {
    let cfg = &c.config;
    Doc {
        name: cfg.checklist.name.clone(),
        version: cfg.checklist.version.clone(),
        title: cfg
            .checklist
            .title
            .clone()
            .unwrap_or_else(|| cfg.checklist.name.clone()),
        description: cfg.checklist.description.as_deref().map(one_line),
        hash: c.hash.clone(),
        layers: c
            .layers
            .iter()
            .map(|l| format!("{} {} ({})", l.checklist, l.version, l.hash))
            .collect(),
        indicators: cfg
            .indicators
            .iter()
            .map(|i| (i.id.clone(), i.name.clone(), i.core))
            .collect(),
        bands: cfg.bands.iter().map(band).collect(),
        outcomes: cfg
            .screening
            .outcomes
            .iter()
            .map(|o| DocOutcome {
                id: o.id.clone(),
                label: o.label.clone(),
                when: when(o),
                reason: o.reason.as_deref().map(one_line),
            })
            .collect(),
        incomplete: cfg.screening.label(&cfg.screening.incomplete).to_string(),
        themes: cfg.themes.iter().map(|t| theme(c, t)).collect(),
        switched_off: c
            .all_rules
            .iter()
            .filter(|r| !c.rules.iter().any(|x| x.meta.id == r.meta.id))
            .map(|r| format!("{} {}", r.meta.id, r.meta.title))
            .collect(),
        origins: if c.layers.is_empty() {
            Vec::new()
        } else {
            cfg.origins.clone()
        },
    }
}

/// A band's label, and the scores it takes.
fn band(b: &Band) -> (String, String) {
    let from = match b.min {
        Some(m) => format!("a score of {} or more", num(m)),
        None => "any lower score".to_string(),
    };
    (b.label.clone(), from)
}

/// A theme and the rules in force in it.
fn theme(c: &Checklist, t: &Theme) -> DocTheme {
    DocTheme {
        id: t.id.clone(),
        name: t.name.clone(),
        description: t.description.clone(),
        rules: c
            .rules
            .iter()
            .filter(|r| r.meta.theme == t.id)
            .map(rule)
            .collect(),
    }
}

fn rule(r: &Rule) -> DocRule {
    DocRule {
        id: r.meta.id.clone(),
        title: r.meta.title.clone(),
        question: r.meta.question.clone(),
        rationale: one_line(&r.meta.rationale),
        meets: r.meta.meets.as_deref().map(one_line),
        indicators: r.meta.indicators.clone(),
        weight: num(r.weight),
        own_weight: ((r.weight - r.meta.weight).abs() > f64::EPSILON).then(|| num(r.meta.weight)),
        origin: r.origin.clone(),
        file: r.shown.clone(),
    }
}

const MARKDOWN: &str = r#"# {{ title }}

Checklist `{{ name }}` version {{ version }} — content hash `{{ hash }}`.
{%- if layers %}
Builds on: {% for l in layers %}{{ l }}{% if not loop.last %}, {% endif %}{% endfor %}.
{%- endif %}
{% if description %}
{{ description }}
{% endif %}
This document is generated from the checklist's rule files by `stronger rules doc`; it cannot
drift from the rules that appraise bids.

## How a bid is judged

Every rule below asks one question of a bid and records whether the bid meets it, does not meet
it, does not say (*not stated* — never read as "no"), or whether it does not apply. Where the bid
gives reason to expect an impact on an indicator, the rule records it from −3 to +3, multiplied
by the rule's weight, with the bid's own words as the reason. An indicator's score is the sum of
its impacts; the total of all impacts ranks bids.

How sure each finding is: **high** when the claim is backed by evidence the bid offers, a
committed partner, or a measure with a baseline and a target; **medium** for a plain statement in
the bid's own fields; **low** when it is inferred from the bid's words alone (as for imported grant
data, which carries only a title and a description). An indicator's confidence is the average of
its findings', weighted by their size.

| Band | From |
| --- | --- |
{%- for b in bands %}
| {{ b[0] }} | {{ b[1] }} |
{%- endfor %}

The screening outcome is the first that applies:

| Outcome | When | Why |
| --- | --- | --- |
{%- for o in outcomes %}
| {{ o.label }} | {{ o.when }} | {{ o.reason or "" }} |
{%- endfor %}

If any rule could not be run on a bid, the appraisal is incomplete and the outcome is
**{{ incomplete }}**, whatever the scores.

## Indicators

| Id | Indicator | Core |
| --- | --- | --- |
{%- for i in indicators %}
| {{ i[0] }} | {{ i[1] }} | {% if i[2] %}yes{% endif %} |
{%- endfor %}
{% for t in themes %}
## {{ t.name }}
{% if t.description %}
{{ t.description }}
{% endif %}
{%- for r in t.rules %}
### {{ r.id }} — {{ r.title }}

- **Question:** {{ r.question }}
- **Why it matters:** {{ r.rationale }}
{%- if r.meets %}
- **What meets it:** {{ r.meets }}
{%- endif %}
- **Indicators:** {{ r.indicators | join(", ") }} · **Weight:** {{ r.weight }}{% if r.own_weight %} (set by the checklist; the rule's own is {{ r.own_weight }}){% endif %}
- **Source:** `{{ r.file }}`{% if layers %} ({{ r.origin }}){% endif %}
{% endfor %}
{%- endfor %}
{%- if switched_off %}
## Switched off

{% for s in switched_off %}- {{ s }}
{% endfor %}
{%- endif %}
{%- if origins %}
## Where each part comes from

{% for o in origins %}- {{ o[0] }}: {{ o[1] }}
{% endfor %}
{%- endif %}
"#;

const HTML: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} — {{ version }}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.8rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #ddd; } h3 { margin-bottom: .3rem; }
table { border-collapse: collapse; margin: 1rem 0; } th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; vertical-align: top; }
.rule { border-left: 4px solid #2a6f97; padding: .2rem 1rem; margin: 1.2rem 0; background: #f6f9fb; }
.meta { color: #555; font-size: .9rem; } code { font-size: .9em; }
@media print { body { margin: 0; max-width: none; } .rule { break-inside: avoid; } }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="meta">Checklist <code>{{ name }}</code> version {{ version }} — content hash <code>{{ hash }}</code>{% if layers %}; builds on {{ layers | join(", ") }}{% endif %}.</p>
{% if description %}<p>{{ description }}</p>{% endif %}
<p>This document is generated from the checklist's rule files by <code>stronger rules doc</code>; it cannot drift from the rules that appraise bids.</p>
<h2>How a bid is judged</h2>
<p>Every rule asks one question of a bid and records whether the bid meets it, does not meet it, does not say (<em>not stated</em> — never read as "no"), or whether it does not apply. Where the bid gives reason to expect an impact on an indicator, the rule records it from −3 to +3, multiplied by the rule's weight, with the bid's own words as the reason.</p>
<table><tr><th>Band</th><th>From</th></tr>{% for b in bands %}<tr><td>{{ b[0] }}</td><td>{{ b[1] }}</td></tr>{% endfor %}</table>
<p>The screening outcome is the first that applies:</p>
<table><tr><th>Outcome</th><th>When</th><th>Why</th></tr>{% for o in outcomes %}<tr><td>{{ o.label }}</td><td>{{ o.when }}</td><td>{{ o.reason or "" }}</td></tr>{% endfor %}</table>
<p>If any rule could not be run on a bid, the appraisal is incomplete and the outcome is <strong>{{ incomplete }}</strong>, whatever the scores.</p>
<h2>Indicators</h2>
<table><tr><th>Id</th><th>Indicator</th><th>Core</th></tr>{% for i in indicators %}<tr><td>{{ i[0] }}</td><td>{{ i[1] }}</td><td>{% if i[2] %}yes{% endif %}</td></tr>{% endfor %}</table>
{% for t in themes %}<h2 id="{{ t.id }}">{{ t.name }}</h2>
{% if t.description %}<p>{{ t.description }}</p>{% endif %}
{% for r in t.rules %}<div class="rule" id="{{ r.id }}">
<h3>{{ r.id }} — {{ r.title }}</h3>
<p><strong>Question:</strong> {{ r.question }}</p>
<p><strong>Why it matters:</strong> {{ r.rationale }}</p>
{% if r.meets %}<p><strong>What meets it:</strong> {{ r.meets }}</p>{% endif %}
<p class="meta">Indicators: {{ r.indicators | join(", ") }} · Weight: {{ r.weight }}{% if r.own_weight %} (the rule's own is {{ r.own_weight }}){% endif %} · Source: <code>{{ r.file }}</code>{% if layers %} ({{ r.origin }}){% endif %}</p>
</div>
{% endfor %}{% endfor %}
{% if switched_off %}<h2>Switched off</h2><ul>{% for s in switched_off %}<li>{{ s }}</li>{% endfor %}</ul>{% endif %}
{% if origins %}<h2>Where each part comes from</h2><ul>{% for o in origins %}<li>{{ o[0] }}: {{ o[1] }}</li>{% endfor %}</ul>{% endif %}
</body>
</html>
"#;

fn render(template: &str, name: &str, c: &Checklist) -> String {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|n| {
        if n.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    let rendered = env
        .template_from_named_str(name, template)
        .and_then(|t| t.render(minijinja::value::Serde(doc(c))));
    // The templates are fixed and tested; a rendering error would be a bug, shown in the output.
    rendered.unwrap_or_else(|e| format!("error: cannot render the checklist document: {e}\n"))
}

/// The checklist as Markdown.
pub fn checklist_markdown(c: &Checklist) -> String {
    render(MARKDOWN, "checklist.md", c)
}

/// The checklist as one self-contained HTML page (no external resources; prints cleanly).
pub fn checklist_html(c: &Checklist) -> String {
    render(HTML, "checklist.html", c)
}
