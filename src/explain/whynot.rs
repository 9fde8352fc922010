//! The words of a "why not this court?" answer ([`crate::eval::whynot`]): the JSON shape
//! (`why_not: [{court, competent, summary, rules: [{rule, reason: {code, en, zh}}]}]`) and its
//! text in English or Chinese.

use std::fmt::Write as _;

use serde::Serialize;

use crate::eval::whynot::WhyNot;
use crate::eval::{Admitted, Engine};
use crate::model::Text;

use super::Lang;
use super::messages::Names;

/// The answer for one court (JSON `why_not[]`).
#[derive(Debug, Clone, Serialize)]
pub struct WhyNotAnswer {
    /// The court id.
    pub court: String,
    /// The court's Chinese name.
    pub court_name: String,
    /// Whether the court is competent for the case.
    pub competent: bool,
    /// The answer in one sentence.
    pub summary: Text,
    /// Every venue rule that could give the court, in precedence order.
    pub rules: Vec<WhyNotRule>,
}

/// One rule of a [`WhyNotAnswer`].
#[derive(Debug, Clone, Serialize)]
pub struct WhyNotRule {
    /// The rule id.
    pub rule: String,
    /// Why it did or did not give the court.
    pub reason: WhyNotReasonText,
}

/// A reason: its code and words.
#[derive(Debug, Clone, Serialize)]
pub struct WhyNotReasonText {
    /// Stable machine word (`applies`, `wrong_kind`, `not_in_force`, `outside_territory`,
    /// `wrong_level`, `no_level`, `conditions`, `alternative_only`, `overridden`).
    pub code: &'static str,
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

impl Engine {
    /// The "why not" answers for the named courts (ids or names, see [`Engine::find_court`])
    /// of an admitted case.
    pub fn why_not_answers(
        &self,
        a: &Admitted,
        courts: &[&crate::rules::Court],
    ) -> Vec<WhyNotAnswer> {
        let o = self.decide(a);
        let names = Names {
            rules: self.rules(),
            geo: self.geo(),
        };
        courts
            .iter()
            .map(|c| {
                let w: WhyNot = self.why_not(a, &o, c);
                WhyNotAnswer {
                    court: w.court.clone(),
                    court_name: c.name_zh.clone(),
                    competent: w.competent,
                    summary: names.why_not_summary(a, &w),
                    rules: w
                        .rules
                        .iter()
                        .map(|(id, r)| {
                            let t = names.why_not_reason(a, r);
                            WhyNotRule {
                                rule: id.clone(),
                                reason: WhyNotReasonText {
                                    code: r.code(),
                                    en: t.en,
                                    zh: t.zh,
                                },
                            }
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

/// The answers as text.
pub fn render_why_not(answers: &[WhyNotAnswer], lang: Lang) -> String {
    let mut s = String::new();
    for w in answers {
        let (head, colon, summary) = match lang {
            Lang::En => ("why not", ": ", &w.summary.en),
            Lang::Zh => ("为何不是", "：", &w.summary.zh),
        };
        let _ = writeln!(s, "\n{head} {}{colon}{summary}", w.court);
        for r in &w.rules {
            let text = match lang {
                Lang::En => &r.reason.en,
                Lang::Zh => &r.reason.zh,
            };
            let _ = writeln!(s, "  - {}{colon}{text}", r.rule);
        }
    }
    s
}
