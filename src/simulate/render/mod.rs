//! The output home of `simulate`: every byte a reform report writes — Markdown, HTML, CSV and
//! SVG — is rendered here, in English or Chinese, from the aggregates of
//! [`super::report`]. Sans IO: functions return strings; `cli::simulate` writes them.
//!
//! - [`document`]: the report's content as a language-neutral [`Document`] (title, summary,
//!   provenance, sections of tables), built in the report's language;
//! - [`Document::markdown`] and [`Document::html`]: its two renderings;
//! - [`csv`]: the CSV tables (changes, flagged, workload, replay);
//! - [`figures`]: the maps (only for kinds that change) and bar charts of a report;
//! - [`svg`]: the report figures (unit maps, bar charts), drawn with [`crate::svg`]; [`colour`]: the map palette (a graph
//!   colouring over unit adjacency).

pub mod colour;
pub mod csv;
pub mod document;
pub mod figures;
pub mod svg;

use std::fmt::Write as _;

use super::report::Answer;
use crate::explain::Lang;
use crate::model::Status;

/// Picks the English or Chinese text.
pub fn tr<'a>(lang: Lang, en: &'a str, zh: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// One figure of a report: file name, caption, SVG text.
#[derive(Debug, Clone)]
pub struct Figure {
    /// File name in the report folder.
    pub file: String,
    /// Caption.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// One section: a heading, an introduction (inline Markdown: `code`, *emphasis*), a table.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Heading level (2 or 3).
    pub level: u8,
    /// Heading.
    pub title: String,
    /// Introduction paragraph(s).
    pub intro: Vec<String>,
    /// Table head (no table when empty).
    pub head: Vec<String>,
    /// Table rows.
    pub rows: Vec<Vec<String>>,
    /// Text shown instead of an empty table.
    pub empty: String,
}

/// A whole report in one language.
#[derive(Debug, Clone)]
pub struct Document {
    /// Language.
    pub lang: Lang,
    /// Title: the scenario's own name.
    pub title: String,
    /// What the scenario does (its description and rule summaries).
    pub about: Vec<String>,
    /// The plain-language summary (first screen).
    pub summary: Vec<String>,
    /// Where the cases come from and what they leave out (first screen).
    pub provenance: Vec<String>,
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// Heading of the figures.
    pub figures_title: String,
    /// The figures.
    pub figures: Vec<Figure>,
}

/// Escapes text for HTML and SVG (the one escaping of every map and page: [`crate::svg::escape`]).
pub use crate::svg::escape as esc;

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Inline Markdown (`code`, *emphasis*, **strong**) as HTML.
fn md_inline(s: &str) -> String {
    let mut out = String::new();
    let mut code = false;
    let mut em = false;
    let mut strong = false;
    let text = esc(s);
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '`' => {
                out.push_str(if code { "</code>" } else { "<code>" });
                code = !code;
            }
            '*' if !code && chars.peek() == Some(&'*') => {
                chars.next();
                out.push_str(if strong { "</strong>" } else { "<strong>" });
                strong = !strong;
            }
            '*' if !code => {
                out.push_str(if em { "</em>" } else { "<em>" });
                em = !em;
            }
            _ => out.push(ch),
        }
    }
    out
}

impl Document {
    fn first_screen_titles(&self) -> (&'static str, &'static str, &'static str) {
        (
            tr(self.lang, "In brief", "要点"),
            tr(self.lang, "The scenario", "情景"),
            tr(self.lang, "Where the cases come from", "案件数据来源与局限"),
        )
    }

    /// The Markdown report; figures are linked by file name.
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let (brief, about, prov) = self.first_screen_titles();
        let _ = writeln!(s, "# {}\n", self.title);
        for (title, paras) in [
            (brief, &self.summary),
            (about, &self.about),
            (prov, &self.provenance),
        ] {
            if paras.is_empty() {
                continue;
            }
            let _ = writeln!(s, "## {title}\n");
            for p in paras {
                let _ = writeln!(s, "{p}\n");
            }
        }
        for sec in &self.sections {
            let hashes = "#".repeat(usize::from(sec.level.clamp(2, 4)));
            let _ = writeln!(s, "{hashes} {}\n", sec.title);
            for p in &sec.intro {
                let _ = writeln!(s, "{p}\n");
            }
            if sec.head.is_empty() {
                continue;
            }
            if sec.rows.is_empty() {
                let _ = writeln!(s, "{}\n", sec.empty);
                continue;
            }
            let _ = writeln!(
                s,
                "| {} |",
                sec.head
                    .iter()
                    .map(|h| md_cell(h))
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
            let _ = writeln!(
                s,
                "|{}|",
                sec.head
                    .iter()
                    .map(|_| " --- ")
                    .collect::<Vec<_>>()
                    .join("|")
            );
            for r in &sec.rows {
                let _ = writeln!(
                    s,
                    "| {} |",
                    r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
                );
            }
            s.push('\n');
        }
        if !self.figures.is_empty() {
            let _ = writeln!(s, "## {}\n", self.figures_title);
            for f in &self.figures {
                let _ = writeln!(s, "### {}\n\n![{}]({})\n", f.title, f.title, f.file);
            }
        }
        s
    }

    /// The self-contained HTML report: inline CSS and SVG, no scripts, no external assets.
    pub fn html(&self) -> String {
        let mut s = String::new();
        let lang = tr(self.lang, "en", "zh-Hans");
        let _ = writeln!(
            s,
            "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\n<title>{}</title>",
            esc(&self.title)
        );
        s.push_str("<style>body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}code{background:#f3f3f3;padding:0 .2em}figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}svg{max-width:100%;height:auto}.brief{background:#f5f9fc;border-left:4px solid #2a6f97;padding:.3em 1em}</style>\n</head><body>\n");
        let _ = writeln!(s, "<h1>{}</h1>", esc(&self.title));
        let (brief, about, prov) = self.first_screen_titles();
        for (title, paras, class) in [
            (brief, &self.summary, " class=\"brief\""),
            (about, &self.about, ""),
            (prov, &self.provenance, ""),
        ] {
            if paras.is_empty() {
                continue;
            }
            let _ = writeln!(s, "<section{class}><h2>{}</h2>", esc(title));
            for p in paras {
                let _ = writeln!(s, "<p>{}</p>", md_inline(p));
            }
            s.push_str("</section>\n");
        }
        for sec in &self.sections {
            let h = sec.level.clamp(2, 4);
            let _ = writeln!(s, "<h{h}>{}</h{h}>", esc(&sec.title));
            for p in &sec.intro {
                let _ = writeln!(s, "<p>{}</p>", md_inline(p));
            }
            if sec.head.is_empty() {
                continue;
            }
            if sec.rows.is_empty() {
                let _ = writeln!(s, "<p>{}</p>", md_inline(&sec.empty));
                continue;
            }
            s.push_str("<table><thead><tr>");
            for c in &sec.head {
                let _ = write!(s, "<th>{}</th>", esc(c));
            }
            s.push_str("</tr></thead><tbody>\n");
            for r in &sec.rows {
                s.push_str("<tr>");
                for c in r {
                    let _ = write!(s, "<td>{}</td>", esc(c));
                }
                s.push_str("</tr>\n");
            }
            s.push_str("</tbody></table>\n");
        }
        if !self.figures.is_empty() {
            let _ = writeln!(s, "<h2>{}</h2>", esc(&self.figures_title));
            for f in &self.figures {
                let inline = f
                    .svg
                    .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
                let inline =
                    inline.trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
                let _ = writeln!(
                    s,
                    "<figure><figcaption>{}</figcaption>\n{inline}</figure>",
                    esc(&f.title)
                );
            }
        }
        s.push_str("</body></html>\n");
        s
    }
}

/// Names and labels for rendering.
#[derive(Debug, Clone)]
pub struct Labels {
    /// Court ids by table index.
    pub court_ids: Vec<String>,
    /// Court names (Chinese) by table index.
    pub court_names: Vec<String>,
    /// Unit `(adcode, name)` by unit index.
    pub units: Vec<(String, String)>,
    /// The input.
    pub cases: String,
    /// Language of the words ("no court", "error").
    pub lang: Lang,
}

impl Labels {
    /// `name (id)` of a court index.
    pub fn court(&self, c: u16) -> String {
        match (
            self.court_names.get(usize::from(c)),
            self.court_ids.get(usize::from(c)),
        ) {
            (Some(n), Some(id)) => format!("{n} ({id})"),
            _ => "—".to_string(),
        }
    }

    /// Courts joined by ` + `, or "no court".
    pub fn courts(&self, cs: &[u16]) -> String {
        if cs.is_empty() {
            return tr(self.lang, "no court", "无管辖法院").to_string();
        }
        cs.iter()
            .map(|c| self.court(*c))
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// An answer in words.
    pub fn answer(&self, a: &Answer) -> String {
        match a {
            Err(e) => format!("{}: {e}", tr(self.lang, "error", "错误")),
            Ok(s) if s.status == Status::NoCourt => {
                tr(self.lang, "no court", "无管辖法院").to_string()
            }
            Ok(s) => self.courts(&s.courts.iter().map(|c| c.court).collect::<Vec<_>>()),
        }
    }

    /// `name adcode` of a unit.
    pub fn unit(&self, u: Option<usize>) -> String {
        u.and_then(|u| self.units.get(u))
            .map(|(c, n)| format!("{n} {c}"))
            .unwrap_or_else(|| "—".to_string())
    }
}

/// The rules of an answer: per court `a+b`, courts joined by ` | `.
pub fn answer_rules(a: &Answer) -> String {
    match a {
        Ok(s) => s
            .courts
            .iter()
            .map(|c| c.rules.join("+"))
            .collect::<Vec<_>>()
            .join(" | "),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_to_html() {
        assert_eq!(
            md_inline("a `b<c` *d* **e**"),
            "a <code>b&lt;c</code> <em>d</em> <strong>e</strong>"
        );
    }
}
