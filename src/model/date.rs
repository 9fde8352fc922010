//! Calendar dates as day numbers (proleptic Gregorian), parsed from ISO `YYYY-MM-DD`.

use std::fmt;

/// A calendar date. Ordered; `Date(0)` is 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

impl Date {
    /// A date from year, month, day; `None` if invalid.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m)
            || d == 0
            || d > days_in_month(y, m)
            || !(1000..=9999).contains(&y)
        {
            return None;
        }
        Some(Date(days_from_civil(y, m, d)))
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut it = s.splitn(3, '-');
        let y = it.next()?;
        let m = it.next()?;
        let d = it.next()?;
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The date `n` days later (earlier when negative).
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0 + n)
    }

    /// Day number since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// From a day number since 1970-01-01.
    pub fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// `(year, month, day)`.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor, so that the error is raised inside the parser and carries the line
        // and column of the date itself.
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a date `YYYY-MM-DD`")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Date, E> {
                Date::parse(s)
                    .ok_or_else(|| E::custom(format!("invalid date `{s}` (expected YYYY-MM-DD)")))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in [
            "1970-01-01",
            "2019-07-01",
            "2000-02-29",
            "2023-09-08",
            "1999-12-31",
        ] {
            assert_eq!(Date::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
    }

    #[test]
    fn rejects_bad_dates() {
        for s in ["2023-02-29", "2023-13-01", "2023-1-1", "20230101", "x"] {
            assert!(Date::parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn order_and_arithmetic() {
        let a = Date::parse("2019-06-30").unwrap();
        let b = Date::parse("2019-07-01").unwrap();
        assert!(a < b);
        assert_eq!(a.add_days(1), b);
    }
}

/// When something is in force: the half-open day range `[from, to)`, open at either end when
/// unset. One type for rules, courts and tribunals, so every dated thing answers "in force on
/// this day?" the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct Validity {
    /// First day in force (inclusive); `None` = since ever.
    #[serde(rename = "valid_from")]
    pub from: Option<Date>,
    /// First day no longer in force (exclusive); `None` = still in force.
    #[serde(rename = "valid_to")]
    pub to: Option<Date>,
}

impl Validity {
    /// A range from its two ends.
    pub fn new(from: Option<Date>, to: Option<Date>) -> Validity {
        Validity { from, to }
    }

    /// Whether `d` is inside the range.
    pub fn contains(self, d: Date) -> bool {
        self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d < t)
    }

    /// The set ends (where what is in force changes).
    pub fn bounds(self) -> impl Iterator<Item = Date> {
        [self.from, self.to].into_iter().flatten()
    }

    /// Whether the range ends no later than it starts (an empty range: a data error).
    pub fn is_empty(self) -> bool {
        matches!((self.from, self.to), (Some(a), Some(b)) if b <= a)
    }

    /// Whether `inner` lies wholly inside this range.
    pub fn covers(self, inner: Validity) -> bool {
        let starts_ok = match (self.from, inner.from) {
            (Some(f), Some(i)) => i >= f,
            (Some(_), None) => false,
            (None, _) => true,
        };
        let ends_ok = match (self.to, inner.to) {
            (Some(t), Some(i)) => i <= t,
            (Some(_), None) => false,
            (None, _) => true,
        };
        starts_ok && ends_ok
    }
}

impl fmt::Display for Validity {
    /// `2019-01-01–2024-07-02`, with `…` for an open end.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_else(|| "…".into());
        write!(f, "{}–{}", end(self.from), end(self.to))
    }
}
