//! The CSV tables of a report: `changes.csv`, `flagged.csv`, `workload.csv`, `replay.csv`.
//! Column names are fixed (English) whatever the report's language; values are ids, kinds
//! and court names.

use std::fmt::Write as _;

use super::{Labels, answer_rules};
use crate::simulate::batch::{csv_field, relation_name};
use crate::simulate::report::{Change, ReplayRow, WorkloadRow};

/// `changes.csv` (and `flagged.csv`): one row per case.
pub fn changes_csv(rows: &[Change], labels: &Labels) -> String {
    let mut s = String::from(
        "id,kind,unit,baseline_courts,baseline_rules,scenario_courts,scenario_rules,baseline_relation,scenario_relation\n",
    );
    for c in rows {
        csv_field(&c.id, &mut s);
        s.push(',');
        s.push_str(c.kind.map(|k| k.name()).unwrap_or(""));
        s.push(',');
        csv_field(&labels.unit(c.unit), &mut s);
        for a in [&c.before, &c.after] {
            s.push(',');
            csv_field(&labels.answer(a), &mut s);
            s.push(',');
            csv_field(&answer_rules(a), &mut s);
        }
        for a in [&c.before, &c.after] {
            s.push(',');
            s.push_str(
                a.as_ref()
                    .map(|x| relation_name(x.relation))
                    .unwrap_or("error"),
            );
        }
        s.push('\n');
    }
    s
}

/// `workload.csv`.
pub fn workload_csv(rows: &[WorkloadRow], labels: &Labels) -> String {
    let mut s = String::from("court_id,court,kind,baseline,scenario,delta\n");
    for r in rows {
        for (k, b, a) in &r.kinds {
            let _ = write!(
                s,
                "{},",
                labels
                    .court_ids
                    .get(usize::from(r.court))
                    .map(String::as_str)
                    .unwrap_or("")
            );
            csv_field(
                labels
                    .court_names
                    .get(usize::from(r.court))
                    .map(String::as_str)
                    .unwrap_or(""),
                &mut s,
            );
            let _ = writeln!(
                s,
                ",{k},{b},{a},{}",
                i64::try_from(*a).unwrap_or(0) - i64::try_from(*b).unwrap_or(0)
            );
        }
    }
    s
}

/// `replay.csv`: the logged decisions the scenario would move.
pub fn replay_csv(rows: &[ReplayRow], labels: &Labels) -> String {
    let mut s = String::from(
        "id,log_line,kind,unit,logged_courts,logged_rules,scenario_courts,scenario_rules\n",
    );
    for r in rows {
        csv_field(&r.id, &mut s);
        let _ = write!(
            s,
            ",{},{},",
            r.logged.line,
            r.kind.map(|k| k.name()).unwrap_or("")
        );
        csv_field(&labels.unit(r.unit), &mut s);
        for l in [&r.logged, &r.scenario] {
            s.push(',');
            csv_field(&l.courts.join(" + "), &mut s);
            s.push(',');
            csv_field(&l.rules.join(" "), &mut s);
        }
        s.push('\n');
    }
    s
}
