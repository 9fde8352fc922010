//! `ecojuris batch`: route a file of cases (CSV or JSONL) to a file of results (CSV or
//! JSONL), streaming, on every core, in input order.
//!
//! Pipeline: a reader thread parses the input into chunks of raw rows and sends them over a
//! bounded channel (two chunks in flight, so memory does not grow with the input); the main
//! thread splits each chunk over the worker threads (contiguous slices, each with its own
//! routing cache), joins them in order and hands the text to a writer thread.

use std::io::{BufRead, IsTerminal as _, Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;

use super::args::{BatchArgs, BatchFormat};
use super::output::{Output, refuse_same_file};
use super::{Cli, CliError, Outcome, note};
use crate::input::row::{CsvColumns, case_from_jsonl};
use crate::model::Case;
use crate::simulate::batch::{self as core, Counts, Memo, Router};

/// Rows per chunk.
pub(crate) const CHUNK: usize = 1 << 14;

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InFormat {
    Csv,
    Jsonl,
}

/// One raw input row.
#[derive(Debug, Clone)]
pub(crate) enum Raw {
    /// A CSV record.
    Csv(csv::ByteRecord),
    /// A JSONL line.
    Json(String),
    /// A row the reader could not even split (bad CSV quoting, invalid UTF-8).
    Bad(String),
}

/// A chunk: `(line number, raw row)` pairs and the input byte position after them.
pub(crate) struct Chunk {
    pub rows: Vec<(u64, Raw)>,
    pub bytes: u64,
}

/// A streaming reader of batch input.
pub(crate) struct Input {
    pub columns: Option<CsvColumns>,
    pub total_bytes: Option<u64>,
    pub origin: String,
    source: Source,
}

enum Source {
    Csv(csv::Reader<Box<dyn Read + Send>>, u64),
    Jsonl(Box<dyn BufRead + Send>, u64, u64),
}

/// Picks a format from a path's extension.
pub(crate) fn format_of(path: &Path) -> Option<InFormat> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Some(InFormat::Csv),
        Some("jsonl" | "ndjson" | "json") => Some(InFormat::Jsonl),
        _ => None,
    }
}

impl Input {
    /// Opens `path` (`-` for stdin) in `format` (from the extension when `None`).
    pub(crate) fn open(path: &Path, format: Option<InFormat>) -> Result<Input, CliError> {
        let origin = path.display().to_string();
        let format = format.or_else(|| format_of(path)).ok_or_else(|| {
            CliError::Msg(format!("cannot tell the format of `{origin}` from its extension: give `--input-format csv` or `jsonl`"))
        })?;
        let (reader, total_bytes): (Box<dyn Read + Send>, Option<u64>) = if origin == "-" {
            (Box::new(std::io::stdin()), None)
        } else {
            let f = std::fs::File::open(path).map_err(|e| CliError::Io(origin.clone(), e))?;
            let len = f.metadata().ok().map(|m| m.len());
            (Box::new(f), len)
        };
        match format {
            InFormat::Csv => {
                let mut rdr = csv::ReaderBuilder::new()
                    .flexible(true)
                    .buffer_capacity(1 << 20)
                    .from_reader(reader);
                let headers = rdr
                    .headers()
                    .map_err(|e| {
                        CliError::Msg(format!("in `{origin}`: cannot read the header row: {e}"))
                    })?
                    .clone();
                let columns = CsvColumns::from_header(headers.iter())
                    .map_err(|e| CliError::Msg(format!("in `{origin}`: {e}")))?;
                Ok(Input {
                    columns: Some(columns),
                    total_bytes,
                    origin,
                    source: Source::Csv(rdr, 1),
                })
            }
            InFormat::Jsonl => Ok(Input {
                columns: None,
                total_bytes,
                origin,
                source: Source::Jsonl(
                    Box::new(std::io::BufReader::with_capacity(1 << 20, reader)),
                    0,
                    0,
                ),
            }),
        }
    }

    /// The next chunk of up to `CHUNK` rows; `None` at the end. IO errors end the input.
    pub(crate) fn next_chunk(&mut self) -> Result<Option<Chunk>, CliError> {
        let mut rows = Vec::with_capacity(CHUNK);
        match &mut self.source {
            Source::Csv(rdr, line) => {
                while rows.len() < CHUNK {
                    let mut rec = csv::ByteRecord::new();
                    match rdr.read_byte_record(&mut rec) {
                        Ok(false) => break,
                        Ok(true) => {
                            *line = rec.position().map(|p| p.line()).unwrap_or(*line + 1);
                            rows.push((*line, Raw::Csv(rec)));
                        }
                        Err(e) => {
                            if let csv::ErrorKind::Io(_) = e.kind() {
                                return Err(CliError::Msg(format!("in `{}`: {e}", self.origin)));
                            }
                            *line += 1;
                            rows.push((*line, Raw::Bad(format!("malformed CSV row: {e}"))));
                        }
                    }
                }
                let bytes = rdr.position().byte();
                Ok((!rows.is_empty()).then_some(Chunk { rows, bytes }))
            }
            Source::Jsonl(r, line, bytes) => {
                let mut buf = Vec::new();
                while rows.len() < CHUNK {
                    buf.clear();
                    let n = r
                        .read_until(b'\n', &mut buf)
                        .map_err(|e| CliError::Io(self.origin.clone(), e))?;
                    if n == 0 {
                        break;
                    }
                    *bytes += n as u64;
                    *line += 1;
                    let text = match std::str::from_utf8(&buf) {
                        Ok(t) => t.trim(),
                        Err(e) => {
                            rows.push((*line, Raw::Bad(format!("invalid UTF-8: {e}"))));
                            continue;
                        }
                    };
                    if text.is_empty() {
                        continue;
                    }
                    rows.push((*line, Raw::Json(text.to_string())));
                }
                Ok((!rows.is_empty()).then_some(Chunk {
                    rows,
                    bytes: *bytes,
                }))
            }
        }
    }

    /// Parses one raw row into `(id, case)`.
    pub(crate) fn parse(
        columns: Option<&CsvColumns>,
        line: u64,
        raw: &Raw,
    ) -> (String, Result<Case, String>) {
        match raw {
            Raw::Bad(e) => (format!("line-{line}"), Err(e.clone())),
            Raw::Json(text) => case_from_jsonl(text, line),
            Raw::Csv(rec) => match columns {
                None => (format!("line-{line}"), Err("no header".to_string())),
                Some(c) => {
                    let field = |i: usize| rec.get(i).and_then(|b| std::str::from_utf8(b).ok());
                    let id = c.id(field, line);
                    if std::str::from_utf8(rec.as_slice()).is_err() {
                        return (id, Err("the row is not valid UTF-8".to_string()));
                    }
                    let case = c.case(field, rec.len());
                    (id, case)
                }
            },
        }
    }
}

/// Spawns the reader thread: chunks arrive over the returned channel; an IO error arrives as
/// `Err` and ends the stream.
pub(crate) fn spawn_reader<'s>(
    s: &'s std::thread::Scope<'s, '_>,
    mut input: Input,
) -> mpsc::Receiver<Result<Chunk, CliError>> {
    let (tx, rx) = mpsc::sync_channel(2);
    s.spawn(move || {
        loop {
            match input.next_chunk() {
                Ok(Some(c)) => {
                    if tx.send(Ok(c)).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    break;
                }
            }
        }
    });
    rx
}

/// Worker threads to use.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 64)
}

/// A progress line on stderr, only when it is a terminal.
pub(crate) struct Progress {
    on: bool,
    start: Instant,
    total: Option<u64>,
    last: Instant,
}

impl Progress {
    pub(crate) fn new(total: Option<u64>) -> Progress {
        let now = Instant::now();
        Progress {
            on: std::io::stderr().is_terminal(),
            start: now,
            total,
            last: now,
        }
    }

    pub(crate) fn update(&mut self, rows: u64, bytes: u64) {
        if !self.on || self.last.elapsed().as_millis() < 100 {
            return;
        }
        self.last = Instant::now();
        let secs = self.start.elapsed().as_secs_f64().max(1e-9);
        let rate = rows as f64 / secs;
        let line = match self.total {
            Some(t) if t > 0 => {
                let frac = (bytes as f64 / t as f64).clamp(0.0, 1.0);
                let filled = (frac * 30.0).round() as usize;
                format!(
                    "\r[{}{}] {:>5.1}% {rows} rows, {:.0} rows/s ",
                    "#".repeat(filled),
                    " ".repeat(30 - filled.min(30)),
                    frac * 100.0,
                    rate
                )
            }
            _ => format!("\r{rows} rows, {rate:.0} rows/s "),
        };
        let mut e = std::io::stderr().lock();
        let _ = e.write_all(line.as_bytes());
        let _ = e.flush();
    }

    pub(crate) fn finish(&self) {
        if self.on {
            let mut e = std::io::stderr().lock();
            let _ = e.write_all(b"\r\x1b[K");
            let _ = e.flush();
        }
    }

    pub(crate) fn elapsed(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }
}

/// Opens an output file (`-` for stdout) with a large buffer; a file is written under a
/// temporary name and only appears under its name on [`Output::commit`].
pub(crate) fn create_output(path: &Path) -> Result<Output, CliError> {
    Output::create(path)
}

/// Loads the engine, with a scenario applied when given.
pub(crate) fn load_engine_with(
    cli: &Cli,
    scenario: Option<&Path>,
) -> Result<crate::eval::Engine, CliError> {
    let geo = super::load_geodata(cli)?;
    let mut files = match &cli.rules {
        Some(dir) => {
            crate::rules::RuleFiles::from_dir(dir).map_err(|e| CliError::Msg(e.to_string()))?
        }
        None => crate::rules::RuleFiles::embedded(),
    };
    if let Some(p) = scenario {
        let text =
            std::fs::read_to_string(p).map_err(|e| CliError::Io(p.display().to_string(), e))?;
        files = files.with_scenario(&p.display().to_string(), text);
    }
    crate::eval::Engine::load(geo, &files).map_err(|e| CliError::Msg(e.to_string()))
}

pub(super) fn run(cli: &Cli, a: &BatchArgs) -> Result<Outcome, CliError> {
    let in_format = a.input_format.map(|f| match f {
        BatchFormat::Csv => InFormat::Csv,
        BatchFormat::Jsonl => InFormat::Jsonl,
    });
    let out_format = match a.output_format {
        Some(BatchFormat::Csv) => InFormat::Csv,
        Some(BatchFormat::Jsonl) => InFormat::Jsonl,
        None => format_of(&a.output).ok_or_else(|| {
            CliError::Msg(format!(
                "cannot tell the output format of `{}` from its extension: give `--output-format csv` or `jsonl`",
                a.output.display()
            ))
        })?,
    };
    let full = a.full;
    if full && out_format == InFormat::Csv {
        return Err(CliError::Msg(
            "`--full` writes whole decisions, which needs JSONL output (`--output-format jsonl` or a `.jsonl` file)".to_string(),
        ));
    }
    let mut inputs = vec![a.input.as_path()];
    inputs.extend(a.scenario.as_deref());
    refuse_same_file(&a.output, &inputs)?;
    let engine = load_engine_with(cli, a.scenario.as_deref())?;
    let today = match &a.today {
        Some(d) => crate::model::Date::parse(d)
            .ok_or_else(|| CliError::Msg(format!("invalid `--today {d}` (expected YYYY-MM-DD)")))?,
        None => super::route::today(),
    };
    let input = Input::open(&a.input, in_format)?;
    let progress_total = input.total_bytes;
    let columns = input.columns.clone();
    let router = Router::new(&engine, today);
    let n = threads();
    let mut memos: Vec<Memo> = (0..n).map(|_| Memo::new()).collect();
    let mut sink = create_output(&a.output)?;
    let out_path = a.output.display().to_string();
    let mut progress = Progress::new(progress_total);
    let mut counts = Counts::default();
    let result: Result<Output, CliError> = std::thread::scope(|s| {
        let rx = spawn_reader(s, input);
        let (wtx, wrx) = mpsc::sync_channel::<Vec<String>>(2);
        let writer = s.spawn(move || -> Result<Output, std::io::Error> {
            if out_format == InFormat::Csv {
                sink.write_all(core::CSV_OUTPUT_HEADER.as_bytes())?;
            }
            for parts in wrx {
                for p in parts {
                    sink.write_all(p.as_bytes())?;
                }
            }
            sink.flush()?;
            Ok(sink)
        });
        let mut status = Ok(());
        for chunk in rx {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    status = Err(e);
                    break;
                }
            };
            let per = chunk.rows.len().div_ceil(n).max(1);
            let cols = columns.as_ref();
            let router = &router;
            let parts: Option<Vec<(String, Counts)>> = std::thread::scope(|s2| {
                let handles: Vec<_> = chunk
                    .rows
                    .chunks(per)
                    .zip(memos.iter_mut())
                    .map(|(rows, memo)| {
                        s2.spawn(move || process(router, memo, cols, rows, out_format, full))
                    })
                    .collect();
                // A worker that panicked would lose its rows: stop instead of writing less.
                handles.into_iter().map(|h| h.join().ok()).collect()
            });
            let Some(parts) = parts else {
                status = Err(CliError::Msg(format!(
                    "internal error: a worker failed on the chunk after row {}; output stops there",
                    counts.read
                )));
                break;
            };
            let mut texts = Vec::with_capacity(parts.len());
            for (t, c) in parts {
                counts.add(c);
                texts.push(t);
            }
            if wtx.send(texts).is_err() {
                break;
            }
            progress.update(counts.read, chunk.bytes);
        }
        drop(wtx);
        let sink = match writer.join() {
            Ok(Ok(sink)) => sink,
            Ok(Err(e)) => return Err(CliError::Io(out_path.clone(), e)),
            Err(_) => return Err(CliError::Msg("the writer thread failed".to_string())),
        };
        // On an error the sink is dropped here: no file appears under the output's name.
        status.map(|()| sink)
    });
    progress.finish();
    result?.commit()?;
    let secs = progress.elapsed();
    let (hits, misses) = memos
        .iter()
        .fold((0, 0), |(h, m), x| (h + x.hits, m + x.misses));
    note(&format!(
        "read {} = routed {} + no court {} + needs clarification {} + failed {}{}; {:.2} s ({:.0} rows/s); cache {hits} hits, {misses} routed",
        counts.read,
        counts.routed,
        counts.no_court,
        counts.needs_clarification,
        counts.failed,
        if counts.reconciles() {
            ""
        } else {
            " (COUNTS DO NOT RECONCILE)"
        },
        secs,
        counts.read as f64 / secs.max(1e-9),
    ));
    Ok(
        if counts.failed == 0 && counts.no_court == 0 && counts.needs_clarification == 0 {
            Outcome::Ok
        } else {
            Outcome::Negative
        },
    )
}

fn process(
    router: &Router<'_>,
    memo: &mut Memo,
    cols: Option<&CsvColumns>,
    rows: &[(u64, Raw)],
    out: InFormat,
    full: bool,
) -> (String, Counts) {
    let mut s = String::with_capacity(rows.len() * if out == InFormat::Csv { 64 } else { 2048 });
    let mut counts = Counts::default();
    for (line, raw) in rows {
        let (id, case) = Input::parse(cols, *line, raw);
        match out {
            InFormat::Csv => {
                let outcome = case.and_then(|c| router.summarize(memo, &c));
                core::csv_row(&id, &outcome, router, &mut counts, &mut s);
            }
            InFormat::Jsonl if !full => {
                let outcome = case.and_then(|c| router.summarize(memo, &c));
                core::jsonl_compact_row(&id, *line, &outcome, router, &mut counts, &mut s);
            }
            InFormat::Jsonl => {
                let outcome = case.and_then(|c| router.decide(&c));
                core::jsonl_row(&id, *line, &outcome, &mut counts, &mut s);
            }
        }
    }
    (s, counts)
}
