//! The content of a reform report, in English or Chinese: title from the scenario's own name,
//! a plain-language summary, the population's provenance and limits (the first screen), then
//! per-year figures, the Demonstration Zone per district, changes, workload, fragmentation,
//! travel and flagged cases.
//!
//! Per-year figures count the cases filed while the scenario is in force (on or after its
//! `effective_from`), divided by the number of filing years among them.

use std::collections::BTreeMap;

use super::{Document, Figure, Labels, Section, tr};
use crate::explain::Lang;
use crate::model::{CaseKind, Date};
use crate::simulate::report::{
    Aggregate, DistrictAgg, Fragmentation, Replay, fragmentation, fragmentation_of, kinds_present,
    median_p90, workload,
};

/// The three counties of the Yangtze River Delta Eco-Green Integrated Development
/// Demonstration Zone (长三角生态绿色一体化发展示范区): adcode, Chinese name, English name.
pub const DEMO_ZONE: [(&str, &str, &str); 3] = [
    ("310118", "青浦区", "Qingpu"),
    ("320509", "吴江区", "Wujiang"),
    ("330421", "嘉善县", "Jiashan"),
];

/// What a report needs to know of its scenario file.
#[derive(Debug, Clone, Default)]
pub struct ScenarioInfo {
    /// Scenario id.
    pub id: String,
    /// Title, English.
    pub title_en: String,
    /// Title, Chinese.
    pub title_zh: String,
    /// Description (English).
    pub description: Option<String>,
    /// Effective date.
    pub effective_from: Option<Date>,
    /// New rules: id, summary in English, summary in Chinese.
    pub rules: Vec<(String, String, String)>,
    /// Retired rule ids.
    pub retire: Vec<String>,
    /// Added or replaced court ids.
    pub courts: Vec<String>,
}

/// Where the cases come from: the `FILE.meta.json` that `generate-cases` writes beside them.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// `calibrated` or `stress`.
    pub mode: String,
    /// Seed.
    pub seed: Option<u64>,
    /// Years covered.
    pub years: Option<(i64, i64)>,
    /// Scale against the published volumes.
    pub scale: Option<f64>,
    /// Published figures the population reproduces.
    pub figures: usize,
    /// Of which with a source URL.
    pub figures_with_url: usize,
    /// Of which inside the generated years.
    pub in_years: usize,
    /// Largest deviation from a published figure inside the generated years (fraction).
    pub max_deviation: Option<f64>,
    /// What the population leaves out.
    pub not_modelled: Vec<String>,
}

fn in_years(figure: &serde_json::Value) -> bool {
    figure
        .get("in_generated_years")
        .and_then(serde_json::Value::as_bool)
        != Some(false)
}

impl Provenance {
    /// Reads the meta file's JSON; `None` when it is not one of ours.
    pub fn from_meta_json(text: &str) -> Option<Provenance> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let mode = v.get("mode")?.as_str()?.to_string();
        let figures = v.get("figures").and_then(|f| f.as_array());
        let years = v
            .get("years")
            .and_then(|y| Some((y.get("from")?.as_i64()?, y.get("to")?.as_i64()?)));
        let years = years.or_else(|| {
            let d = v.get("dates")?;
            let y = |k: &str| d.get(k)?.as_str()?.get(..4)?.parse::<i64>().ok();
            Some((y("from")?, y("to")?))
        });
        Some(Provenance {
            mode,
            seed: v.get("seed").and_then(serde_json::Value::as_u64),
            years,
            scale: v.get("scale").and_then(serde_json::Value::as_f64),
            figures: figures.map_or(0, Vec::len),
            figures_with_url: figures.map_or(0, |f| {
                f.iter()
                    .filter(|x| {
                        x.get("url")
                            .and_then(|u| u.as_str())
                            .is_some_and(|u| u.starts_with("http"))
                    })
                    .count()
            }),
            in_years: figures.map_or(0, |f| f.iter().filter(|x| in_years(x)).count()),
            max_deviation: figures.and_then(|f| {
                f.iter()
                    .filter(|x| in_years(x))
                    .filter_map(|x| x.get("deviation").and_then(serde_json::Value::as_f64))
                    .map(f64::abs)
                    .max_by(f64::total_cmp)
            }),
            not_modelled: v
                .get("not_modelled")
                .and_then(|n| n.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }
}

/// Everything besides the aggregate that a report shows.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// Language.
    pub lang: Lang,
    /// The scenario.
    pub scenario: &'a ScenarioInfo,
    /// Baseline label (rules version or baseline scenario).
    pub baseline: String,
    /// Scenario rules version.
    pub scenario_version: String,
    /// Population provenance, when the input has a meta file.
    pub population: Option<Provenance>,
    /// Names.
    pub labels: &'a Labels,
    /// Kinds whose map does not change (no map drawn).
    pub unchanged_map_kinds: Vec<CaseKind>,
    /// Replay findings, when `--replay` was given.
    pub replay: Option<&'a Replay>,
    /// The replayed log's name.
    pub replay_file: String,
}

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

fn signed(d: f64, decimals: usize) -> String {
    if d > 0.0 {
        format!("+{d:.decimals$}")
    } else {
        format!("{d:.decimals$}")
    }
}

/// A count per year: integers for one year, one decimal otherwise.
struct PerYear(u64);

impl PerYear {
    fn decimals(&self) -> usize {
        if self.0 <= 1 { 0 } else { 1 }
    }

    fn of(&self, n: u64) -> String {
        format!("{:.*}", self.decimals(), n as f64 / self.0 as f64)
    }

    fn delta(&self, before: u64, after: u64) -> String {
        signed(
            (after as f64 - before as f64) / self.0 as f64,
            self.decimals(),
        )
    }
}

fn kind_name(lang: Lang, k: CaseKind) -> &'static str {
    match lang {
        Lang::En => k.name(),
        Lang::Zh => k.name_zh(),
    }
}

fn district_name(lang: Lang, adcode: &str) -> String {
    match DEMO_ZONE.iter().find(|d| d.0 == adcode) {
        Some((c, zh, en)) => match lang {
            Lang::En => format!("{zh} {en} ({c})"),
            Lang::Zh => format!("{zh}（{c}）"),
        },
        None => adcode.to_string(),
    }
}

/// Builds the report.
pub fn build(agg: &mut Aggregate, cx: &Context<'_>, figures: Vec<Figure>) -> Document {
    let lang = cx.lang;
    let years = PerYear(agg.in_force.n_years());
    let title = match lang {
        Lang::En if !cx.scenario.title_en.is_empty() => cx.scenario.title_en.clone(),
        Lang::Zh if !cx.scenario.title_zh.is_empty() => cx.scenario.title_zh.clone(),
        _ => cx.scenario.id.clone(),
    };
    let mut sections = Vec::new();
    let summary = summary(agg, cx, &years);
    sections.push(totals_section(agg, lang));
    sections.push(per_year_section(agg, lang));
    let (dz, dz_workload) = demo_zone_sections(agg, cx, &years);
    sections.push(dz);
    sections.extend(dz_workload);
    sections.push(transitions_section(agg, cx));
    sections.push(workload_section(agg, cx, &years));
    sections.push(fragmentation_section(&fragmentation(agg), lang));
    sections.push(travel_section(agg, cx));
    sections.push(flagged_section(agg, cx));
    if let Some(r) = cx.replay {
        sections.push(replay_section(r, cx));
    }
    sections.push(definitions(lang, cx));
    Document {
        lang,
        title,
        about: about(cx),
        summary,
        provenance: provenance(agg, cx),
        sections,
        figures_title: tr(lang, "Maps and charts", "地图与图表").to_string(),
        figures,
    }
}

fn summary(agg: &mut Aggregate, cx: &Context<'_>, years: &PerYear) -> Vec<String> {
    let lang = cx.lang;
    let f = &agg.in_force;
    let eff = cx
        .scenario
        .effective_from
        .map(|d| d.to_string())
        .unwrap_or_else(|| "—".into());
    let mut out = Vec::new();
    if f.cases == 0 {
        out.push(match lang {
            Lang::En => format!("The scenario takes effect on {eff}, and no case of the input is filed on or after that date: nothing changes. Give cases filed from {eff} (for example `ecojuris generate-cases --from-year {} --output cases.csv`).", eff.get(..4).unwrap_or("2025")),
            Lang::Zh => format!("本情景自{eff}起生效，输入中没有该日及以后立案的案件，因此没有任何变化。请提供自{eff}起立案的案件（例如 `ecojuris generate-cases --from-year {} --output cases.csv`）。", eff.get(..4).unwrap_or("2025")),
        });
        return out;
    }
    let yr_list: Vec<String> = f.years.iter().map(i32::to_string).collect();
    let share = f.changed as f64 / f.cases as f64;
    out.push(match lang {
        Lang::En => format!(
            "From {eff}, **{} of {} cases a year** ({}) would be heard by a different court or set of courts under this scenario (average over the filing year(s) {} in force).",
            years.of(f.changed), years.of(f.cases), pct(share), yr_list.join(", ")
        ),
        Lang::Zh => format!(
            "自{eff}起，在本情景下**每年{}件案件中有{}件**（{}）将改由其他法院（或其他法院组合）审理（按情景生效的立案年份{}平均）。",
            years.of(f.cases), years.of(f.changed), pct(share), yr_list.join("、")
        ),
    });
    // Demonstration Zone, one sentence per district.
    let mut dz = Vec::new();
    for d in &agg.districts {
        let adcode = cx
            .labels
            .units
            .get(d.unit)
            .map(|u| u.0.as_str())
            .unwrap_or("");
        let fr = fragmentation_of(&d.incidents);
        let name = district_name(lang, adcode);
        dz.push(if fr.incidents > 0 {
            match lang {
                Lang::En => format!(
                    "{name}: {} cases a year, {} change court; an incident with several cases is heard by {:.2} courts today and {:.2} under the scenario",
                    years.of(d.cases), years.of(d.changed), fr.mean_courts.0, fr.mean_courts.1
                ),
                Lang::Zh => format!(
                    "{name}：每年{}件，其中{}件改变审理法院；一起事件的多个案件目前平均由{:.2}个法院审理，情景下为{:.2}个",
                    years.of(d.cases), years.of(d.changed), fr.mean_courts.0, fr.mean_courts.1
                ),
            }
        } else {
            match lang {
                Lang::En => format!("{name}: {} cases a year, {} change court", years.of(d.cases), years.of(d.changed)),
                Lang::Zh => format!("{name}：每年{}件，其中{}件改变审理法院", years.of(d.cases), years.of(d.changed)),
            }
        });
    }
    if !dz.is_empty() {
        out.push(match lang {
            Lang::En => format!("Demonstration Zone — {}.", dz.join("; ")),
            Lang::Zh => format!("示范区——{}。", dz.join("；")),
        });
    }
    // Largest workload changes.
    let kinds = kinds_present(&agg.in_force.workload);
    let wl = workload(&agg.in_force.workload, &kinds);
    let moves: Vec<String> = wl
        .iter()
        .filter(|r| r.delta() != 0)
        .take(3)
        .map(|r| {
            format!(
                "{} {}",
                cx.labels.court(r.court),
                years.delta(r.before, r.after)
            )
        })
        .collect();
    out.push(if moves.is_empty() {
        tr(
            lang,
            "No court's workload changes.",
            "没有法院的收案量发生变化。",
        )
        .to_string()
    } else {
        match lang {
            Lang::En => format!(
                "Largest workload changes (cases a year): {}.",
                moves.join("; ")
            ),
            Lang::Zh => format!("收案量变化最大的法院（每年件数）：{}。", moves.join("；")),
        }
    });
    out.push(match lang {
        Lang::En => format!(
            "{} cases a year would be left without a court, or claimed by more courts than today (flagged; listed below).",
            years.of(f.flagged)
        ),
        Lang::Zh => format!(
            "每年有{}件案件在情景下无管辖法院，或由比现在更多的法院管辖（见下文“需关注的案件”）。",
            years.of(f.flagged)
        ),
    });
    out
}

fn about(cx: &Context<'_>) -> Vec<String> {
    let lang = cx.lang;
    let sc = cx.scenario;
    let mut out = Vec::new();
    out.push(match lang {
        Lang::En => format!(
            "Scenario `{}`, in force from {}; compared with {}. Scenario rules {}.",
            sc.id,
            sc.effective_from
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".into()),
            cx.baseline,
            cx.scenario_version
        ),
        Lang::Zh => format!(
            "情景 `{}`，自{}起生效；对照基准：{}。情景规则版本 {}。",
            sc.id,
            sc.effective_from
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".into()),
            cx.baseline,
            cx.scenario_version
        ),
    });
    if lang == Lang::En
        && let Some(d) = &sc.description
    {
        out.push(d.clone());
    }
    for (id, en, zh) in &sc.rules {
        out.push(format!("`{id}`: {}", tr(lang, en, zh)));
    }
    if !sc.retire.is_empty() {
        let ids: Vec<String> = sc.retire.iter().map(|r| format!("`{r}`")).collect();
        out.push(match lang {
            Lang::En => format!("Retired baseline rules: {}.", ids.join(", ")),
            Lang::Zh => format!("停止适用的基准规则：{}。", ids.join("、")),
        });
    }
    if !sc.courts.is_empty() {
        let ids: Vec<String> = sc.courts.iter().map(|r| format!("`{r}`")).collect();
        out.push(match lang {
            Lang::En => format!("Courts added or changed: {}.", ids.join(", ")),
            Lang::Zh => format!("新增或调整的法院：{}。", ids.join("、")),
        });
    }
    out
}

fn provenance(agg: &Aggregate, cx: &Context<'_>) -> Vec<String> {
    let lang = cx.lang;
    let mut out = Vec::new();
    let dates = match (agg.min_date, agg.max_date) {
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => "—".into(),
    };
    out.push(match lang {
        Lang::En => format!(
            "{} cases read from `{}`, filed {dates}.",
            agg.read, cx.labels.cases
        ),
        Lang::Zh => format!(
            "从 `{}` 读入{}件案件，立案日期 {dates}。",
            cx.labels.cases, agg.read
        ),
    });
    match &cx.population {
        Some(p) if p.mode == "calibrated" => {
            let years = p.years.map(|(a, b)| format!("{a}–{b}")).unwrap_or_default();
            let dev = p.max_deviation.map(pct).unwrap_or_else(|| "—".into());
            out.push(match lang {
                Lang::En => format!(
                    "A **synthetic population calibrated to {} published caseload figures** ({} with a source URL; {} of them inside the generated years, reproduced within {dev}) of Shanghai, Jiangsu, Zhejiang and Anhui, {years}, seed {}, scale {:.3} of the published volumes (`ecojuris generate-cases`; every figure and its source are in the `.meta.json` file beside the cases and in docs/case-population.md). It is not a forecast: volumes after the last published figure repeat the last period's rate; places are drawn by land area within each province except where a figure fixes a county's share.",
                    p.figures, p.figures_with_url, p.in_years, p.seed.unwrap_or(0), p.scale.unwrap_or(1.0)
                ),
                Lang::Zh => format!(
                    "**按{}项公开收案统计数据校准的模拟案件总体**（其中{}项附来源网址；{}项位于所生成的年份内，偏差不超过{dev}），覆盖上海、江苏、浙江、安徽，{years}年，随机种子{}，规模为公开数量的{:.3}倍（`ecojuris generate-cases`；每项数据及其来源见案件文件旁的 `.meta.json` 及 docs/case-population.md）。这不是预测：最后一项公开数据之后的年份沿用最后一期的收案速度；案件地点在各省内按土地面积分布，仅在有数据确定某县份额时例外。",
                    p.figures, p.figures_with_url, p.in_years, p.seed.unwrap_or(0), p.scale.unwrap_or(1.0)
                ),
            });
        }
        Some(p) => out.push(match lang {
            Lang::En => format!("A **synthetic stress population** (`--mode {}`, seed {}): its shares are stated assumptions, not published figures (20 % of cases in the Demonstration Zone, 30 % in Shanghai); use it to exercise a scenario, not to size one.", p.mode, p.seed.unwrap_or(0)),
            Lang::Zh => format!("**压力测试用模拟案件**（`--mode {}`，随机种子{}）：各项比例是设定的假设而非公开数据（20 %的案件在示范区、30 %在上海），只用于检验情景，不用于估计规模。", p.mode, p.seed.unwrap_or(0)),
        }),
        None => out.push(tr(lang,
            "No `.meta.json` beside the input: the report cannot say how representative these cases are; the figures describe this input only.",
            "输入文件旁没有 `.meta.json`：本报告无法说明这些案件的代表性，各项数字仅描述该输入。").to_string()),
    }
    if let Some(p) = &cx.population
        && !p.not_modelled.is_empty()
    {
        out.push(match lang {
            Lang::En => format!("Not modelled: {}.", p.not_modelled.join("; ")),
            Lang::Zh => format!("模拟总体未包含的方面共{}项（逐项见 `.meta.json` 的 `not_modelled` 及 docs/case-population.md）。", p.not_modelled.len()),
        });
    }
    out
}

fn table(
    level: u8,
    title: &str,
    intro: Vec<String>,
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    empty: &str,
) -> Section {
    Section {
        level,
        title: title.to_string(),
        intro,
        head,
        rows,
        empty: empty.to_string(),
    }
}

fn none(lang: Lang) -> &'static str {
    tr(lang, "(none)", "（无）")
}

fn totals_section(agg: &Aggregate, lang: Lang) -> Section {
    let (b, a) = (agg.before, agg.after);
    let row = |en: &str, zh: &str, x: String, y: String| vec![tr(lang, en, zh).to_string(), x, y];
    table(
        2,
        tr(lang, "Totals over the input", "输入案件合计"),
        Vec::new(),
        vec![
            String::new(),
            tr(lang, "baseline", "基准").to_string(),
            tr(lang, "scenario", "情景").to_string(),
        ],
        vec![
            row(
                "routed",
                "有管辖法院",
                b.routed.to_string(),
                a.routed.to_string(),
            ),
            row(
                "no court",
                "无管辖法院",
                b.no_court.to_string(),
                a.no_court.to_string(),
            ),
            row(
                "failed (bad input)",
                "失败（输入有误）",
                b.failed.to_string(),
                a.failed.to_string(),
            ),
            row(
                "changed cases",
                "改变的案件",
                String::new(),
                agg.changes.len().to_string(),
            ),
            row(
                "flagged cases",
                "需关注的案件",
                String::new(),
                agg.flagged.len().to_string(),
            ),
        ],
        none(lang),
    )
}

fn per_year_section(agg: &Aggregate, lang: Lang) -> Section {
    let from = agg.effective_from;
    let rows = agg
        .years
        .iter()
        .map(|(y, [n, c, f])| {
            let in_force = from.is_none_or(|d| *y >= d.ymd().0);
            vec![
                y.to_string(),
                n.to_string(),
                c.to_string(),
                f.to_string(),
                if in_force {
                    tr(lang, "yes", "是")
                } else {
                    tr(lang, "no", "否")
                }
                .to_string(),
            ]
        })
        .collect();
    table(
        2,
        tr(lang, "Cases per filing year", "各立案年份案件数"),
        vec![tr(lang, "Cases read, changed and flagged per filing year; a year counts towards the per-year figures when the scenario is in force in it.", "按立案年份统计的读入、改变与需关注案件数；情景生效的年份计入“每年”数字。").to_string()],
        [tr(lang, "year", "年份"), tr(lang, "cases", "案件"), tr(lang, "changed", "改变"), tr(lang, "flagged", "需关注"), tr(lang, "scenario in force", "情景生效")]
            .iter().map(|s| (*s).to_string()).collect(),
        rows,
        none(lang),
    )
}

/// Median and p90, baseline and scenario.
type TravelPair = (Option<(f64, f64)>, Option<(f64, f64)>);

fn travel_pair(d: &mut DistrictAgg) -> TravelPair {
    (median_p90(&mut d.travel.0), median_p90(&mut d.travel.1))
}

/// The summary row of one Demonstration Zone district: cases, changes, incidents, courts
/// per incident, heard by one court, travel and cross-province figures.
fn district_row(d: &mut DistrictAgg, name: &str, years: &PerYear) -> Vec<String> {
    let fr: Fragmentation = fragmentation_of(&d.incidents);
    let (tb, ta) = travel_pair(d);
    let km = |t: Option<(f64, f64)>| {
        t.map(|x| format!("{:.1}", x.0))
            .unwrap_or_else(|| "—".into())
    };
    let arrow = |a: String, b: String| format!("{a} → {b}");
    let (mc, sh) = if fr.incidents > 0 {
        (
            arrow(
                format!("{:.2}", fr.mean_courts.0),
                format!("{:.2}", fr.mean_courts.1),
            ),
            arrow(pct(fr.single_court_share.0), pct(fr.single_court_share.1)),
        )
    } else {
        ("—".into(), "—".into())
    };
    vec![
        name.to_string(),
        years.of(d.cases),
        years.of(d.changed),
        fr.incidents.to_string(),
        mc,
        sh,
        arrow(km(tb), km(ta)),
        years.of(d.cross_province),
        d.cross_province_incidents.len().to_string(),
    ]
}

/// The workload table of one district: its cases per hearing court and kind.
fn district_workload(d: &DistrictAgg, name: &str, cx: &Context<'_>, years: &PerYear) -> Section {
    let lang = cx.lang;
    let kinds = kinds_present(&d.workload);
    let mut wrows: Vec<Vec<String>> = Vec::new();
    let mut by_court: BTreeMap<u16, Vec<(CaseKind, u64, u64)>> = BTreeMap::new();
    for ((c, k), (b, a)) in &d.workload {
        by_court.entry(*c).or_default().push((*k, *b, *a));
    }
    for (c, ks) in &by_court {
        for k in &kinds {
            if let Some((_, b, a)) = ks.iter().find(|x| x.0 == *k) {
                wrows.push(vec![
                    cx.labels.court(*c),
                    kind_name(lang, *k).to_string(),
                    years.of(*b),
                    years.of(*a),
                    years.delta(*b, *a),
                ]);
            }
        }
    }
    table(
        3,
        &match lang {
            Lang::En => format!("{name}: workload per court and kind (cases a year)"),
            Lang::Zh => format!("{name}：各法院分类收案量（每年件数）"),
        },
        vec![
            tr(
                lang,
                "Cases of the district at their hearing court, baseline and scenario.",
                "本区县案件按审理法院统计，基准与情景对照。",
            )
            .to_string(),
        ],
        [
            tr(lang, "court", "法院"),
            tr(lang, "kind", "案件类型"),
            tr(lang, "baseline", "基准"),
            tr(lang, "scenario", "情景"),
            "Δ",
        ]
        .iter()
        .map(|s| (*s).to_string())
        .collect(),
        wrows,
        none(lang),
    )
}

/// The Demonstration Zone table (one row per district, see [`district_row`]) and each
/// district's workload table.
fn demo_zone_sections(
    agg: &mut Aggregate,
    cx: &Context<'_>,
    years: &PerYear,
) -> (Section, Vec<Section>) {
    let lang = cx.lang;
    let mut rows = Vec::new();
    let mut per = Vec::new();
    for d in &mut agg.districts {
        let adcode = cx
            .labels
            .units
            .get(d.unit)
            .map(|u| u.0.clone())
            .unwrap_or_default();
        let name = district_name(lang, &adcode);
        rows.push(district_row(d, &name, years));
        per.push(district_workload(d, &name, cx, years));
    }
    let intro = vec![match lang {
        Lang::En => "Per district of the Demonstration Zone (cases whose first place lies in it, filed while the scenario is in force). *Courts per incident*: distinct hearing courts of an incident with two or more cases (baseline → scenario). *Cross-province*: cases with a place in another province (e.g. a defendant domiciled there) and the incidents they belong to; bringing such cases before one court of another province rests on a designation by the common superior court — for the three provinces of the Zone the Supreme People's Court (CrimPL art. 27, CPL art. 38, ALL art. 23).".to_string(),
        Lang::Zh => "示范区各区县（案件第一地点位于该区县、且在情景生效后立案）。*每起事件的法院数*：有两个以上案件的事件由几个不同法院审理（基准 → 情景）。*跨省*：有地点位于其他省份的案件（例如被告住所地在外省）及其所属事件；将此类案件集中由另一省的法院审理，需由共同上级法院指定管辖——对示范区所在三省而言即最高人民法院（刑事诉讼法第27条、民事诉讼法第38条、行政诉讼法第23条）。".to_string(),
    }];
    let head = match lang {
        Lang::En => vec![
            "district",
            "cases a year",
            "changed a year",
            "incidents (2+ cases)",
            "courts per incident",
            "heard by one court",
            "median travel km",
            "cross-province cases a year",
            "cross-province incidents",
        ],
        Lang::Zh => vec![
            "区县",
            "每年案件",
            "每年改变",
            "事件（2件以上）",
            "每起事件的法院数",
            "由一个法院审理的比例",
            "当事人路程中位数（公里）",
            "每年跨省案件",
            "跨省事件",
        ],
    };
    (
        table(
            2,
            tr(
                lang,
                "Demonstration Zone: Qingpu, Wujiang, Jiashan",
                "长三角生态绿色一体化发展示范区：青浦、吴江、嘉善",
            ),
            intro,
            head.iter().map(|s| (*s).to_string()).collect(),
            rows,
            none(lang),
        ),
        per,
    )
}

fn transitions_section(agg: &Aggregate, cx: &Context<'_>) -> Section {
    let lang = cx.lang;
    let mut tr_: Vec<_> = agg.transitions.iter().collect();
    tr_.sort_by(|x, y| y.1.0.cmp(&x.1.0).then(x.0.cmp(y.0)));
    table(
        2,
        tr(
            lang,
            "Cases whose competent courts change",
            "管辖法院发生变化的案件",
        ),
        vec![match lang {
            Lang::En => format!(
                "{} case(s) change, grouped by kind and answer (every case is listed in `changes.csv` with both answers and the rules responsible).",
                agg.changes.len()
            ),
            Lang::Zh => format!(
                "共{}件案件发生变化，按案件类型和结果分组（每个案件及双方结果、所依规则见 `changes.csv`）。",
                agg.changes.len()
            ),
        }],
        match lang {
            Lang::En => vec![
                "cases",
                "kind",
                "baseline courts",
                "baseline rules",
                "scenario courts",
                "scenario rules",
            ],
            Lang::Zh => vec![
                "案件数",
                "案件类型",
                "基准法院",
                "基准规则",
                "情景法院",
                "情景规则",
            ],
        }
        .iter()
        .map(|s| (*s).to_string())
        .collect(),
        tr_.iter()
            .take(100)
            .map(|((k, cb, ca), (n, rb, ra))| {
                vec![
                    n.to_string(),
                    k.map(|k| kind_name(lang, k)).unwrap_or("—").to_string(),
                    cx.labels.courts(cb),
                    rb.join(", "),
                    cx.labels.courts(ca),
                    ra.join(", "),
                ]
            })
            .collect(),
        none(lang),
    )
}

fn workload_section(agg: &Aggregate, cx: &Context<'_>, years: &PerYear) -> Section {
    let lang = cx.lang;
    let kinds = kinds_present(&agg.in_force.workload);
    let wl = workload(&agg.in_force.workload, &kinds);
    let changed: Vec<_> = wl
        .iter()
        .filter(|r| r.delta() != 0 || r.kinds.iter().any(|k| k.1 != k.2))
        .collect();
    let mut head = vec![tr(lang, "court", "法院").to_string()];
    for k in &kinds {
        head.push(match lang {
            Lang::En => format!("{k} before / after / Δ"),
            Lang::Zh => format!("{}：基准 / 情景 / Δ", k.name_zh()),
        });
    }
    head.extend([
        tr(lang, "total before", "合计（基准）").to_string(),
        tr(lang, "total after", "合计（情景）").to_string(),
        "Δ".to_string(),
    ]);
    table(
        2,
        tr(
            lang,
            "Workload per court (cases a year)",
            "各法院收案量（每年件数）",
        ),
        vec![match lang {
            Lang::En => format!(
                "Cases a year at their hearing court, for the {} court(s) whose load changes; {} other court(s) are unchanged (all in `workload.csv`, as totals over the input).",
                changed.len(),
                wl.len() - changed.len()
            ),
            Lang::Zh => format!(
                "按审理法院统计的每年案件数，列出收案量变化的{}个法院；其余{}个法院不变（全部见 `workload.csv`，为输入期间的合计数）。",
                changed.len(),
                wl.len() - changed.len()
            ),
        }],
        head,
        changed
            .iter()
            .map(|r| {
                let mut row = vec![cx.labels.court(r.court)];
                for (_, b, a) in &r.kinds {
                    row.push(format!(
                        "{} / {} / {}",
                        years.of(*b),
                        years.of(*a),
                        years.delta(*b, *a)
                    ));
                }
                row.extend([
                    years.of(r.before),
                    years.of(r.after),
                    years.delta(r.before, r.after),
                ]);
                row
            })
            .collect(),
        none(lang),
    )
}

fn fragmentation_section(f: &Fragmentation, lang: Lang) -> Section {
    let rows = vec![
        vec![
            tr(
                lang,
                "mean distinct courts per incident",
                "每起事件的平均法院数",
            )
            .to_string(),
            format!("{:.3}", f.mean_courts.0),
            format!("{:.3}", f.mean_courts.1),
        ],
        vec![
            tr(
                lang,
                "share heard by a single court",
                "由一个法院审理的比例",
            )
            .to_string(),
            pct(f.single_court_share.0),
            pct(f.single_court_share.1),
        ],
        vec![
            tr(lang, "incidents with 1 court", "由1个法院审理的事件").to_string(),
            f.dist_before[0].to_string(),
            f.dist_after[0].to_string(),
        ],
        vec![
            tr(lang, "incidents with 2 courts", "由2个法院审理的事件").to_string(),
            f.dist_before[1].to_string(),
            f.dist_after[1].to_string(),
        ],
        vec![
            tr(lang, "incidents with 3+ courts", "由3个以上法院审理的事件").to_string(),
            f.dist_before[2].to_string(),
            f.dist_after[2].to_string(),
        ],
    ];
    table(
        2,
        tr(
            lang,
            "Fragmentation of incidents (whole region)",
            "事件分散审理情况（全区域）",
        ),
        vec![match lang {
            Lang::En => format!(
                "{} incident(s) with two or more cases (cases sharing an `incident_id`): how many distinct courts hear one incident.",
                f.incidents
            ),
            Lang::Zh => format!(
                "共{}起有两个以上案件的事件（`incident_id` 相同的案件）：一起事件由几个不同法院审理。",
                f.incidents
            ),
        }],
        vec![
            String::new(),
            tr(lang, "baseline", "基准").to_string(),
            tr(lang, "scenario", "情景").to_string(),
        ],
        rows,
        none(lang),
    )
}

fn travel_section(agg: &mut Aggregate, cx: &Context<'_>) -> Section {
    let lang = cx.lang;
    let fmt = |v: Option<(f64, f64)>| {
        v.map(|(m, p)| (format!("{m:.1}"), format!("{p:.1}")))
            .unwrap_or_else(|| ("—".into(), "—".into()))
    };
    let n_travel = agg.travel.0.len();
    let (tb, ta) = (
        fmt(median_p90(&mut agg.travel.0)),
        fmt(median_p90(&mut agg.travel.1)),
    );
    let mut rows = vec![vec![
        tr(lang, "all cases", "全部案件").to_string(),
        n_travel.to_string(),
        tb.0,
        ta.0,
        tb.1,
        ta.1,
    ]];
    let mut unchanged = 0usize;
    for (u, (vb, va)) in agg.travel_by_unit.iter_mut() {
        let n = vb.len();
        let (mb, ma) = (median_p90(vb), median_p90(va));
        if mb == ma {
            unchanged += 1;
            continue;
        }
        let (x, y) = (fmt(mb), fmt(ma));
        rows.push(vec![
            cx.labels.unit(Some(*u)),
            n.to_string(),
            x.0,
            y.0,
            x.1,
            y.1,
        ]);
    }
    table(
        2,
        tr(
            lang,
            "Party travel to the court seat",
            "当事人到法院所在地的路程",
        ),
        vec![match lang {
            Lang::En => format!(
                "Great-circle km from the case's place to the nearest seat among its competent courts (seats are approximate points). Counties whose figures change are listed; {unchanged} other count(ies) are unchanged."
            ),
            Lang::Zh => format!(
                "从案件地点到其管辖法院中最近的法院所在地的球面距离（公里，法院位置为近似点）。仅列出数字发生变化的区县；其余{unchanged}个区县不变。"
            ),
        }],
        match lang {
            Lang::En => vec![
                "where",
                "cases",
                "median before",
                "median after",
                "p90 before",
                "p90 after",
            ],
            Lang::Zh => vec![
                "地区",
                "案件",
                "中位数（基准）",
                "中位数（情景）",
                "90分位（基准）",
                "90分位（情景）",
            ],
        }
        .iter()
        .map(|s| (*s).to_string())
        .collect(),
        rows,
        none(lang),
    )
}

fn flagged_section(agg: &Aggregate, cx: &Context<'_>) -> Section {
    let lang = cx.lang;
    let nf = agg.flagged.len();
    table(
        2,
        tr(
            lang,
            "Cases with no court, or claimed by more courts than before",
            "需关注的案件：无管辖法院，或管辖法院比原来多",
        ),
        vec![match lang {
            Lang::En => format!(
                "{nf} case(s){} (all in `flagged.csv`).",
                if nf > 50 {
                    "; the first 50 are shown"
                } else {
                    ""
                }
            ),
            Lang::Zh => format!(
                "共{nf}件{}（全部见 `flagged.csv`）。",
                if nf > 50 {
                    "，下表列出前50件"
                } else {
                    ""
                }
            ),
        }],
        match lang {
            Lang::En => vec!["id", "kind", "unit", "baseline", "scenario"],
            Lang::Zh => vec!["编号", "案件类型", "区县", "基准", "情景"],
        }
        .iter()
        .map(|s| (*s).to_string())
        .collect(),
        agg.flagged
            .iter()
            .take(50)
            .map(|c| {
                vec![
                    c.id.clone(),
                    c.kind
                        .map(|k| kind_name(lang, k))
                        .unwrap_or("—")
                        .to_string(),
                    cx.labels.unit(c.unit),
                    cx.labels.answer(&c.before),
                    cx.labels.answer(&c.after),
                ]
            })
            .collect(),
        none(lang),
    )
}

fn replay_section(r: &Replay, cx: &Context<'_>) -> Section {
    let lang = cx.lang;
    let intro = vec![match lang {
        Lang::En => format!(
            "{} logged decision(s) in `{}`, {} found among the input cases by id ({} log line(s) are errors). Under the scenario **{} would move** to other courts (all in `replay.csv`); {} keep their courts on other rules. {} logged decision(s) differ from today's baseline already (the log was made under other rules).",
            r.len(),
            cx.replay_file,
            r.matched,
            r.errors,
            r.moved.len(),
            r.rules_only,
            r.stale
        ),
        Lang::Zh => format!(
            "`{}` 中共{}条已记录的决定，按编号在输入案件中找到{}条（另有{}行为错误记录）。在本情景下**有{}条将改由其他法院审理**（全部见 `replay.csv`）；{}条法院不变但依据的规则改变。另有{}条与当前基准已不一致（记录时适用的规则不同）。",
            cx.replay_file,
            r.len(),
            r.matched,
            r.errors,
            r.moved.len(),
            r.rules_only,
            r.stale
        ),
    }];
    table(
        2,
        tr(
            lang,
            "Replay: logged decisions the scenario would move",
            "回放：情景将改变的已记录决定",
        ),
        intro,
        match lang {
            Lang::En => vec![
                "id",
                "kind",
                "unit",
                "logged courts",
                "logged rules",
                "scenario courts",
                "scenario rules",
            ],
            Lang::Zh => vec![
                "编号",
                "案件类型",
                "区县",
                "记录的法院",
                "记录的规则",
                "情景法院",
                "情景规则",
            ],
        }
        .iter()
        .map(|s| (*s).to_string())
        .collect(),
        r.moved
            .iter()
            .take(50)
            .map(|m| {
                vec![
                    m.id.clone(),
                    m.kind
                        .map(|k| kind_name(lang, k))
                        .unwrap_or("—")
                        .to_string(),
                    cx.labels.unit(m.unit),
                    m.logged.courts.join(" + "),
                    m.logged.rules.join(", "),
                    m.scenario.courts.join(" + "),
                    m.scenario.rules.join(", "),
                ]
            })
            .collect(),
        none(lang),
    )
}

fn definitions(lang: Lang, cx: &Context<'_>) -> Section {
    let mut intro = vec![tr(lang,
        "A case *changes* when its competent courts (ids, in decision order) differ, or when it fails or has no court on one side only. The *hearing court* is the first competent court; workload and fragmentation count each case once, at its hearing court. *Travel* is the great-circle distance from the case's first place (its point, or the representative point of its county) to the nearest competent court seat. A case is *flagged* when the scenario leaves it without a court while the baseline routed it, or gives it more competent courts. *A year*: the cases filed while the scenario is in force, divided by the number of their filing years.",
        "*改变*：案件的管辖法院（按决定顺序的法院编号）不同，或仅在一方无管辖法院或处理失败。*审理法院*为第一个有管辖权的法院；收案量和分散审理按审理法院每案计一次。*路程*为案件第一地点（该点，或其区县的代表点）到最近的有管辖权法院所在地的球面距离。*需关注*：基准有管辖法院而情景没有，或情景的管辖法院更多。*每年*：情景生效期间立案的案件数除以其立案年份数。").to_string()];
    if !cx.unchanged_map_kinds.is_empty() {
        let ks: Vec<&str> = cx
            .unchanged_map_kinds
            .iter()
            .map(|k| kind_name(lang, *k))
            .collect();
        intro.push(match lang {
            Lang::En => format!(
                "No map is drawn for kinds whose court does not change in any county: {}.",
                ks.join(", ")
            ),
            Lang::Zh => format!(
                "以下案件类型在任何区县的审理法院均不变，未绘制地图：{}。",
                ks.join("、")
            ),
        });
    }
    Section {
        level: 2,
        title: tr(lang, "Definitions", "定义").to_string(),
        intro,
        ..Section::default()
    }
}

#[derive(serde::Deserialize)]
struct HeadText {
    #[serde(default)]
    en: String,
    #[serde(default)]
    zh: String,
}

#[derive(serde::Deserialize)]
struct HeadRule {
    id: String,
    summary: Option<HeadText>,
}

#[derive(serde::Deserialize)]
struct HeadCourt {
    id: String,
}

#[derive(serde::Deserialize)]
struct ScenarioHead {
    scenario: String,
    title: Option<HeadText>,
    description: Option<String>,
    effective_from: Option<String>,
    #[serde(default)]
    retire: Vec<String>,
    #[serde(default)]
    courts: Vec<HeadCourt>,
    #[serde(default)]
    rules: Vec<HeadRule>,
}

impl ScenarioInfo {
    /// Reads what a report shows from a scenario file (which the rule loader has already
    /// validated; unknown fields are ignored here).
    pub fn from_yaml(text: &str) -> Result<ScenarioInfo, String> {
        let h: ScenarioHead = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        let (title_en, title_zh) = h.title.map(|t| (t.en, t.zh)).unwrap_or_default();
        Ok(ScenarioInfo {
            id: h.scenario,
            title_en,
            title_zh,
            description: h.description,
            effective_from: h.effective_from.as_deref().and_then(Date::parse),
            rules: h
                .rules
                .into_iter()
                .map(|r| {
                    let (en, zh) = r.summary.map(|t| (t.en, t.zh)).unwrap_or_default();
                    (r.id, en, zh)
                })
                .collect(),
            retire: h.retire,
            courts: h.courts.into_iter().map(|c| c.id).collect(),
        })
    }
}
