//! Self-contained SVG figures: maps of which court hears each county-level unit (baseline
//! beside scenario, changed units outlined, with a legend) and bar charts of workload deltas.
//! Drawn from the embedded geodata rings (microdegrees), simplified to the pixel grid.
//! Colours come from [`super::colour`]: no two neighbouring courts share one.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::super::report::NONE;
use super::colour::NO_COURT;
use super::esc;
use crate::spatial::Geodata;

/// The words a map shows besides names, in the report's language.
#[derive(Debug, Clone)]
pub struct MapWords {
    /// "Legend".
    pub legend: String,
    /// "unit whose court changes".
    pub changed: String,
    /// "no court".
    pub no_court: String,
    /// "… and {n} more courts", with `{n}`.
    pub more: String,
}

/// A map panel: a title and the court index for each unit (`NONE` for no court).
#[derive(Debug, Clone)]
pub struct Panel<'a> {
    /// Title above the panel.
    pub title: String,
    /// Court per unit index.
    pub courts: &'a [u16],
}

fn court_colour(colours: &HashMap<u16, String>, c: u16) -> &str {
    colours.get(&c).map(String::as_str).unwrap_or(NO_COURT)
}

fn unit_bbox(rings: &[Vec<[i32; 2]>]) -> [f64; 4] {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for v in rings.iter().flatten() {
        let (x, y) = (f64::from(v[0]) / 1e6, f64::from(v[1]) / 1e6);
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    b
}

/// Draws the panels side by side. The view is the bounding box of the `changed` units with a
/// margin (the whole region when nothing changed); `names` are court labels by index;
/// `unit_names` label the changed units; `colours` map court indices to fills.
#[allow(
    clippy::too_many_arguments,
    reason = "a figure's parts, each used once; a struct would only rename them"
)]
pub fn unit_map(
    geo: &Geodata,
    title: &str,
    panels: &[Panel<'_>],
    changed: &[bool],
    names: &[String],
    unit_names: &[String],
    colours: &HashMap<u16, String>,
    words: &MapWords,
) -> String {
    let units = &geo.set().units;
    let boxes: Vec<[f64; 4]> = units.iter().map(|(_, r)| unit_bbox(r)).collect();
    let mut view = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    let any_changed = changed.iter().any(|c| *c);
    for (i, b) in boxes.iter().enumerate() {
        if !any_changed || changed.get(i).copied().unwrap_or(false) {
            view = [
                view[0].min(b[0]),
                view[1].min(b[1]),
                view[2].max(b[2]),
                view[3].max(b[3]),
            ];
        }
    }
    if view[0] > view[2] {
        view = [114.8, 27.0, 123.0, 35.2];
    }
    if any_changed {
        let (mx, my) = (
            ((view[2] - view[0]) * 0.35).max(0.25),
            ((view[3] - view[1]) * 0.35).max(0.25),
        );
        view = [view[0] - mx, view[1] - my, view[2] + mx, view[3] + my];
    }
    let coslat = ((view[1] + view[3]) / 2.0).to_radians().cos();
    let pw = 460.0_f64;
    let scale = pw / ((view[2] - view[0]) * coslat);
    let ph = ((view[3] - view[1]) * scale).clamp(120.0, 900.0);
    let px = |lon: f64, lat: f64| ((lon - view[0]) * coslat * scale, (view[3] - lat) * scale);
    // Paths, simplified to 0.7 px.
    let mut paths: Vec<Option<String>> = Vec::with_capacity(units.len());
    for ((_, rings), b) in units.iter().zip(&boxes) {
        if b[2] < view[0] || b[0] > view[2] || b[3] < view[1] || b[1] > view[3] {
            paths.push(None);
            continue;
        }
        let mut d = String::new();
        for r in rings {
            let mut kept: Vec<(f64, f64)> = Vec::new();
            for v in r {
                let p = px(f64::from(v[0]) / 1e6, f64::from(v[1]) / 1e6);
                if kept
                    .last()
                    .is_none_or(|q| (p.0 - q.0).abs() + (p.1 - q.1).abs() >= 0.7)
                {
                    kept.push(p);
                }
            }
            if kept.len() < 3 {
                continue;
            }
            for (i, (x, y)) in kept.iter().enumerate() {
                let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        paths.push((!d.is_empty()).then_some(d));
    }
    // Legend: courts of the units in view.
    let mut legend: Vec<u16> = Vec::new();
    for p in panels {
        for (i, c) in p.courts.iter().enumerate() {
            if paths.get(i).is_some_and(Option::is_some) && !legend.contains(c) {
                legend.push(*c);
            }
        }
    }
    legend.sort_by(|a, b| names.get(usize::from(*a)).cmp(&names.get(usize::from(*b))));
    let max_legend = 60;
    let shown = legend.len().min(max_legend);
    let gap = 20.0;
    let width = pw * panels.len() as f64 + gap * (panels.len().saturating_sub(1)) as f64 + 20.0;
    // Columns as wide as the longest name (CJK characters count double), so labels never
    // run into the next column.
    let longest = legend
        .iter()
        .take(shown)
        .map(|c| {
            names
                .get(usize::from(*c))
                .map(String::as_str)
                .unwrap_or(&words.no_court)
                .chars()
                .map(|ch| if ch.is_ascii() { 1usize } else { 2 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(10);
    let need = 19.0 + 6.2 * longest as f64 + 12.0;
    let cols = (((width - 20.0) / need).floor() as usize).clamp(1, 4);
    let rows = shown.div_ceil(cols) + usize::from(legend.len() > max_legend);
    let legend_h = 30.0 + 18.0 * rows as f64;
    let height = 40.0 + ph + 10.0 + legend_h;
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" font-family=\"sans-serif\" font-size=\"11\">"
    );
    let _ = writeln!(
        s,
        "<title>{}</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        esc(title)
    );
    let _ = writeln!(
        s,
        "<text x=\"10\" y=\"16\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        esc(title)
    );
    for (k, p) in panels.iter().enumerate() {
        let x0 = 10.0 + k as f64 * (pw + gap);
        let _ = writeln!(
            s,
            "<text x=\"{x0:.0}\" y=\"34\" font-size=\"12\">{}</text>",
            esc(&p.title)
        );
        let _ = writeln!(
            s,
            "<svg x=\"{x0:.0}\" y=\"40\" width=\"{pw:.0}\" height=\"{ph:.0}\" viewBox=\"0 0 {pw:.0} {ph:.0}\" overflow=\"hidden\"><rect width=\"100%\" height=\"100%\" fill=\"#eef4f8\"/>"
        );
        for (i, d) in paths.iter().enumerate() {
            let Some(d) = d else { continue };
            let c = p.courts.get(i).copied().unwrap_or(NONE);
            let label = format!(
                "{} → {}",
                unit_names.get(i).map(String::as_str).unwrap_or(""),
                names
                    .get(usize::from(c))
                    .map(String::as_str)
                    .unwrap_or(&words.no_court)
            );
            let _ = writeln!(
                s,
                "<path d=\"{d}\" fill=\"{}\" fill-rule=\"evenodd\" stroke=\"#777\" stroke-width=\"0.4\"><title>{}</title></path>",
                court_colour(colours, c),
                esc(&label)
            );
        }
        for (i, d) in paths.iter().enumerate() {
            if let (Some(d), true) = (d, changed.get(i).copied().unwrap_or(false)) {
                let _ = writeln!(
                    s,
                    "<path d=\"{d}\" fill=\"none\" stroke=\"#d00000\" stroke-width=\"2.2\" stroke-dasharray=\"5 2\"/>"
                );
            }
        }
        // Label changed units at their bounding-box centre.
        for (i, b) in boxes.iter().enumerate() {
            if changed.get(i).copied().unwrap_or(false) && paths.get(i).is_some_and(Option::is_some)
            {
                let (x, y) = px((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
                let _ = writeln!(
                    s,
                    "<text x=\"{x:.0}\" y=\"{y:.0}\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                    esc(unit_names.get(i).map(String::as_str).unwrap_or(""))
                );
            }
        }
        s.push_str("</svg>\n");
    }
    // Legend.
    let ly = 40.0 + ph + 10.0;
    let _ = writeln!(
        s,
        "<text x=\"10\" y=\"{:.0}\" font-size=\"12\" font-weight=\"bold\">{}</text><rect x=\"80\" y=\"{:.0}\" width=\"18\" height=\"11\" fill=\"none\" stroke=\"#d00000\" stroke-width=\"2\" stroke-dasharray=\"5 2\"/><text x=\"104\" y=\"{:.0}\">{}</text>",
        ly + 12.0,
        esc(&words.legend),
        ly + 3.0,
        ly + 12.0,
        esc(&words.changed)
    );
    let colw = (width - 20.0) / cols as f64;
    for (j, c) in legend.iter().take(shown).enumerate() {
        let (col, row) = (j % cols, j / cols);
        let (x, y) = (10.0 + col as f64 * colw, ly + 24.0 + row as f64 * 18.0);
        let _ = writeln!(
            s,
            "<rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"14\" height=\"12\" fill=\"{}\" stroke=\"#777\" stroke-width=\"0.5\"/><text x=\"{:.0}\" y=\"{:.0}\">{}</text>",
            court_colour(colours, *c),
            x + 19.0,
            y + 10.0,
            esc(names
                .get(usize::from(*c))
                .map(String::as_str)
                .unwrap_or(&words.no_court))
        );
    }
    if legend.len() > max_legend {
        let _ = writeln!(
            s,
            "<text x=\"10\" y=\"{:.0}\">{}</text>",
            ly + 34.0 + (rows - 1) as f64 * 18.0,
            esc(&words
                .more
                .replace("{n}", &(legend.len() - max_legend).to_string()))
        );
    }
    s.push_str("</svg>\n");
    s
}

/// A horizontal bar chart of signed values (`label`, delta), largest changes first, at most
/// `max` bars; `empty` is shown when no value is non-zero.
pub fn delta_bars(title: &str, items: &[(String, i64)], max: usize, empty: &str) -> String {
    let mut v: Vec<&(String, i64)> = items.iter().filter(|x| x.1 != 0).collect();
    v.sort_by(|a, b| b.1.abs().cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    v.truncate(max);
    let label_w = 340.0_f64;
    let bar_w = 520.0_f64;
    let row_h = 20.0_f64;
    let width = label_w + bar_w + 90.0;
    let height = 40.0 + row_h * v.len().max(1) as f64 + 20.0;
    let maxabs = v
        .iter()
        .map(|x| x.1.unsigned_abs())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let has_neg = v.iter().any(|x| x.1 < 0);
    let has_pos = v.iter().any(|x| x.1 > 0);
    let zero = label_w
        + if has_neg && has_pos {
            bar_w / 2.0
        } else if has_neg {
            bar_w
        } else {
            0.0
        };
    let span = if has_neg && has_pos {
        bar_w / 2.0
    } else {
        bar_w
    };
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" font-family=\"sans-serif\" font-size=\"11\">"
    );
    let _ = writeln!(
        s,
        "<title>{}</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        esc(title)
    );
    let _ = writeln!(
        s,
        "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        esc(title)
    );
    if v.is_empty() {
        let _ = writeln!(s, "<text x=\"10\" y=\"50\">{}</text>", esc(empty));
    }
    for (i, (label, d)) in v.iter().enumerate() {
        let y = 36.0 + i as f64 * row_h;
        let len = (d.unsigned_abs() as f64 / maxabs) * (span - 50.0);
        let (x, fill) = if *d >= 0 {
            (zero, "#2a9d8f")
        } else {
            (zero - len, "#e76f51")
        };
        let _ = writeln!(
            s,
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + 13.0,
            esc(label)
        );
        let _ = writeln!(
            s,
            "<rect x=\"{x:.1}\" y=\"{:.0}\" width=\"{len:.1}\" height=\"{:.0}\" fill=\"{fill}\"/>",
            y + 3.0,
            row_h - 6.0
        );
        let tx = if *d >= 0 {
            zero + len + 4.0
        } else {
            zero - len - 4.0
        };
        let anchor = if *d >= 0 { "start" } else { "end" };
        let _ = writeln!(
            s,
            "<text x=\"{tx:.1}\" y=\"{:.0}\" text-anchor=\"{anchor}\">{}{d}</text>",
            y + 13.0,
            if *d > 0 { "+" } else { "" }
        );
    }
    let _ = writeln!(
        s,
        "<line x1=\"{zero:.1}\" y1=\"30\" x2=\"{zero:.1}\" y2=\"{:.0}\" stroke=\"#333\" stroke-width=\"1\"/>",
        height - 14.0
    );
    s.push_str("</svg>\n");
    s
}
