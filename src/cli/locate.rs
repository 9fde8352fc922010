//! `ecojuris locate`: a point, a code, an address or a CSV file of points.

use std::fmt::Write as _;
use std::io::Write as _;

use super::args::{Format, Lang, LocateArgs};
use super::{Cli, CliError, Outcome, load_geodata, note, out, to_json};
use crate::simulate::batch::csv_field;
use crate::spatial::fast::{NEAR_CAP, Spot};
use crate::spatial::{CodeLocation, Crs, Geodata, Location};

pub(super) fn run(cli: &Cli, a: &LocateArgs) -> Result<Outcome, CliError> {
    let crs = parse_crs(&a.crs)?;
    if let Some(input) = &a.input {
        let geo = load_geodata(cli)?;
        return run_file(&geo, input, a.output.as_deref(), crs);
    }
    if let Some(at) = &a.at {
        let (lon, lat) = parse_lonlat(at)?;
        let geo = load_geodata(cli)?;
        let loc = geo
            .locate(lon, lat, crs)
            .map_err(|e| CliError::Msg(e.to_string()))?;
        match cli.format {
            Format::Json => out(&to_json(&loc))?,
            Format::Text => out(&render_location(&loc, cli.lang))?,
        }
        if loc.outside {
            let nearest = loc
                .nearest
                .as_ref()
                .map(|n| {
                    format!(
                        "; nearest unit {} {} at {:.1} km",
                        n.adcode,
                        n.name,
                        n.distance_m / 1000.0
                    )
                })
                .unwrap_or_default();
            note(&format!(
                "point `{lon}, {lat}` is outside the covered area (Shanghai, Jiangsu, Zhejiang, Anhui and their coastal waters){nearest}"
            ));
            return Ok(Outcome::Negative);
        }
        return Ok(Outcome::Ok);
    }
    if let Some(code) = &a.code {
        let geo = load_geodata(cli)?;
        // A development zone's statistics code (320576 苏州工业园区) is no area of the code
        // table: answer with the zone and its host unit(s), as for its name.
        if geo.codes().get(code.trim()).is_none()
            && crate::address::AddressIndex::new(geo.codes())
                .zone_by_code(code.trim())
                .is_some()
        {
            return super::address::run_one(cli, &geo, code.trim());
        }
        let loc = geo
            .locate_code(code)
            .map_err(|e| CliError::Msg(e.to_string()))?;
        match cli.format {
            Format::Json => out(&to_json(&loc))?,
            Format::Text => out(&render_code(&loc, cli.lang))?,
        }
        return Ok(Outcome::Ok);
    }
    if let Some(addr) = &a.address {
        let geo = load_geodata(cli)?;
        return super::address::run_one(cli, &geo, addr);
    }
    Err(CliError::Msg(
        "give one of `--at`, `--code`, `--address` or `--input`".to_string(),
    ))
}

pub(crate) fn parse_crs(s: &str) -> Result<Crs, CliError> {
    crate::input::place::parse_crs(s).map_err(CliError::Msg)
}

/// Parses `LON,LAT` (spaces and a full-width comma allowed).
pub(crate) fn parse_lonlat(s: &str) -> Result<(f64, f64), CliError> {
    crate::input::place::parse_lonlat(s).map_err(CliError::Msg)
}

pub(crate) fn label(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// `unit     310118 青浦区 [Qingpu District] — 上海市 310000, 上海市 310000`
pub(crate) fn unit_line(s: &mut String, u: &crate::spatial::UnitRef, lang: Lang) {
    let en = match (&u.name_en, lang) {
        (Some(e), Lang::En) => format!(" {e}"),
        _ => String::new(),
    };
    let _ = writeln!(
        s,
        "{:<8} {} {}{en} — {} {}, {} {}",
        label(lang, "unit", "区县"),
        u.adcode,
        u.name,
        u.city_name,
        u.city_adcode,
        u.province_name,
        u.province_adcode
    );
}

pub(crate) fn render_location(loc: &Location, lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<8} {:.6}, {:.6} ({}){}",
        label(lang, "point", "坐标"),
        loc.input[0],
        loc.input[1],
        loc.crs_in,
        if loc.crs_in == Crs::Wgs84 {
            String::new()
        } else {
            format!(" = {:.6}, {:.6} (wgs84)", loc.wgs84[0], loc.wgs84[1])
        }
    );
    match &loc.unit {
        Some(u) => unit_line(&mut s, u, lang),
        None => {
            let _ = writeln!(
                s,
                "{:<8} {}",
                label(lang, "unit", "区县"),
                label(
                    lang,
                    "none (not in any county-level unit)",
                    "无（不在任何县级行政区内）"
                )
            );
        }
    }
    if loc.demo_zone {
        let _ = writeln!(
            s,
            "{:<8} {}",
            label(lang, "zone", "示范区"),
            label(
                lang,
                "in the Demonstration Zone (长三角生态绿色一体化发展示范区)",
                "位于长三角生态绿色一体化发展示范区"
            )
        );
    }
    for f in &loc.features {
        if f.id == "demo-zone" {
            continue;
        }
        let approx = if f.approximate {
            label(lang, " (approximate polygon)", "（近似范围）")
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "{:<8} {} `{}`{}",
            label(lang, "water", "水域"),
            f.name,
            f.id,
            approx
        );
    }
    if loc.near_border {
        let list: Vec<String> = loc
            .candidates
            .iter()
            .map(|c| format!("{} {} {:.1} m", c.adcode, c.name, c.distance_m))
            .collect();
        let _ = writeln!(
            s,
            "{:<8} {}",
            label(lang, "border", "边界"),
            list.join("; ")
        );
    }
    if let Some(n) = &loc.nearest {
        let _ = writeln!(
            s,
            "{:<8} {} {} {:.1} km",
            label(lang, "nearest", "最近区县"),
            n.adcode,
            n.name,
            n.distance_m / 1000.0
        );
    }
    if loc.outside {
        let _ = writeln!(
            s,
            "{:<8} {}",
            label(lang, "note", "说明"),
            label(lang, "outside the covered area", "超出覆盖范围")
        );
    }
    for n in &loc.notes {
        let _ = writeln!(s, "{:<8} {}", label(lang, "note", "说明"), n);
    }
    let _ = writeln!(
        s,
        "{:<8} {}",
        label(lang, "geodata", "地理数据"),
        loc.geodata_version
    );
    s
}

fn render_code(c: &CodeLocation, lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<8} {} {} ({})",
        label(lang, "code", "代码"),
        c.code,
        c.name,
        area_level_words(c.level, lang)
    );
    match &c.unit {
        Some(u) => unit_line(&mut s, u, lang),
        None => {
            let _ = writeln!(
                s,
                "{:<8} {} ({} {})",
                label(lang, "unit", "区县"),
                label(
                    lang,
                    "none: the code names an area, not a single unit",
                    "无：该代码为地区而非单一区县"
                ),
                c.units_inside,
                label(lang, "units inside", "个区县")
            );
        }
    }
    if let Some(t) = &c.town {
        let _ = writeln!(
            s,
            "{:<8} {} {} ({}){}",
            label(lang, "town", "乡镇"),
            t.code,
            t.name,
            system_words(t.system, lang),
            match (t.pilot, lang) {
                (false, _) => "",
                (true, Lang::En) => ", pilot town of the Demonstration Zone",
                (true, Lang::Zh) => "，示范区先行启动区镇",
            }
        );
    }
    if !c.town_candidates.is_empty() {
        let list: Vec<String> = c
            .town_candidates
            .iter()
            .map(|t| format!("{} ({})", t.name, system_words(t.system, lang)))
            .collect();
        let _ = writeln!(
            s,
            "{:<8} {}: {}",
            label(lang, "town", "乡镇"),
            label(lang, "ambiguous code", "代码有歧义"),
            list.join(", ")
        );
    }
    if c.demo_zone {
        let _ = writeln!(
            s,
            "{:<8} {}",
            label(lang, "zone", "示范区"),
            label(lang, "in the Demonstration Zone", "位于示范区")
        );
    }
    let _ = writeln!(
        s,
        "{:<8} {}",
        label(lang, "geodata", "地理数据"),
        c.geodata_version
    );
    s
}

/// Counters of a file run.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    read: u64,
    located: u64,
    near_border: u64,
    at_sea: u64,
    outside: u64,
    failed: u64,
    /// Well-formed records whose quoted fields span several physical lines, and the first
    /// one's line range: so every line of the input is accounted for in the summary.
    spanning: u64,
    first_span: Option<LineSpan>,
}

/// The first and last physical line of a CSV record.
type LineSpan = (u64, u64);

impl Counts {
    /// Adds the counters of `c`.
    fn add(&mut self, c: &Counts) {
        self.read += c.read;
        self.located += c.located;
        self.near_border += c.near_border;
        self.at_sea += c.at_sea;
        self.outside += c.outside;
        self.failed += c.failed;
    }
}

/// One parsed input row: the id (a range of its chunk's `ids`) and either a point or the
/// reason it is bad, and the address when the file has an `address` column.
struct Row {
    id: std::ops::Range<usize>,
    point: Option<Result<(f64, f64, Crs), String>>,
    address: Option<String>,
}

/// A run of input rows; the ids share one buffer (no allocation per row).
#[derive(Default)]
struct Chunk {
    ids: String,
    rows: Vec<Row>,
}

impl Chunk {
    fn id(&self, row: &Row) -> &str {
        self.ids.get(row.id.clone()).unwrap_or("")
    }
}

/// The columns of a `locate --input` file, by header name.
#[derive(Debug, Clone, Copy)]
struct Columns {
    id: Option<usize>,
    /// `lon` and `lat`, when both are there.
    point: Option<(usize, usize)>,
    crs: Option<usize>,
    address: Option<usize>,
}

/// Rows per chunk of the file pipeline.
const CHUNK: usize = 1 << 14;

/// `locate --input FILE`: every row of a CSV file of points (or addresses) located, one
/// output row each in input order; negative when a row failed or lies outside.
fn run_file(
    geo: &Geodata,
    input: &std::path::Path,
    output: Option<&std::path::Path>,
    default_crs: Crs,
) -> Result<Outcome, CliError> {
    if let Some(out) = output {
        super::output::refuse_same_file(out, &[input])?;
    }
    let (reader, _) = super::batch::open_input(input)?;
    let mut rdr = super::batch::CsvReader::new(reader);
    let cols = file_columns(&mut rdr, input)?;
    let index = cols
        .address
        .map(|_| crate::address::AddressIndex::new(geo.codes()));
    let mut sink = super::output::Output::create(output.unwrap_or("-".as_ref()))?;
    let header: &[u8] = if index.is_some() {
        b"id,adcode,name,province_adcode,near_border,candidates,status,features,address_unit,address_agrees\n"
    } else {
        b"id,adcode,name,province_adcode,near_border,candidates,status,features\n"
    };
    sink.write_all(header).map_err(write_err)?;
    let counts = locate_rows(
        geo,
        index.as_ref(),
        &mut rdr,
        input,
        cols,
        default_crs,
        &mut sink,
    )?;
    sink.commit()?;
    note(&format!(
        "rows read {}, located {}, near-border {}, at sea (no unit) {}, outside {}, failed {}",
        counts.read,
        counts.located,
        counts.near_border,
        counts.at_sea,
        counts.outside,
        counts.failed
    ));
    if let Some((line, last)) = counts.first_span {
        // A quoted field may hold line breaks (RFC 4180): say so, or the rows would not
        // add up to the file's lines.
        note(&format!(
            "{} record(s) span several lines (quoted fields with line breaks), the first at lines {line}–{last}: each is one row",
            counts.spanning
        ));
    }
    Ok(if counts.failed > 0 || counts.outside > 0 {
        Outcome::Negative
    } else {
        Outcome::Ok
    })
}

/// An error writing the output.
fn write_err(e: std::io::Error) -> CliError {
    CliError::Io("output".to_string(), e)
}

/// Reads the header row of `input` and finds its columns: `id,lon,lat` (optional `crs`)
/// or `id,address`, or both.
fn file_columns(
    rdr: &mut super::batch::CsvReader,
    input: &std::path::Path,
) -> Result<Columns, CliError> {
    let headers = rdr
        .header()
        .map_err(|e| {
            CliError::Msg(format!(
                "in `{}`: cannot read the header row: {e}",
                input.display()
            ))
        })?
        .unwrap_or_default();
    let col = |n: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(n))
    };
    let cols = Columns {
        id: col("id"),
        point: col("lon").zip(col("lat")),
        crs: col("crs"),
        address: col("address"),
    };
    if cols.point.is_none() && cols.address.is_none() {
        return Err(CliError::Msg(format!(
            "in `{}`: the header must have columns `id,lon,lat` (optional `crs`) or `id,address`; found `{}`",
            input.display(),
            headers.join(",")
        )));
    }
    Ok(cols)
}

/// Locates the rows of `rdr` into `sink` on all cores: this thread reads and parses chunks,
/// workers locate and format them, a writer thread writes them in input order. Returns the
/// counters of the rows written.
fn locate_rows(
    geo: &Geodata,
    index: Option<&crate::address::AddressIndex>,
    rdr: &mut super::batch::CsvReader,
    input: &std::path::Path,
    cols: Columns,
    default_crs: Crs,
    sink: &mut super::output::Output,
) -> Result<Counts, CliError> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    let (tx_in, rx_in) = std::sync::mpsc::sync_channel::<(usize, Chunk)>(threads + 1);
    let rx_in = std::sync::Arc::new(std::sync::Mutex::new(rx_in));
    let (tx_out, rx_out) = std::sync::mpsc::sync_channel::<(usize, String, Counts)>(threads + 2);
    let written: Result<(usize, Counts), CliError> = std::thread::scope(|sc| {
        // The point index is built while the first chunks are read.
        sc.spawn(|| {
            geo.fast_index();
        });
        for _ in 0..threads {
            let (rx_in, tx_out) = (rx_in.clone(), tx_out.clone());
            sc.spawn(move || format_chunks(geo, index, &rx_in, &tx_out));
        }
        drop((tx_out, rx_in));
        let writer = sc.spawn(move || write_in_order(rx_out, sink));
        let (seq, spanning, first_span) = read_chunks(rdr, input, cols, default_crs, tx_in)?;
        // A worker that panicked loses its chunk: fail instead of writing less.
        let (done, c) = writer
            .join()
            .map_err(|_| CliError::Msg("internal error: the writer failed".to_string()))??;
        if done != seq {
            return Err(CliError::Msg(format!(
                "internal error: a worker failed on the rows after row {}; output stops there",
                c.read
            )));
        }
        Ok((
            done,
            Counts {
                spanning,
                first_span,
                ..c
            },
        ))
    });
    Ok(written?.1)
}

/// A worker of [`locate_rows`]: formats chunks until the input ends or the writer stops.
fn format_chunks(
    geo: &Geodata,
    index: Option<&crate::address::AddressIndex>,
    rx_in: &std::sync::Mutex<std::sync::mpsc::Receiver<(usize, Chunk)>>,
    tx_out: &std::sync::mpsc::SyncSender<(usize, String, Counts)>,
) {
    loop {
        let job = rx_in.lock().ok().and_then(|r| r.recv().ok());
        let Some((seq, chunk)) = job else { break };
        let (text, c) = format_rows(geo, index, &chunk);
        if tx_out.send((seq, text, c)).is_err() {
            break;
        }
    }
}

/// The writer of [`locate_rows`]: writes the formatted chunks in sequence order; returns
/// how many it wrote and their counters.
fn write_in_order(
    rx_out: std::sync::mpsc::Receiver<(usize, String, Counts)>,
    sink: &mut super::output::Output,
) -> Result<(usize, Counts), CliError> {
    let mut counts = Counts::default();
    let mut pending = std::collections::BTreeMap::new();
    let mut next = 0usize;
    for (seq, text, c) in rx_out {
        pending.insert(seq, (text, c));
        while let Some((text, c)) = pending.remove(&next) {
            sink.write_all(text.as_bytes()).map_err(write_err)?;
            counts.add(&c);
            next += 1;
        }
    }
    sink.flush().map_err(write_err)?;
    Ok((next, counts))
}

/// Reads the rows in chunks of [`CHUNK`] and sends them numbered from 0 until the input
/// ends (or the workers stop); returns how many chunks were sent.
fn read_chunks(
    rdr: &mut super::batch::CsvReader,
    input: &std::path::Path,
    cols: Columns,
    default_crs: Crs,
    tx_in: std::sync::mpsc::SyncSender<(usize, Chunk)>,
) -> Result<(usize, u64, Option<LineSpan>), CliError> {
    let mut recs = crate::input::row::CsvRecords::default();
    let mut seq = 0usize;
    let (mut spanning, mut first_span) = (0u64, None);
    loop {
        let mut chunk = Chunk {
            ids: String::with_capacity(CHUNK * 8),
            rows: Vec::with_capacity(CHUNK),
        };
        rdr.next_records(CHUNK, &mut recs)
            .map_err(|e| CliError::Io(input.display().to_string(), e))?;
        for rec in recs.iter() {
            let (line, last) = rec.lines();
            if last > line && rec.error().is_none() {
                spanning += 1;
                first_span.get_or_insert((line, last));
            }
            push_row(&mut chunk, &rec, cols, default_crs);
        }
        if chunk.rows.is_empty() || tx_in.send((seq, chunk)).is_err() {
            break;
        }
        seq += 1;
    }
    Ok((seq, spanning, first_span))
}

/// Parses one record into a row of `chunk`: its id (the `id` column, else the line), and
/// its point (or why it has none) and address.
fn push_row(
    chunk: &mut Chunk,
    rec: &crate::input::row::CsvRecord<'_>,
    cols: Columns,
    default_crs: Crs,
) {
    let (line, last) = rec.lines();
    let field = |c: usize| {
        std::str::from_utf8(rec.field(c).unwrap_or(b""))
            .unwrap_or("")
            .trim()
    };
    let start = chunk.ids.len();
    match cols
        .id
        .map(field)
        .filter(|s| !s.is_empty() || rec.error().is_none())
    {
        Some(id) => chunk.ids.push_str(id),
        None if rec.error().is_some() => {
            let _ = write!(chunk.ids, "line-{line}");
        }
        None => {
            let _ = write!(chunk.ids, "{line}");
        }
    }
    let id = start..chunk.ids.len();
    if let Some(e) = rec.error() {
        chunk.rows.push(Row {
            id,
            point: Some(Err(e.to_string())),
            address: None,
        });
        return;
    }
    let address = cols
        .address
        .map(|c| field(c).to_string())
        .filter(|a| !a.is_empty());
    // A row with an address and empty coordinates is located by its address.
    let point = cols
        .point
        .filter(|(x, y)| address.is_none() || !field(*x).is_empty() || !field(*y).is_empty())
        .map(|(x, y)| {
            parse_row(field(x), field(y), cols.crs.map(field), default_crs).map_err(|e| {
                if last > line {
                    format!("record at lines {line}–{last}: {e}")
                } else {
                    e
                }
            })
        });
    chunk.rows.push(Row { id, point, address });
}

fn parse_row(
    lon: &str,
    lat: &str,
    crs: Option<&str>,
    default_crs: Crs,
) -> Result<(f64, f64, Crs), String> {
    let crs_v = crate::input::place::parse_crs_column(crs, default_crs);
    let (lonv, latv) = crate::input::place::parse_columns("", lon, lat, default_crs, false)?;
    Ok((lonv, latv, crs_v?))
}

/// The address columns of a row: the unit it names and whether it agrees with the point.
fn address_cols(
    index: Option<&crate::address::AddressIndex>,
    row: &Row,
    point_unit: Option<&str>,
    s: &mut String,
) {
    let Some(index) = index else { return };
    let Some(addr) = &row.address else {
        s.push_str(",,");
        return;
    };
    let m = index.parse(addr);
    s.push(',');
    if let Some(u) = &m.unit {
        s.push_str(u);
    } else {
        let c: Vec<&str> = m.candidates.iter().map(|c| c.adcode.as_str()).collect();
        s.push_str(&c.join("|"));
    }
    s.push(',');
    match (point_unit, &m.unit) {
        (Some(p), Some(u)) => s.push_str(if p == u { "true" } else { "false" }),
        (Some(p), None) if !m.candidates.is_empty() => {
            s.push_str(if m.candidates.iter().any(|c| c.adcode == p) {
                "true"
            } else {
                "false"
            });
        }
        _ => {}
    }
}

/// The columns after the id of a row located by [`Geodata::spot`]: byte for byte what the
/// general path below writes for the same point.
fn spot_row(
    geo: &Geodata,
    index: Option<&crate::address::AddressIndex>,
    row: &Row,
    sp: &Spot,
    s: &mut String,
    c: &mut Counts,
) {
    let units = geo.units();
    let unit = sp.unit.and_then(|i| units.get(i as usize));
    // Units within the tolerance other than the containing one, at 0.1 m, ordered by that
    // distance then code (= index order), as `Location::candidates`.
    let mut near = [(0u32, 0f64); NEAR_CAP];
    let mut n = 0;
    for &(i, d) in sp.near() {
        if Some(i) != sp.unit
            && let Some(slot) = near.get_mut(n)
        {
            *slot = (i, (d * 10.0).round() / 10.0);
            n += 1;
        }
    }
    let near = near.get_mut(..n).unwrap_or(&mut []);
    near.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let near_border = !near.is_empty();
    if near_border {
        c.near_border += 1;
    }
    match unit {
        Some(u) => {
            c.located += 1;
            let _ = write!(
                s,
                ",{},{},{},{near_border},",
                u.adcode, u.name, u.province_adcode
            );
            if near_border {
                let _ = write!(s, "{}:0.0", u.adcode);
            }
            for (i, d) in near.iter() {
                if let Some(o) = units.get(*i as usize) {
                    let _ = write!(s, "|{}:{d:.1}", o.adcode);
                }
            }
            s.push_str(",ok,");
        }
        None => {
            let _ = write!(s, ",,,,{near_border},");
            for (k, (i, d)) in near.iter().enumerate() {
                if let Some(o) = units.get(*i as usize) {
                    if k > 0 {
                        s.push('|');
                    }
                    let _ = write!(s, "{}:{d:.1}", o.adcode);
                }
            }
            s.push(',');
            if sp.features == 0 {
                c.outside += 1;
                let mut status = String::new();
                match geo
                    .spot_nearest(sp)
                    .and_then(|(i, d)| Some((units.get(i)?, d)))
                {
                    Some((n, d)) => {
                        let _ = write!(
                            status,
                            "outside the covered area; nearest unit {} {} at {:.1} km",
                            n.adcode,
                            n.name,
                            d / 1000.0
                        );
                    }
                    None => status.push_str("outside the covered area"),
                }
                csv_field(&status, s);
            } else {
                c.at_sea += 1;
                s.push_str("ok");
            }
            s.push(',');
        }
    }
    let mut first = true;
    let mut bits = sp.features;
    while bits != 0 {
        if let Some(f) = geo.features().get(bits.trailing_zeros() as usize) {
            if !first {
                s.push('|');
            }
            s.push_str(&f.id);
            first = false;
        }
        bits &= bits - 1;
    }
    address_cols(index, row, unit.map(|u| u.adcode.as_str()), s);
    s.push('\n');
}

/// The output rows of a chunk and their counters: each row located by its address, by the
/// allocation-free [`Geodata::spot`] or by the general [`Geodata::locate`].
fn format_rows(
    geo: &Geodata,
    index: Option<&crate::address::AddressIndex>,
    chunk: &Chunk,
) -> (String, Counts) {
    let mut s = String::with_capacity(chunk.rows.len() * 48);
    let mut c = Counts::default();
    for row in &chunk.rows {
        c.read += 1;
        csv_field(chunk.id(row), &mut s);
        // Address-only rows: the address decides.
        if row.point.is_none() {
            address_row(geo, index, row, &mut s, &mut c);
            continue;
        }
        // Fast path: a point in a unit, at sea, or in no unit inside the grid allocates
        // nothing per row (the nearest unit of an outside point comes from the exact search).
        if let Some(Ok((lon, lat, crs))) = &row.point
            && let Ok(Some(sp)) = geo.spot(*lon, *lat, *crs)
        {
            spot_row(geo, index, row, &sp, &mut s, &mut c);
            continue;
        }
        let located = row
            .point
            .clone()
            .unwrap_or_else(|| Err("no point".to_string()))
            .and_then(|(lon, lat, crs)| geo.locate(lon, lat, crs).map_err(|e| e.to_string()));
        match located {
            Err(msg) => {
                c.failed += 1;
                s.push_str(",,,,,,");
                csv_field(&format!("error: {msg}"), &mut s);
                s.push(',');
                address_cols(index, row, None, &mut s);
                s.push('\n');
            }
            Ok(loc) => location_row(index, row, &loc, &mut s, &mut c),
        }
    }
    (s, c)
}

/// The columns after the id of a row with an address and no point: the unit the address
/// names, or why it names none.
fn address_row(
    geo: &Geodata,
    index: Option<&crate::address::AddressIndex>,
    row: &Row,
    s: &mut String,
    c: &mut Counts,
) {
    let m = index.map(|i| i.parse(row.address.as_deref().unwrap_or("")));
    match m
        .as_ref()
        .and_then(|m| m.unit.as_deref().and_then(|u| geo.unit(u)))
    {
        Some(u) => {
            c.located += 1;
            let _ = write!(
                s,
                ",{},{},{},false,,ok,",
                u.adcode, u.name, u.province_adcode
            );
        }
        None => {
            c.failed += 1;
            let why = match &m {
                Some(m) if !m.candidates.is_empty() => format!(
                    "error: ambiguous address: {}",
                    m.candidates
                        .iter()
                        .map(|c| format!("{} {}", c.adcode, c.name))
                        .collect::<Vec<_>>()
                        .join(" / ")
                ),
                Some(_) if row.address.is_some() => {
                    "error: the address names no county-level unit".to_string()
                }
                _ => "error: empty address".to_string(),
            };
            s.push_str(",,,,,,");
            csv_field(&why, s);
            s.push(',');
        }
    }
    address_cols(index, row, None, s);
    s.push('\n');
}

/// The columns after the id of a row located by [`Geodata::locate`].
fn location_row(
    index: Option<&crate::address::AddressIndex>,
    row: &Row,
    loc: &Location,
    s: &mut String,
    c: &mut Counts,
) {
    s.push(',');
    if let Some(u) = &loc.unit {
        c.located += 1;
        let _ = write!(s, "{},{},{}", u.adcode, u.name, u.province_adcode);
    } else {
        s.push_str(",,");
    }
    if loc.near_border {
        c.near_border += 1;
    }
    let _ = write!(s, ",{},", loc.near_border);
    for (i, cand) in loc.candidates.iter().enumerate() {
        if i > 0 {
            s.push('|');
        }
        let _ = write!(s, "{}:{:.1}", cand.adcode, cand.distance_m);
    }
    let status = if loc.outside {
        c.outside += 1;
        match &loc.nearest {
            Some(n) => format!(
                "outside the covered area; nearest unit {} {} at {:.1} km",
                n.adcode,
                n.name,
                n.distance_m / 1000.0
            ),
            None => "outside the covered area".to_string(),
        }
    } else if loc.unit.is_none() {
        c.at_sea += 1;
        "ok".to_string()
    } else {
        "ok".to_string()
    };
    s.push(',');
    csv_field(&status, s);
    s.push(',');
    for (i, f) in loc.features.iter().enumerate() {
        if i > 0 {
            s.push('|');
        }
        s.push_str(&f.id);
    }
    address_cols(index, row, loc.unit.as_ref().map(|u| u.adcode.as_str()), s);
    s.push('\n');
}

/// The level of a code-table area in words.
fn area_level_words(l: crate::spatial::AreaLevel, lang: Lang) -> &'static str {
    use crate::spatial::AreaLevel as A;
    match (l, lang) {
        (A::Province, Lang::En) => "province",
        (A::City, Lang::En) => "prefecture-level city",
        (A::County, Lang::En) => "county-level unit",
        (A::Town, Lang::En) => "town or sub-district",
        (A::Province, Lang::Zh) => "省级",
        (A::City, Lang::Zh) => "地级市",
        (A::County, Lang::Zh) => "县级",
        (A::Town, Lang::Zh) => "乡镇街道",
    }
}

/// The numbering system of a town code in words.
fn system_words(s: crate::spatial::CodeSystem, lang: Lang) -> &'static str {
    use crate::spatial::CodeSystem as S;
    match (s, lang) {
        (S::Mca, Lang::En) => "Ministry of Civil Affairs numbering",
        (S::Nbs, Lang::En) => "statistical (NBS) numbering",
        (S::Mca, Lang::Zh) => "民政部区划代码",
        (S::Nbs, Lang::Zh) => "统计用区划代码",
    }
}
