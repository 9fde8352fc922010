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
use crate::input::row::{CsvColumns, CsvRecords, CsvSplitter, case_from_jsonl};
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

/// The rows of a chunk, in one or two buffers (no allocation per row).
enum Rows {
    /// CSV records.
    Csv(CsvRecords),
    /// JSONL lines: `(line number, byte range in text or why it is unreadable)`.
    Jsonl(String, Vec<(u64, Result<std::ops::Range<usize>, String>)>),
}

/// A chunk of input rows and the input byte position after them.
pub(crate) struct Chunk {
    rows: Rows,
    pub bytes: u64,
}

impl Chunk {
    /// Number of rows.
    pub(crate) fn len(&self) -> usize {
        match &self.rows {
            Rows::Csv(r) => r.len(),
            Rows::Jsonl(_, l) => l.len(),
        }
    }

    /// The row ranges of at most `parts` contiguous slices, in order.
    pub(crate) fn split(&self, parts: usize) -> Vec<std::ops::Range<usize>> {
        let n = self.len();
        let per = n.div_ceil(parts.max(1)).max(1);
        (0..n).step_by(per).map(|a| a..(a + per).min(n)).collect()
    }

    /// Parses row `i` into `(line, id, case)`.
    pub(crate) fn parse(
        &self,
        columns: Option<&CsvColumns>,
        i: usize,
    ) -> (u64, String, Result<Case, String>) {
        match &self.rows {
            Rows::Jsonl(text, lines) => match lines.get(i) {
                Some((line, Ok(r))) => {
                    let (id, case) = case_from_jsonl(text.get(r.clone()).unwrap_or(""), *line);
                    (*line, id, case)
                }
                Some((line, Err(e))) => (*line, format!("line-{line}"), Err(e.clone())),
                None => (0, String::new(), Err("no such row".to_string())),
            },
            Rows::Csv(recs) => {
                let Some(rec) = recs.get(i) else {
                    return (0, String::new(), Err("no such row".to_string()));
                };
                let (line, last) = rec.lines();
                let field = |k: usize| rec.field(k).and_then(|b| std::str::from_utf8(b).ok());
                let Some(c) = columns else {
                    return (line, format!("line-{line}"), Err("no header".to_string()));
                };
                let id = c.id(field, line);
                if let Some(e) = rec.error() {
                    return (line, id, Err(e.to_string()));
                }
                if std::str::from_utf8(rec.bytes()).is_err() {
                    return (line, id, Err("the row is not valid UTF-8".to_string()));
                }
                let case = c.case(field, rec.len());
                // A record that spans lines says which.
                let case = case.map_err(|e| {
                    if last > line {
                        format!("record at lines {line}–{last}: {e}")
                    } else {
                        e
                    }
                });
                (line, id, case)
            }
        }
    }
}

/// Block size of the CSV reader.
const READ_BLOCK: usize = 1 << 20;

/// The one CSV reader of batch rows and `locate --input`: big reads, records split by
/// [`CsvSplitter`] (RFC 4180, every line accounted for), a UTF-8 BOM skipped.
pub(crate) struct CsvReader {
    inner: Box<dyn Read + Send>,
    buf: Vec<u8>,
    start: usize,
    eof: bool,
    started: bool,
    split: CsvSplitter,
    /// Input bytes consumed so far.
    pub bytes: u64,
}

impl CsvReader {
    pub(crate) fn new(inner: Box<dyn Read + Send>) -> CsvReader {
        CsvReader {
            inner,
            buf: Vec::with_capacity(2 * READ_BLOCK),
            start: 0,
            eof: false,
            started: false,
            split: CsvSplitter::new(),
            bytes: 0,
        }
    }

    fn fill(&mut self) -> std::io::Result<()> {
        self.buf.drain(..self.start);
        self.start = 0;
        let old = self.buf.len();
        self.buf.resize(old + READ_BLOCK, 0);
        let n = loop {
            match self.inner.read(self.buf.get_mut(old..).unwrap_or(&mut [])) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        };
        self.buf.truncate(old + n);
        self.eof = n == 0;
        if !self.started && (self.buf.len() >= 3 || self.eof) {
            self.started = true;
            if self.buf.starts_with(b"\xef\xbb\xbf") {
                self.start = 3;
                self.bytes += 3;
            }
        }
        Ok(())
    }

    /// Replaces `out` with the next records, at most `max`; `false` at the end.
    pub(crate) fn next_records(
        &mut self,
        max: usize,
        out: &mut CsvRecords,
    ) -> std::io::Result<bool> {
        out.clear();
        loop {
            if self.started {
                let rest = self.buf.get(self.start..).unwrap_or(&[]);
                let used = self.split.split(rest, self.eof, max - out.len(), out);
                self.start += used;
                self.bytes += used as u64;
            }
            if out.len() >= max || (self.eof && self.start >= self.buf.len()) {
                return Ok(!out.is_empty());
            }
            self.fill()?;
        }
    }

    /// The header row's fields (lossy UTF-8); `None` for an empty input.
    pub(crate) fn header(&mut self) -> Result<Option<Vec<String>>, String> {
        let mut recs = CsvRecords::default();
        if !self.next_records(1, &mut recs).map_err(|e| e.to_string())? {
            return Ok(None);
        }
        let Some(rec) = recs.get(0) else {
            return Ok(None);
        };
        if let Some(e) = rec.error() {
            return Err(e.to_string());
        }
        Ok(Some(
            (0..rec.len())
                .map(|k| String::from_utf8_lossy(rec.field(k).unwrap_or(b"")).into_owned())
                .collect(),
        ))
    }
}

/// A streaming reader of batch input.
pub(crate) struct Input {
    pub columns: Option<CsvColumns>,
    pub total_bytes: Option<u64>,
    pub origin: String,
    source: Source,
}

enum Source {
    Csv(CsvReader),
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

/// Opens `path` (`-` for stdin) for reading, with its size when known.
pub(crate) fn open_input(path: &Path) -> Result<(Box<dyn Read + Send>, Option<u64>), CliError> {
    let origin = path.display().to_string();
    if origin == "-" {
        return Ok((Box::new(std::io::stdin()), None));
    }
    let f = std::fs::File::open(path).map_err(|e| CliError::Io(origin.clone(), e))?;
    let len = f.metadata().ok().map(|m| m.len());
    Ok((Box::new(f), len))
}

impl Input {
    /// Opens `path` (`-` for stdin) in `format` (from the extension when `None`).
    pub(crate) fn open(path: &Path, format: Option<InFormat>) -> Result<Input, CliError> {
        let origin = path.display().to_string();
        let format = format.or_else(|| format_of(path)).ok_or_else(|| {
            CliError::Msg(format!("cannot tell the format of `{origin}` from its extension: give `--input-format csv` or `jsonl`"))
        })?;
        let (reader, total_bytes) = open_input(path)?;
        match format {
            InFormat::Csv => {
                let mut rdr = CsvReader::new(reader);
                let headers = rdr
                    .header()
                    .map_err(|e| {
                        CliError::Msg(format!("in `{origin}`: cannot read the header row: {e}"))
                    })?
                    .unwrap_or_default();
                let columns = CsvColumns::from_header(headers.iter().map(String::as_str))
                    .map_err(|e| CliError::Msg(format!("in `{origin}`: {e}")))?;
                Ok(Input {
                    columns: Some(columns),
                    total_bytes,
                    origin,
                    source: Source::Csv(rdr),
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
        match &mut self.source {
            Source::Csv(rdr) => {
                let mut recs = CsvRecords::default();
                let more = rdr
                    .next_records(CHUNK, &mut recs)
                    .map_err(|e| CliError::Msg(format!("in `{}`: {e}", self.origin)))?;
                Ok(more.then_some(Chunk {
                    rows: Rows::Csv(recs),
                    bytes: rdr.bytes,
                }))
            }
            Source::Jsonl(r, line, bytes) => {
                let mut text = String::with_capacity(CHUNK * 160);
                let mut rows = Vec::with_capacity(CHUNK);
                let mut buf = Vec::new();
                let limit = crate::input::doc::max_input(crate::input::doc::Kind::Line);
                while rows.len() < CHUNK {
                    buf.clear();
                    let (n, kept) = read_line_bounded(r, &mut buf, limit)
                        .map_err(|e| CliError::Io(self.origin.clone(), e))?;
                    if n == 0 {
                        break;
                    }
                    *bytes += n as u64;
                    *line += 1;
                    if !kept {
                        // Never held in memory: an error row, as `case_from_jsonl` gives.
                        let e = crate::input::doc::check_size(n, crate::input::doc::Kind::Line)
                            .err()
                            .unwrap_or_default();
                        rows.push((*line, Err(e)));
                        continue;
                    }
                    let t = match std::str::from_utf8(&buf) {
                        Ok(t) => t.trim(),
                        Err(e) => {
                            rows.push((*line, Err(format!("invalid UTF-8: {e}"))));
                            continue;
                        }
                    };
                    if t.is_empty() {
                        continue;
                    }
                    let a = text.len();
                    text.push_str(t);
                    rows.push((*line, Ok(a..text.len())));
                }
                Ok((!rows.is_empty()).then_some(Chunk {
                    rows: Rows::Jsonl(text, rows),
                    bytes: *bytes,
                }))
            }
        }
    }
}

/// Reads one line (through its `\n`) into `buf`, keeping at most `limit + 1` bytes of it: a
/// longer line is consumed to its end but not kept. Returns the bytes consumed (0 at the end)
/// and whether the line was kept whole.
fn read_line_bounded(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0usize;
    let mut kept = true;
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok((consumed, kept));
        }
        let (take, done) = match avail.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        if kept {
            if buf.len() + take > limit.saturating_add(1) {
                kept = false;
                buf.clear();
            } else if let Some(part) = avail.get(..take) {
                buf.extend_from_slice(part);
            }
        }
        r.consume(take);
        consumed += take;
        if done {
            return Ok((consumed, kept));
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

/// Leaves a large structure made of many small allocations (a memo of a million-case run,
/// a report's aggregates) to the operating system, which reclaims it when the process exits
/// right after, instead of freeing it piece by piece: that took about a tenth of a
/// simulation's CPU time. Only for values a subcommand no longer needs at its end.
pub(crate) fn release_at_exit<T>(value: T) {
    std::mem::forget(value);
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
    let geo = std::sync::Arc::new(super::load_geodata(cli)?);
    // The point index is built on another core while the rules load (every batch row needs
    // it; built on first use it would hold up the workers).
    let warm = {
        let geo = std::sync::Arc::clone(&geo);
        std::thread::spawn(move || {
            geo.fast_index();
        })
    };
    let engine = load_engine_over(cli, geo, scenario);
    // A failed warm-up changes nothing: the index is then built on first use.
    let _ = warm.join();
    engine
}

/// Loads an engine over already loaded geodata (shared with another engine: one copy, one
/// point index), with a scenario applied when given.
pub(crate) fn load_engine_over(
    cli: &Cli,
    geo: std::sync::Arc<crate::spatial::Geodata>,
    scenario: Option<&Path>,
) -> Result<crate::eval::Engine, CliError> {
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
    crate::eval::Engine::load_shared(geo, &files).map_err(|e| CliError::Msg(e.to_string()))
}

/// The input format (`None`: from the file) and the output format of a batch run; `--full`
/// needs JSONL output.
fn batch_formats(a: &BatchArgs) -> Result<(Option<InFormat>, InFormat), CliError> {
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
    if a.full && out_format == InFormat::Csv {
        return Err(CliError::Msg(
            "`--full` writes whole decisions, which needs JSONL output (`--output-format jsonl` or a `.jsonl` file)".to_string(),
        ));
    }
    Ok((in_format, out_format))
}

/// Routes one chunk on `memos.len()` worker threads, each with its own memo; `None` when a
/// worker failed (its rows would be lost).
fn route_chunk(
    router: &Router<'_>,
    memos: &mut [Memo],
    cols: Option<&CsvColumns>,
    chunk: &Chunk,
    out_format: InFormat,
    full: bool,
) -> Option<Vec<(String, Counts)>> {
    let n = memos.len();
    std::thread::scope(|s2| {
        let handles: Vec<_> = chunk
            .split(n)
            .into_iter()
            .zip(memos.iter_mut())
            .map(|(rows, memo)| {
                s2.spawn(move || process(router, memo, cols, chunk, rows, out_format, full))
            })
            .collect();
        // A worker that panicked would lose its rows: stop instead of writing less.
        handles.into_iter().map(|h| h.join().ok()).collect()
    })
}

/// The closing note of a batch run: the counts (which must reconcile), the time and rate,
/// and the memo's hits and misses.
fn batch_summary(counts: &Counts, secs: f64, memos: &[Memo]) -> String {
    let (hits, misses) = memos
        .iter()
        .fold((0, 0), |(h, m), x| (h + x.hits, m + x.misses));
    format!(
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
    )
}

pub(super) fn run(cli: &Cli, a: &BatchArgs) -> Result<Outcome, CliError> {
    let (in_format, out_format) = batch_formats(a)?;
    let full = a.full;
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
            let parts = route_chunk(
                &router,
                &mut memos,
                columns.as_ref(),
                &chunk,
                out_format,
                full,
            );
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
    note(&batch_summary(&counts, progress.elapsed(), &memos));
    release_at_exit(memos);
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
    chunk: &Chunk,
    rows: std::ops::Range<usize>,
    out: InFormat,
    full: bool,
) -> (String, Counts) {
    let per_row = match out {
        InFormat::Csv => 64,
        InFormat::Jsonl if full => 2048,
        InFormat::Jsonl => 192,
    };
    let mut s = String::with_capacity(rows.len() * per_row);
    let mut counts = Counts::default();
    for i in rows {
        let (line, id, case) = chunk.parse(cols, i);
        let line = &line;
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
