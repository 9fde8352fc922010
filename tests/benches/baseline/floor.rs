//! The I/O floor of `ecojuris locate --input`: read the CSV, parse both numbers of every row
//! and write one row of the same width per input row, with no lookup. One thread, std only.
//!
//!     rustc --edition 2024 -C opt-level=3 -C codegen-units=1 floor.rs -o locate-floor
//!     locate-floor IN.csv OUT.csv WIDTH
//!
//!     locate-floor --lines IN.jsonl OUT WIDTH
//!
//! The second form is the floor of `ecojuris batch`: read every line (checked as UTF-8, no
//! parsing) and write one line of `WIDTH` bytes per non-blank input line.
//!
//! `WIDTH` is the average output row width in bytes (newline included) of the command being
//! compared, so both write the same number of bytes. Prints `rows N, parsed N` on stderr.
//! Built and run by `tests/benches/locate-floor.sh`.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, BufWriter, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, input, output, width] = args.as_slice()
        && mode == "--lines"
    {
        return lines(input, output, width.parse()?);
    }
    let [_, input, output, width] = args.as_slice() else {
        return Err("usage: locate-floor IN.csv OUT.csv WIDTH | locate-floor --lines IN OUT WIDTH".into());
    };
    let width: usize = width.parse()?;
    let mut rdr = BufReader::with_capacity(1 << 20, std::fs::File::open(input)?);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(output)?);
    let mut line = Vec::new();
    rdr.read_until(b'\n', &mut line)?;
    let header = std::str::from_utf8(&line)?.trim_end().to_string();
    let col = |n: &str| header.split(',').position(|h| h.eq_ignore_ascii_case(n));
    let (Some(ci), Some(cx), Some(cy)) = (col("id"), col("lon"), col("lat")) else {
        return Err("the header needs id, lon, lat".into());
    };
    writeln!(out, "id,lon,lat,pad")?;
    let (mut rows, mut parsed) = (0u64, 0u64);
    let mut row = String::with_capacity(256);
    loop {
        line.clear();
        if rdr.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        rows += 1;
        let text = std::str::from_utf8(&line)?.trim_end();
        let (mut id, mut lon, mut lat) = ("", None, None);
        for (i, f) in text.split(',').enumerate() {
            if i == ci {
                id = f;
            } else if i == cx {
                lon = f.trim().parse::<f64>().ok();
            } else if i == cy {
                lat = f.trim().parse::<f64>().ok();
            }
        }
        row.clear();
        row.push_str(id);
        if let (Some(x), Some(y)) = (lon, lat) {
            parsed += 1;
            let _ = write!(row, ",{x:.6},{y:.6},");
        } else {
            row.push_str(",,,");
        }
        while row.len() + 1 < width {
            row.push('x');
        }
        row.push('\n');
        out.write_all(row.as_bytes())?;
    }
    out.flush()?;
    eprintln!("rows {rows}, parsed {parsed}");
    Ok(())
}

fn lines(input: &str, output: &str, width: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut rdr = BufReader::with_capacity(1 << 20, std::fs::File::open(input)?);
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(output)?);
    let mut line = Vec::new();
    let row: Vec<u8> = (0..width.max(1)).map(|i| if i + 1 == width { b'\n' } else { b'x' }).collect();
    let mut rows = 0u64;
    loop {
        line.clear();
        if rdr.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if std::str::from_utf8(&line)?.trim().is_empty() {
            continue;
        }
        rows += 1;
        out.write_all(&row)?;
    }
    out.flush()?;
    eprintln!("rows {rows}");
    Ok(())
}
