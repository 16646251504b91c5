//! Issue 17, item 7: text and band colours readable by everyone. The palette is defined once
//! (`src/render/palette.rs`); these tests compute the WCAG 2 contrast ratio of every pair of text
//! and background the pages use and of every band colour, and check that the pages (the HTML
//! report, `summary.html`, the portfolio, the server's page) use no colour the palette does not define.

use crate::support::*;
use stronger::render::palette;

#[test]
fn the_contrast_ratio_is_wcag_s() {
    let ratio = |a, b| palette::contrast(a, b).unwrap();
    assert_eq!(format!("{:.2}", ratio("#000000", "#ffffff")), "21.00");
    assert_eq!(format!("{:.2}", ratio("#ffffff", "#ffffff")), "1.00");
    // WCAG's own reference points: #767676 is the lightest grey that passes on white.
    assert!(ratio("#767676", "#ffffff") >= 4.5);
    assert!(ratio("#777777", "#ffffff") < 4.5);
    // The green the old summary page put white text on failed: the test would have caught it.
    assert!(ratio("#3c8d50", "#ffffff") < 4.5);
    assert_eq!(
        palette::contrast("#fff", "#ffffff"),
        None,
        "six digits only"
    );
}

#[test]
fn every_text_colour_and_every_band_colour_has_a_contrast_of_at_least_4_5() {
    let mut failures = Vec::new();
    for (what, text, back) in palette::TEXT_PAIRS {
        let r = palette::contrast(text, back).unwrap();
        if r < 4.5 {
            failures.push(format!("{what}: {text} on {back} is {r:.2}:1"));
        }
    }
    // A band's colour is drawn on the page (bars, labels, the summary's scores) and carries
    // white text (the legend's swatches beside their labels).
    for band in palette::POSITIVE
        .iter()
        .chain(palette::NEGATIVE.iter())
        .chain([palette::NEUTRAL].iter())
    {
        for back in [palette::PAGE, palette::PAGE_GREY] {
            let r = palette::contrast(band, back).unwrap();
            if r < 4.5 {
                failures.push(format!("band {band} on {back} is {r:.2}:1"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_built_in_checklist_gives_each_band_its_own_colour() {
    let colours = palette::band_colours(builtin());
    let ids: Vec<&str> = colours.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "strongly-positive",
            "positive",
            "slightly-positive",
            "neutral",
            "negative"
        ]
    );
    let mut distinct: Vec<&str> = colours.iter().map(|(_, c)| *c).collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), colours.len(), "{colours:?}");
    assert_eq!(palette::band_colour(builtin(), "neutral"), palette::NEUTRAL);
}

/// Every `#rrggbb` or `#rgb` in a file, lower case.
fn colours_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices('#') {
        let hex: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        let before = if i > 0 { bytes[i - 1] } else { b' ' };
        // `#` as a colour follows a space, a colon, a quote or `=`; an id selector does not
        // consist of hex digits of length 3 or 6 followed by a non-word character.
        let after = text[i + 1 + hex.len()..].chars().next().unwrap_or(' ');
        if (hex.len() == 3 || hex.len() == 6)
            && matches!(before, b' ' | b':' | b'"' | b'(' | b',')
            && !after.is_alphanumeric()
            && after != '-'
            && after != '_'
        {
            out.push(format!("#{}", hex.to_ascii_lowercase()));
        }
    }
    out
}

#[test]
fn the_pages_use_only_the_palette_s_colours() {
    let allowed = palette::all();
    let mut stray = Vec::new();
    for file in [
        "src/render/html.rs",
        "src/render/summary_html.rs",
        "src/render/portfolio_html.rs",
        "src/serve/page.html",
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let found = colours_in(&text);
        assert!(!found.is_empty(), "{file}: no colours found");
        for c in found {
            if !allowed.contains(&c.as_str()) {
                stray.push(format!("{file}: {c}"));
            }
        }
    }
    assert!(stray.is_empty(), "colours outside the palette: {stray:#?}");
    // The check finds a stray colour when there is one.
    assert_eq!(
        colours_in("a { color: #3c8d50; } #fff; x=\"#abc\" #record"),
        ["#3c8d50", "#fff", "#abc"]
    );
}
