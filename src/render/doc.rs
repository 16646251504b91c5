//! The checklist as a document a funding panel or the public can read, generated from the rule
//! files and `checklist.toml`, so it cannot drift from them (`stronger rules doc`).

use crate::checklist::{Band, Checklist, Outcome, Rule, Theme};
use serde::Serialize;

#[derive(Serialize)]
struct DocRule {
    id: String,
    title: String,
    /// The most it adds to each indicator, weighted: `NI6 +4.0`.
    most: Vec<String>,
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
    /// Id, name, core, the most a bid can score on it, its share of the most in all.
    indicators: Vec<(String, String, bool, String, String)>,
    /// Theme name, the most, its share.
    theme_maxima: Vec<(String, String, String)>,
    most_total: String,
    /// Grade, what backs it, the confidence it gives.
    grades: Vec<(String, String, String)>,
    reading: DocReading,
    bands: Vec<(String, String)>,
    outcomes: Vec<DocOutcome>,
    incomplete: String,
    /// The best outcome a bid that contradicts itself can get, when the policy sets one.
    contradicted: Option<String>,
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

fn indicators(n: usize) -> &'static str {
    if n == 1 {
        "indicator is"
    } else {
        "indicators are"
    }
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
    if let Some(m) = o.max_contradictions {
        parts.push(format!("at most {m} contradictions in the bid"));
    }
    match o.max_harmed {
        Some(0) => parts.push("no core indicator is harmed (in the lowest band)".to_string()),
        Some(m) => parts.push(format!(
            "at most {m} core {} harmed (in the lowest band)",
            indicators(m)
        )),
        None => {}
    }
    if let Some(m) = o.min_harmed {
        parts.push(format!(
            "at least {m} core {} harmed (in the lowest band)",
            indicators(m)
        ));
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

/// How the checklist reads prose, as published: every concept with its phrases and exclusions,
/// every trigger list, every actor.
#[derive(Serialize)]
struct DocReading {
    scope_words: usize,
    gap_words: usize,
    /// Id, description, phrases, exclusions, the concepts file that defines it.
    concepts: Vec<(String, String, String, String, String)>,
    /// What the words do, the words, the file.
    triggers: Vec<(String, String, String)>,
    /// Id, side, who, phrases, the file.
    actors: Vec<(String, String, String, String, String)>,
    /// Id, kind, what it is, what it looks for, `unless` phrases, the file.
    contradictions: Vec<(String, String, String, String, String, String)>,
}

fn words(ws: &[String]) -> String {
    ws.iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn reading(c: &Checklist) -> DocReading {
    let lex = &c.lexicon;
    let t = lex.triggers();
    DocReading {
        scope_words: t.scope_words,
        gap_words: t.gap_words,
        concepts: lex
            .concepts()
            .map(|x| {
                (
                    x.id.to_string(),
                    one_line(x.description),
                    words(x.phrases),
                    words(x.exclusions),
                    x.layer.to_string(),
                )
            })
            .collect(),
        triggers: t
            .lists
            .iter()
            .map(|l| {
                (
                    trigger_kind(l.kind, l.direction),
                    words(l.phrases),
                    l.layer.to_string(),
                )
            })
            .collect(),
        actors: t
            .actors
            .iter()
            .map(|a| {
                (
                    a.id.to_string(),
                    a.side.as_str().to_string(),
                    a.description.map(one_line).unwrap_or_default(),
                    words(a.phrases),
                    a.layer.to_string(),
                )
            })
            .collect(),
        contradictions: lex
            .contradiction_rules()
            .map(|x| {
                let unless: Vec<String> = x.unless.iter().map(|u| u.to_string()).collect();
                (
                    x.id.to_string(),
                    x.kind.as_str().to_string(),
                    one_line(x.description),
                    x.test,
                    words(&unless),
                    x.layer.to_string(),
                )
            })
            .collect(),
    }
}

/// What a trigger list does, in words.
fn trigger_kind(
    kind: crate::reading::TriggerKind,
    dir: Option<crate::reading::Direction>,
) -> String {
    use crate::reading::{Direction, TriggerKind};
    let what = match kind {
        TriggerKind::Negated => "denies",
        TriggerKind::Hedged => "makes a hope or a condition of",
        TriggerKind::Past => "puts in the past",
        TriggerKind::Pseudo => return "look like triggers but are not (\"not only\")".to_string(),
        TriggerKind::Terminate => return "end a trigger's reach".to_string(),
    };
    match dir {
        Some(Direction::Backward) => format!("{what} what comes before it"),
        _ => format!("{what} what comes after it"),
    }
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn doc(c: &Checklist) -> Doc {
    let cfg = &c.config;
    let max = crate::checklist::maxima(c);
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
            .map(|i| {
                let most = max.indicators.get(&i.id).copied().unwrap_or(0.0);
                (
                    i.id.clone(),
                    i.name.clone(),
                    i.core,
                    num(most),
                    percent(max.share(most)),
                )
            })
            .collect(),
        theme_maxima: theme_maxima(cfg, &max),
        most_total: num(max.total),
        grades: crate::appraisal::Grade::ALL
            .iter()
            .map(|g| {
                (
                    g.as_str().to_string(),
                    g.meaning().to_string(),
                    g.confidence().as_str().to_string(),
                )
            })
            .collect(),
        reading: reading(c),
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
        contradicted: cfg
            .screening
            .contradicted
            .as_deref()
            .map(|x| cfg.screening.label(x).to_string()),
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
        most: r
            .meta
            .indicators
            .iter()
            .map(|i| format!("{i} +{}", num(r.meta.most(i) * r.weight)))
            .collect(),
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

How sure each finding is follows from what backs it, graded by the engine on one scale (a rule
names what backs its finding; it does not choose the grade). An indicator's confidence is the
average of its findings', weighted by their size.

| Grade | Backed by | Confidence |
| --- | --- | --- |
{%- for g in grades %}
| {{ g[0] }} | {{ g[1] }} | {{ g[2] }} |
{%- endfor %}

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
{%- if contradicted %}
A bid that contradicts itself (see *Contradictions* below) is at best **{{ contradicted }}**.
{%- endif %}
A contradiction never raises an outcome: no bid is better off than with its contradictions not
looked for.

## Indicators: what the checklist values

The most a bid can score on each indicator is the sum, over the rules, of the most each declares
it can add (`META.most`) times its weight; the share is of the most a bid can score in all
({{ most_total }}). These are the checklist's priorities, in numbers.

| Id | Indicator | Core | Most a bid can score | Share |
| --- | --- | --- | ---: | ---: |
{%- for i in indicators %}
| {{ i[0] }} | {{ i[1] }} | {% if i[2] %}yes{% endif %} | {{ i[3] }} | {{ i[4] }} |
{%- endfor %}

| Theme | Most a bid can score | Share |
| --- | ---: | ---: |
{%- for t in theme_maxima %}
| {{ t[0] }} | {{ t[1] }} | {{ t[2] }} |
{%- endfor %}

## How the checklist reads prose

A bid's prose is read once into claims: a concept, what the sentence says of it, and who acts.
The words below are all the checklist reads; a word not listed here earns nothing. Word forms
count ("volunteer" finds "volunteered"); `...` in a phrase stands for up to {{ reading.gap_words }} words.
A mention inside an exclusion, or inside a name that is not its head word ("the Rose Garden
Café"), is set aside.

| Concept | Means | Phrases | Not it |{% if layers %} Defined in |{% endif %}
| --- | --- | --- | --- |{% if layers %} --- |{% endif %}
{%- for x in reading.concepts %}
| `{{ x[0] }}` | {{ x[1] }} | {{ x[2] }} | {{ x[3] }} |{% if layers %} `{{ x[4] }}` |{% endif %}
{%- endfor %}

Words that change what a sentence says of a concept, within its clause and at most
{{ reading.scope_words }} words away: a denied mention is evidence against, a hope or a past
fact earns nothing.

| These words | Phrases |{% if layers %} Defined in |{% endif %}
| --- | --- |{% if layers %} --- |{% endif %}
{%- for t in reading.triggers %}
| {{ t[0] }} | {{ t[1] }} |{% if layers %} `{{ t[2] }}` |{% endif %}
{%- endfor %}

Who acts: the nearest of these before the mention in its clause, or "by …" after it.

| Actor | Side | Who | Phrases |{% if layers %} Defined in |{% endif %}
| --- | --- | --- | --- |{% if layers %} --- |{% endif %}
{%- for a in reading.actors %}
| `{{ a[0] }}` | {{ a[1] }} | {{ a[2] }} | {{ a[3] }} |{% if layers %} `{{ a[4] }}` |{% endif %}
{%- endfor %}
{%- if reading.contradictions %}

### Contradictions

Two things a bid says that cannot both hold. The appraisal lists each one with both quotes; the
checklist items whose rules used either side become not stated, asking the applicant which is
right, and add nothing to the scores. Never a contradiction: two claims of one sentence, a hope
or a memory, what the applicant says of itself, a field the bid leaves out, or a pair where
either sentence holds one of the "unless" phrases.

| Contradiction | Kind | What it is | What it looks for | Unless |{% if layers %} Defined in |{% endif %}
| --- | --- | --- | --- | --- |{% if layers %} --- |{% endif %}
{%- for x in reading.contradictions %}
| `{{ x[0] }}` | {{ x[1] }} | {{ x[2] }} | {{ x[3] }} | {{ x[4] }} |{% if layers %} `{{ x[5] }}` |{% endif %}
{%- endfor %}
{%- endif %}
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
- **Indicators:** {{ r.indicators | join(", ") }} · **Weight:** {{ r.weight }}{% if r.own_weight %} (set by the checklist; the rule's own is {{ r.own_weight }}){% endif %} · **Most it adds:** {{ r.most | join(", ") }}
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
<p>If any rule could not be run on a bid, the appraisal is incomplete and the outcome is <strong>{{ incomplete }}</strong>, whatever the scores.{% if contradicted %} A bid that contradicts itself is at best <strong>{{ contradicted }}</strong>.{% endif %} A contradiction never raises an outcome.</p>
<p>How sure each finding is follows from what backs it, graded by the engine on one scale:</p>
<table><tr><th>Grade</th><th>Backed by</th><th>Confidence</th></tr>{% for g in grades %}<tr><td>{{ g[0] }}</td><td>{{ g[1] }}</td><td>{{ g[2] }}</td></tr>{% endfor %}</table>
<h2>Indicators: what the checklist values</h2>
<p>The most a bid can score on each indicator (each rule's declared most times its weight, summed) and its share of the most in all ({{ most_total }}).</p>
<table><tr><th>Id</th><th>Indicator</th><th>Core</th><th>Most a bid can score</th><th>Share</th></tr>{% for i in indicators %}<tr><td>{{ i[0] }}</td><td>{{ i[1] }}</td><td>{% if i[2] %}yes{% endif %}</td><td>{{ i[3] }}</td><td>{{ i[4] }}</td></tr>{% endfor %}</table>
<table><tr><th>Theme</th><th>Most a bid can score</th><th>Share</th></tr>{% for t in theme_maxima %}<tr><td>{{ t[0] }}</td><td>{{ t[1] }}</td><td>{{ t[2] }}</td></tr>{% endfor %}</table>
<h2>How the checklist reads prose</h2>
<p>A bid's prose is read once into claims: a concept, what the sentence says of it, and who acts. The words below are all the checklist reads. Word forms count; <code>...</code> stands for up to {{ reading.gap_words }} words; a mention inside an exclusion or a name is set aside.</p>
<table><tr><th>Concept</th><th>Means</th><th>Phrases</th><th>Not it</th></tr>{% for x in reading.concepts %}<tr><td><code>{{ x[0] }}</code></td><td>{{ x[1] }}</td><td>{{ x[2] }}</td><td>{{ x[3] }}</td></tr>{% endfor %}</table>
<p>Words that change what a sentence says of a concept, within its clause and at most {{ reading.scope_words }} words away:</p>
<table><tr><th>These words</th><th>Phrases</th></tr>{% for t in reading.triggers %}<tr><td>{{ t[0] }}</td><td>{{ t[1] }}</td></tr>{% endfor %}</table>
<table><tr><th>Actor</th><th>Side</th><th>Who</th><th>Phrases</th></tr>{% for a in reading.actors %}<tr><td><code>{{ a[0] }}</code></td><td>{{ a[1] }}</td><td>{{ a[2] }}</td><td>{{ a[3] }}</td></tr>{% endfor %}</table>
{% if reading.contradictions %}<h3>Contradictions</h3>
<p>Two things a bid says that cannot both hold: the appraisal lists each with both quotes, and the items whose rules used either side become not stated and add nothing to the scores.</p>
<table><tr><th>Contradiction</th><th>Kind</th><th>What it is</th><th>What it looks for</th><th>Unless</th></tr>{% for x in reading.contradictions %}<tr><td><code>{{ x[0] }}</code></td><td>{{ x[1] }}</td><td>{{ x[2] }}</td><td>{{ x[3] }}</td><td>{{ x[4] }}</td></tr>{% endfor %}</table>{% endif %}
{% for t in themes %}<h2 id="{{ t.id }}">{{ t.name }}</h2>
{% if t.description %}<p>{{ t.description }}</p>{% endif %}
{% for r in t.rules %}<div class="rule" id="{{ r.id }}">
<h3>{{ r.id }} — {{ r.title }}</h3>
<p><strong>Question:</strong> {{ r.question }}</p>
<p><strong>Why it matters:</strong> {{ r.rationale }}</p>
{% if r.meets %}<p><strong>What meets it:</strong> {{ r.meets }}</p>{% endif %}
<p class="meta">Indicators: {{ r.indicators | join(", ") }} · Weight: {{ r.weight }}{% if r.own_weight %} (the rule's own is {{ r.own_weight }}){% endif %} · Most it adds: {{ r.most | join(", ") }} · Source: <code>{{ r.file }}</code>{% if layers %} ({{ r.origin }}){% endif %}</p>
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

/// Each theme's most and its share of the most in all; a profile is not part of the total, so it
/// has no share of it.
fn theme_maxima(
    cfg: &crate::checklist::Config,
    max: &crate::checklist::Maxima,
) -> Vec<(String, String, String)> {
    cfg.themes
        .iter()
        .map(|t| {
            let most = max.themes.get(&t.id).copied().unwrap_or(0.0);
            let share = if t.profile {
                "profile, not in the total".to_string()
            } else {
                percent(max.share(most))
            };
            (t.name.clone(), num(most), share)
        })
        .collect()
}
