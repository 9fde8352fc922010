//! Renders a [`Decision`] as text, in English (with Chinese names beside) or Chinese.
//! JSON is the serde serialization of `Decision` itself. No IO.

use std::fmt::Write as _;

use crate::model::{Confidence, Decision, RelationKind, Status};

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Chinese.
    Zh,
}

/// The decision as human-readable text.
pub fn render_text(d: &Decision, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    let id = d
        .case_id
        .as_deref()
        .map(|i| format!(" `{i}`"))
        .unwrap_or_default();
    if zh {
        let _ = writeln!(s, "案件{id}：{}，立案日期 {}", d.kind.name_zh(), d.filed_on);
    } else {
        let _ = writeln!(
            s,
            "case{id}: {} ({}), filed on {}",
            d.kind,
            d.kind.name_zh(),
            d.filed_on
        );
    }
    match d.status {
        Status::NoCourt => {
            let reason = d
                .no_court_reason
                .as_ref()
                .map(|r| if zh { r.zh.as_str() } else { r.en.as_str() })
                .unwrap_or("");
            if zh {
                let _ = writeln!(s, "无管辖法院：{reason}");
            } else {
                let _ = writeln!(s, "no competent court: {reason}");
            }
        }
        Status::Routed => {
            if zh {
                let _ = writeln!(s, "有管辖权的第一审法院（{}家）：", d.competent.len());
            } else {
                let _ = writeln!(
                    s,
                    "competent first-instance court(s): {}",
                    d.competent.len()
                );
            }
        }
    }
    for (i, c) in d.competent.iter().enumerate() {
        let n = i + 1;
        if zh {
            let _ = writeln!(s, "{n}. {}（{}）", c.court.name_zh, c.court.id);
            if let Some(t) = &c.tribunal {
                let _ = writeln!(s, "   审判庭：{}", t.name_zh);
            }
            if let Some(a) = &c.appeal_court {
                let _ = writeln!(s, "   上诉法院：{}", a.name_zh);
            }
        } else {
            let _ = writeln!(
                s,
                "{n}. {} {} [{}]",
                c.court.name_zh, c.court.name_en, c.court.id
            );
            if let Some(t) = &c.tribunal {
                let _ = writeln!(s, "   tribunal: {} {}", t.name_zh, t.name_en);
            }
            if let Some(a) = &c.appeal_court {
                let _ = writeln!(s, "   appeal:   {} {}", a.name_zh, a.name_en);
            }
        }
        for g in &c.grounds {
            let place = match (&g.unit, &g.feature) {
                (Some(u), _) => format!("{} {}", u.adcode, u.name),
                (None, Some(f)) => f.clone(),
                _ => g.place_text.clone(),
            };
            let sources: Vec<&str> = g.sources.iter().map(|s| s.key.as_str()).collect();
            let unc = g.confidence == Confidence::Uncertain;
            let cor = g.confidence == Confidence::Corroborated;
            if zh {
                let _ = writeln!(
                    s,
                    "   依据：第{}个地点（{}{}，{}）→ {}：{}{}",
                    g.place,
                    g.factor.name_zh(),
                    if g.subsidiary {
                        "，更为适宜时"
                    } else {
                        ""
                    },
                    place,
                    g.rules.join(" + "),
                    g.summary.zh,
                    if unc {
                        "〔不确定〕"
                    } else if cor {
                        "〔有实际案例佐证，未见文件依据〕"
                    } else {
                        ""
                    }
                );
                let _ = writeln!(s, "         来源：{}", sources.join("、"));
            } else {
                let _ = writeln!(
                    s,
                    "   ground: place #{} ({}{}: {}) at {} level → {}: {}{}",
                    g.place,
                    g.factor,
                    if g.subsidiary {
                        ", if more suitable"
                    } else {
                        ""
                    },
                    place,
                    g.level,
                    g.rules.join(" + "),
                    g.summary.en,
                    if unc {
                        " [uncertain]"
                    } else if cor {
                        " [corroborated by real cases, no document found]"
                    } else {
                        ""
                    }
                );
                let _ = writeln!(s, "           sources: {}", sources.join(", "));
            }
        }
    }
    if matches!(
        d.relation.kind,
        RelationKind::Concurrent | RelationKind::CrossProvince
    ) {
        let label = match (d.relation.kind, zh) {
            (RelationKind::CrossProvince, true) => "跨省并存管辖",
            (RelationKind::CrossProvince, false) => "concurrent, across provinces",
            (_, true) => "并存管辖",
            (_, false) => "concurrent",
        };
        let text = if zh {
            &d.relation.text.zh
        } else {
            &d.relation.text.en
        };
        if zh {
            let _ = writeln!(
                s,
                "法院关系：{label}（{}）。{text}",
                d.relation.rules.join("、")
            );
        } else {
            let _ = writeln!(
                s,
                "relation: {label} ({}). {text}",
                d.relation.rules.join(", ")
            );
        }
    }
    if !d.warnings.is_empty() {
        let _ = writeln!(s, "{}", if zh { "提示：" } else { "warnings:" });
        for w in &d.warnings {
            let _ = writeln!(
                s,
                "  - [{}] {}",
                w.code,
                if zh { &w.message.zh } else { &w.message.en }
            );
        }
    }
    if zh {
        let _ = writeln!(
            s,
            "规则版本 {}；地理数据 {}",
            d.rules_version, d.geodata_version
        );
    } else {
        let _ = writeln!(
            s,
            "rules {}; geodata {}",
            d.rules_version, d.geodata_version
        );
    }
    s
}
