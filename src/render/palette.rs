//! The colours of every page stronger draws (the HTML report, `summary.html`, the server's web
//! page): one colour per band, the text colours and what they sit on. Defined once, here, so a
//! test can compute the WCAG contrast ratio of every pair of text and background the pages use
//! (at least 4.5:1, WCAG AA) and check that the pages use no colour this file does not list.
//!
//! Bands are checklist data, so their colours are given by place, not by name: the bands above
//! neutral take [`POSITIVE`] from the strongest down, the bands below take [`NEGATIVE`] from the
//! weakest down, and the band that holds zero takes [`NEUTRAL`]. The hues differ as well as the
//! lightness, so neighbouring bands stay apart for readers who do not see red and green; every
//! band colour reads as text on white and carries white text.

use crate::checklist::Checklist;

/// Body text.
pub const TEXT: &str = "#1b1b1b";
/// Secondary text: notes, help, axis ticks.
pub const MUTED: &str = "#555555";
/// The page.
pub const PAGE: &str = "#ffffff";
/// The web page's background around its panels.
pub const PAGE_GREY: &str = "#fafafa";
/// Table headings' background.
pub const HEADING: &str = "#f3f3f3";
/// The web page's title bar, white text on it.
pub const BAR: &str = "#23395b";
/// Text on the title bar beside the title.
pub const BAR_MUTED: &str = "#cfd8e3";
/// Links and focus rings.
pub const LINK: &str = "#1a4f8b";
/// Good: met, the best outcome.
pub const GOOD: &str = "#1e7b34";
/// Bad: not met, the worst outcome, errors.
pub const BAD: &str = "#b3261e";
/// Between: not stated, the outcomes between the best and the worst.
pub const BETWEEN: &str = "#7a5f00";
/// An outcome that is funded but not the best.
pub const FUNDED: &str = "#2f6f3e";
/// Not applicable, quoted words.
pub const QUIET: &str = "#595959";
/// Highlights behind text: a field the advice changed, an example value to replace, an
/// error's box, a row that changed.
pub const HIGHLIGHT: &str = "#fff3c4";
pub const ERROR_BACK: &str = "#fff4f2";
pub const SELECTED: &str = "#eef4fb";

/// Lines and borders: decoration, never text.
pub const LINES: [&str; 4] = ["#cccccc", "#dddddd", "#bbbbbb", "#e8b4ae"];

/// Bands above neutral, the strongest first.
pub const POSITIVE: [&str; 4] = ["#1b5e20", "#00695c", "#1565c0", "#4a3d8f"];
/// The band that holds a score of zero.
pub const NEUTRAL: &str = "#595959";
/// Bands below neutral, the nearest to neutral first.
pub const NEGATIVE: [&str; 3] = ["#b3261e", "#8e1b5c", "#5d1a0e"];

/// Every pair of text colour and background the pages use, with what it is.
pub const TEXT_PAIRS: &[(&str, &str, &str)] = &[
    ("body text", TEXT, PAGE),
    ("body text on the grey page", TEXT, PAGE_GREY),
    ("table headings", TEXT, HEADING),
    ("notes and help", MUTED, PAGE),
    ("notes on the grey page", MUTED, PAGE_GREY),
    ("notes in table headings", MUTED, HEADING),
    ("the title bar", PAGE, BAR),
    ("the title bar's notes", BAR_MUTED, BAR),
    ("links", LINK, PAGE),
    ("met", GOOD, PAGE),
    ("not met, errors", BAD, PAGE),
    ("an error's box", BAD, ERROR_BACK),
    ("not stated, an example to replace", BETWEEN, PAGE),
    ("the preview note on the grey page", BETWEEN, PAGE_GREY),
    ("a disabled button", QUIET, HEADING),
    ("a disabled button on white", QUIET, PAGE),
    ("not applicable", QUIET, PAGE),
    ("the best outcome's badge", PAGE, GOOD),
    ("the worst outcome's badge", PAGE, BAD),
    ("a middle outcome's badge", PAGE, BETWEEN),
    ("a funded outcome's badge", PAGE, FUNDED),
    ("a changed field", TEXT, HIGHLIGHT),
    ("a selected row", TEXT, SELECTED),
];

/// Each band's colour: `(band id, colour)`, in the checklist's band order.
pub fn band_colours(c: &Checklist) -> Vec<(String, &'static str)> {
    let bands = &c.config.bands;
    let neutral = bands.iter().position(|b| b.min.is_none_or(|m| 0.0 >= m));
    bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let colour = match neutral {
                Some(n) if i < n => POSITIVE
                    .get(i)
                    .or(POSITIVE.last())
                    .copied()
                    .unwrap_or(NEUTRAL),
                Some(n) if i > n => NEGATIVE
                    .get(i - n - 1)
                    .or(NEGATIVE.last())
                    .copied()
                    .unwrap_or(NEUTRAL),
                _ => NEUTRAL,
            };
            (b.id.clone(), colour)
        })
        .collect()
}

/// One band's colour ([`NEUTRAL`] for a band the checklist does not have).
pub fn band_colour(c: &Checklist, band: &str) -> &'static str {
    band_colours(c)
        .into_iter()
        .find(|(id, _)| id == band)
        .map_or(NEUTRAL, |(_, colour)| colour)
}

/// Every colour the pages may use: the named ones, the lines and the bands.
pub fn all() -> Vec<&'static str> {
    let mut v = vec![
        TEXT, MUTED, PAGE, PAGE_GREY, HEADING, BAR, BAR_MUTED, LINK, GOOD, BAD, BETWEEN, FUNDED,
        QUIET, HIGHLIGHT, ERROR_BACK, SELECTED, NEUTRAL,
    ];
    v.extend(LINES);
    v.extend(POSITIVE);
    v.extend(NEGATIVE);
    v
}

/// The WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21); none if either is not one.
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

/// WCAG 2 relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(h.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}
