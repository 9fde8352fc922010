//! Self-contained SVG figures: maps of which court hears each county-level unit (baseline
//! beside scenario, changed units outlined, with a legend) and bar charts of workload deltas.
//! Drawn from the embedded geodata rings (microdegrees) with the primitives of [`crate::svg`]
//! (projection, pixel-grid path data, escaping).
//! Colours come from [`super::colour`]: no two neighbouring courts share one.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::super::report::NONE;
use super::colour::NO_COURT;
use crate::spatial::Geodata;
use crate::svg::{Projection, bbox_degrees, escape, pixel_path};

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

/// Width of one map panel and the gap between panels, in pixels.
const PANEL_W: f64 = 460.0;
const PANEL_GAP: f64 = 20.0;
/// Courts listed in a legend at the most.
const MAX_LEGEND: usize = 60;

fn court_colour(colours: &HashMap<u16, String>, c: u16) -> &str {
    colours.get(&c).map(String::as_str).unwrap_or(NO_COURT)
}

/// The name of a court index, or "no court".
fn court_name<'a>(names: &'a [String], words: &'a MapWords, c: u16) -> &'a str {
    names
        .get(usize::from(c))
        .map(String::as_str)
        .unwrap_or(&words.no_court)
}

/// What a map shows: the degree box `[west, south, east, north]` in view, the projection of
/// a panel and its height in pixels.
struct View {
    bounds: [f64; 4],
    proj: Projection,
    height: f64,
}

impl View {
    /// The bounding box of the changed units with a margin (the whole region when nothing
    /// changed), projected onto a panel [`PANEL_W`] wide.
    fn of(boxes: &[[f64; 4]], changed: &[bool]) -> View {
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
        let scale = PANEL_W / ((view[2] - view[0]) * coslat);
        View {
            bounds: view,
            proj: Projection {
                lon0: view[0],
                lat1: view[3],
                kx: coslat * scale,
                ky: scale,
            },
            height: ((view[3] - view[1]) * scale).clamp(120.0, 900.0),
        }
    }

    /// Path data of each unit, simplified to 0.7 px; `None` for a unit out of view or
    /// too small to draw.
    fn paths(&self, geo: &Geodata, boxes: &[[f64; 4]]) -> Vec<Option<String>> {
        let v = self.bounds;
        geo.set()
            .units
            .iter()
            .zip(boxes)
            .map(|((_, rings), b)| {
                if b[2] < v[0] || b[0] > v[2] || b[3] < v[1] || b[1] > v[3] {
                    return None;
                }
                let d = pixel_path(rings, &self.proj, 0.7);
                (!d.is_empty()).then_some(d)
            })
            .collect()
    }
}

/// The legend's courts (those of the units in view, by name) and its grid.
struct Legend {
    courts: Vec<u16>,
    shown: usize,
    cols: usize,
    rows: usize,
}

impl Legend {
    /// Lays the legend out over `width`: columns as wide as the longest name (CJK characters
    /// count double), so labels never run into the next column.
    fn of(
        panels: &[Panel<'_>],
        paths: &[Option<String>],
        names: &[String],
        words: &MapWords,
        width: f64,
    ) -> Legend {
        let mut courts: Vec<u16> = Vec::new();
        for p in panels {
            for (i, c) in p.courts.iter().enumerate() {
                if paths.get(i).is_some_and(Option::is_some) && !courts.contains(c) {
                    courts.push(*c);
                }
            }
        }
        courts.sort_by(|a, b| names.get(usize::from(*a)).cmp(&names.get(usize::from(*b))));
        let shown = courts.len().min(MAX_LEGEND);
        let longest = courts
            .iter()
            .take(shown)
            .map(|c| {
                court_name(names, words, *c)
                    .chars()
                    .map(|ch| if ch.is_ascii() { 1usize } else { 2 })
                    .sum::<usize>()
            })
            .max()
            .unwrap_or(10);
        let need = 19.0 + 6.2 * longest as f64 + 12.0;
        let cols = (((width - 20.0) / need).floor() as usize).clamp(1, 4);
        let rows = shown.div_ceil(cols) + usize::from(courts.len() > MAX_LEGEND);
        Legend {
            courts,
            shown,
            cols,
            rows,
        }
    }

    /// Height in pixels.
    fn height(&self) -> f64 {
        30.0 + 18.0 * self.rows as f64
    }

    /// Writes the legend at `ly`: the changed-unit outline, then one swatch per court and
    /// "… and n more" when some are left out.
    fn write(
        &self,
        s: &mut String,
        ly: f64,
        width: f64,
        names: &[String],
        colours: &HashMap<u16, String>,
        words: &MapWords,
    ) {
        let _ = writeln!(
            s,
            "<text x=\"10\" y=\"{:.0}\" font-size=\"12\" font-weight=\"bold\">{}</text><rect x=\"80\" y=\"{:.0}\" width=\"18\" height=\"11\" fill=\"none\" stroke=\"#d00000\" stroke-width=\"2\" stroke-dasharray=\"5 2\"/><text x=\"104\" y=\"{:.0}\">{}</text>",
            ly + 12.0,
            escape(&words.legend),
            ly + 3.0,
            ly + 12.0,
            escape(&words.changed)
        );
        let colw = (width - 20.0) / self.cols as f64;
        for (j, c) in self.courts.iter().take(self.shown).enumerate() {
            let (col, row) = (j % self.cols, j / self.cols);
            let (x, y) = (10.0 + col as f64 * colw, ly + 24.0 + row as f64 * 18.0);
            let _ = writeln!(
                s,
                "<rect x=\"{x:.0}\" y=\"{y:.0}\" width=\"14\" height=\"12\" fill=\"{}\" stroke=\"#777\" stroke-width=\"0.5\"/><text x=\"{:.0}\" y=\"{:.0}\">{}</text>",
                court_colour(colours, *c),
                x + 19.0,
                y + 10.0,
                escape(court_name(names, words, *c))
            );
        }
        if self.courts.len() > MAX_LEGEND {
            let _ = writeln!(
                s,
                "<text x=\"10\" y=\"{:.0}\">{}</text>",
                ly + 34.0 + (self.rows - 1) as f64 * 18.0,
                escape(
                    &words
                        .more
                        .replace("{n}", &(self.courts.len() - MAX_LEGEND).to_string())
                )
            );
        }
    }
}

/// Opens a figure: the XML declaration, the `<svg>` element, the title and a white ground.
fn open_figure(s: &mut String, width: f64, height: f64, title: &str) {
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" font-family=\"sans-serif\" font-size=\"11\">"
    );
    let _ = writeln!(
        s,
        "<title>{}</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        escape(title)
    );
}

/// The parts of a unit map that every panel shares.
struct MapParts<'a> {
    view: &'a View,
    paths: &'a [Option<String>],
    boxes: &'a [[f64; 4]],
    changed: &'a [bool],
    names: &'a [String],
    unit_names: &'a [String],
    colours: &'a HashMap<u16, String>,
    words: &'a MapWords,
}

impl MapParts<'_> {
    /// Whether unit `i` changes.
    fn is_changed(&self, i: usize) -> bool {
        self.changed.get(i).copied().unwrap_or(false)
    }

    /// The name of unit `i`.
    fn unit_name(&self, i: usize) -> &str {
        self.unit_names.get(i).map(String::as_str).unwrap_or("")
    }

    /// Writes panel `k` at its place: its title, every unit in its court's colour, the
    /// changed units outlined and labelled at their bounding-box centre.
    fn write_panel(&self, s: &mut String, k: usize, p: &Panel<'_>) {
        let (pw, ph) = (PANEL_W, self.view.height);
        let x0 = 10.0 + k as f64 * (pw + PANEL_GAP);
        let _ = writeln!(
            s,
            "<text x=\"{x0:.0}\" y=\"34\" font-size=\"12\">{}</text>",
            escape(&p.title)
        );
        let _ = writeln!(
            s,
            "<svg x=\"{x0:.0}\" y=\"40\" width=\"{pw:.0}\" height=\"{ph:.0}\" viewBox=\"0 0 {pw:.0} {ph:.0}\" overflow=\"hidden\"><rect width=\"100%\" height=\"100%\" fill=\"#eef4f8\"/>"
        );
        for (i, d) in self.paths.iter().enumerate() {
            let Some(d) = d else { continue };
            let c = p.courts.get(i).copied().unwrap_or(NONE);
            let label = format!(
                "{} → {}",
                self.unit_name(i),
                court_name(self.names, self.words, c)
            );
            let _ = writeln!(
                s,
                "<path d=\"{d}\" fill=\"{}\" fill-rule=\"evenodd\" stroke=\"#777\" stroke-width=\"0.4\"><title>{}</title></path>",
                court_colour(self.colours, c),
                escape(&label)
            );
        }
        for (i, d) in self.paths.iter().enumerate() {
            if let (Some(d), true) = (d, self.is_changed(i)) {
                let _ = writeln!(
                    s,
                    "<path d=\"{d}\" fill=\"none\" stroke=\"#d00000\" stroke-width=\"2.2\" stroke-dasharray=\"5 2\"/>"
                );
            }
        }
        for (i, b) in self.boxes.iter().enumerate() {
            if self.is_changed(i) && self.paths.get(i).is_some_and(Option::is_some) {
                let (x, y) = self.view.proj.xy((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
                let _ = writeln!(
                    s,
                    "<text x=\"{x:.0}\" y=\"{y:.0}\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                    escape(self.unit_name(i))
                );
            }
        }
        s.push_str("</svg>\n");
    }
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
    let boxes: Vec<[f64; 4]> = geo
        .set()
        .units
        .iter()
        .map(|(_, r)| bbox_degrees(r))
        .collect();
    let view = View::of(&boxes, changed);
    let paths = view.paths(geo, &boxes);
    let width =
        PANEL_W * panels.len() as f64 + PANEL_GAP * (panels.len().saturating_sub(1)) as f64 + 20.0;
    let legend = Legend::of(panels, &paths, names, words, width);
    let height = 40.0 + view.height + 10.0 + legend.height();
    let mut s = String::new();
    open_figure(&mut s, width, height, title);
    let _ = writeln!(
        s,
        "<text x=\"10\" y=\"16\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    let parts = MapParts {
        view: &view,
        paths: &paths,
        boxes: &boxes,
        changed,
        names,
        unit_names,
        colours,
        words,
    };
    for (k, p) in panels.iter().enumerate() {
        parts.write_panel(&mut s, k, p);
    }
    legend.write(
        &mut s,
        40.0 + view.height + 10.0,
        width,
        names,
        colours,
        words,
    );
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
    open_figure(&mut s, width, height, title);
    let _ = writeln!(
        s,
        "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
    if v.is_empty() {
        let _ = writeln!(s, "<text x=\"10\" y=\"50\">{}</text>", escape(empty));
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
            escape(label)
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
