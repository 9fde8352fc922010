//! Point-location benchmarks over the embedded geodata.
//!
//! `cargo bench --bench locate` runs the criterion benches and then prints the ratios:
//! - `lookup/unit_at_1M`: `Geodata::unit_at` (exact, no distances, no allocation) over
//!   1,000,000 uniformly random points in the bounding box of the unit vertices, in random
//!   order, per iteration (throughput in points/s);
//! - `lookup/query_100k`: the general allocating `GridIndex::query` (the reference path) on
//!   the first 100,000 of them;
//! - `lookup/brute_force_2k`: the brute-force oracle (an exact ray cast of every unit until one
//!   contains the point) on the first 2,000;
//! - `lookup/spot_tol100m_100k`: `Geodata::spot` (units, features, units within 100 m, no
//!   allocation) and `lookup/locate_tol100m_100k`: the full `Geodata::locate`;
//! - `load/embedded`, `load/from_bytes`, `load/fast_index`: loading and index builds;
//! - then `ratios`: `unit_at` points/s over brute force and over shapely 2 (STRtree + prepared
//!   `contains_xy`, vectorised, one thread) on the same 1,000,000 points, shapely run from
//!   this bench through `tests/benches/baseline/shapely_locate.py` in the venv that
//!   `tests/benches/baseline/venv.sh` creates (pinned shapely; set `ECOJURIS_BENCH_PY` to use
//!   another python, `ECOJURIS_BENCH_NO_SHAPELY=1` to skip).
//!   The block also times `unit_at` on the same points sorted by cell and on the first
//!   4,096 points cycled: the same instructions with the cache on their side, which shows how
//!   much of the random-order time is memory latency.
//!
//! Ratios only (for `tests/benches/figures.sh`): with `ECOJURIS_BENCH_RATIOS_ONLY=1` the
//! criterion benches are skipped and only the `ratios` block runs.
//!
//! Engine mode (for `tests/benches/baseline/run.sh`): with `ECOJURIS_ENGINE_POINTS=pts.csv`
//! (columns `id,lon,lat,…`) the bench instead loads those points, times `unit_at` over all of
//! them `ECOJURIS_ENGINE_REPEATS` times (default 3) on one thread and prints one JSON line
//! (`lookup_s` is the median, CSV parsing excluded, as for the Python baselines); with
//! `ECOJURIS_ENGINE_OUT=res.csv` it writes `id,adcode` for the agreement check.

#![allow(missing_docs, reason = "bench binary")]
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "bench binary"
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use ecojuris::spatial::fast::FastIndex;
use ecojuris::spatial::index::GridIndex;
use ecojuris::spatial::{Crs, EMBEDDED, GeoSet, Geodata, LocateConfig};

/// `n` uniformly random points in the bounding box of all unit vertices (fixed seed).
fn random_points(geo: &Geodata, n: usize) -> Vec<(f64, f64)> {
    let (mut x0, mut y0, mut x1, mut y1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for (_, rings) in &geo.set().units {
        for v in rings.iter().flatten() {
            x0 = x0.min(v[0]);
            y0 = y0.min(v[1]);
            x1 = x1.max(v[0]);
            y1 = y1.max(v[1]);
        }
    }
    let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        (s.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| {
            let x = (f64::from(x0) + next() * f64::from(x1 - x0)) / 1e6;
            let y = (f64::from(y0) + next() * f64::from(y1 - y0)) / 1e6;
            (x, y)
        })
        .collect()
}

/// CPU time of this thread in nanoseconds (Linux `schedstat`): with other processes on the
/// cores, on-CPU time is the honest measure of one core's work.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn brute_unit(geo: &Geodata, x: f64, y: f64) -> Option<u32> {
    let idx = geo.index();
    let p = GridIndex::snap(x, y);
    (0..idx.n_units()).find(|&s| idx.ray_cast(s, p))
}

fn benches(c: &mut Criterion, geo: &Geodata, pts: &[(f64, f64)]) {
    // Build the lazy structures and warm the nearest-unit search so we measure steady state.
    let _ = geo.fast_index();
    for &(x, y) in pts.iter().take(64) {
        let _ = geo.locate(x, y, Crs::Wgs84);
    }
    let _ = geo.locate(116.4, 39.9, Crs::Wgs84);
    let p100k = &pts[..100_000];
    let p2k = &pts[..2_000];

    let mut g = c.benchmark_group("lookup");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(6));
    g.throughput(Throughput::Elements(pts.len() as u64));
    g.bench_function("unit_at_1M", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for &(x, y) in pts {
                hits += usize::from(geo.unit_index_at(black_box(x), black_box(y)).is_some());
            }
            hits
        });
    });
    g.throughput(Throughput::Elements(p100k.len() as u64));
    g.bench_function("query_100k", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for &(x, y) in p100k {
                let p = GridIndex::snap(black_box(x), black_box(y));
                hits += geo
                    .index()
                    .query(p, false, 0.0)
                    .map_or(0, |h| h.shapes.len());
            }
            hits
        });
    });
    g.bench_function("spot_tol100m_100k", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for &(x, y) in p100k {
                if let Ok(Some(s)) = geo.spot(black_box(x), black_box(y), Crs::Wgs84) {
                    hits += usize::from(s.unit.is_some()) + s.near().len();
                }
            }
            hits
        });
    });
    g.bench_function("locate_tol100m_100k", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for &(x, y) in p100k {
                let l = geo.locate(black_box(x), black_box(y), Crs::Wgs84).unwrap();
                hits += usize::from(l.unit.is_some()) + l.candidates.len();
            }
            hits
        });
    });
    g.sample_size(10);
    g.throughput(Throughput::Elements(p2k.len() as u64));
    g.bench_function("brute_force_2k", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for &(x, y) in p2k {
                hits += usize::from(brute_unit(geo, black_box(x), black_box(y)).is_some());
            }
            hits
        });
    });
    g.finish();

    let mut g = c.benchmark_group("load");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("embedded", |b| {
        b.iter(|| Geodata::embedded(LocateConfig::default()).unwrap());
    });
    g.bench_function("from_bytes", |b| {
        b.iter(|| GeoSet::from_bytes(black_box(EMBEDDED), "<embedded>").unwrap());
    });
    g.bench_function("fast_index", |b| {
        b.iter(|| FastIndex::build(black_box(geo.index())));
    });
    g.finish();
}

/// The criterion target directory (where `criterion/…/estimates.json` live).
fn target_dir() -> PathBuf {
    if let Ok(d) = std::env::var("CARGO_TARGET_DIR") {
        return PathBuf::from(d);
    }
    // The bench runs as target/<profile>/deps/locate-…
    std::env::current_exe()
        .ok()
        .and_then(|e| e.ancestors().nth(3).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// Mean nanoseconds per iteration of a criterion bench from this run, if it ran.
fn criterion_mean_ns(group: &str, name: &str) -> Option<f64> {
    let p = target_dir()
        .join("criterion")
        .join(group)
        .join(name)
        .join("new")
        .join("estimates.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

/// Runs the shapely lookup on the same points; its points/s.
fn shapely_points_per_s(pts: &[(f64, f64)]) -> Result<(u64, String), String> {
    if std::env::var_os("ECOJURIS_BENCH_NO_SHAPELY").is_some() {
        return Err("skipped (ECOJURIS_BENCH_NO_SHAPELY)".into());
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let py = match std::env::var("ECOJURIS_BENCH_PY") {
        Ok(p) => p,
        Err(_) => {
            let out = Command::new("bash")
                .arg(root.join("tests/benches/baseline/venv.sh"))
                .output()
                .map_err(|e| format!("cannot run venv.sh: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "venv.sh failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        }
    };
    let bin = target_dir().join("bench-points-1m.bin");
    let mut bytes = Vec::with_capacity(pts.len() * 16);
    for &(x, y) in pts {
        bytes.extend_from_slice(&x.to_le_bytes());
        bytes.extend_from_slice(&y.to_le_bytes());
    }
    std::fs::write(&bin, bytes).map_err(|e| format!("cannot write points: {e}"))?;
    let out = Command::new(&py)
        .arg(root.join("tests/benches/baseline/shapely_locate.py"))
        .arg("lookup")
        .arg(root.join("geodata/source/counties.geojson"))
        .arg(&bin)
        .args(["--repeats", "3"])
        .output()
        .map_err(|e| format!("cannot run {py}: {e}"))?;
    let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let v: serde_json::Value = serde_json::from_str(&line).map_err(|e| {
        format!(
            "bad shapely output `{line}`: {e}; {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )
    })?;
    let pps = v["points_per_s"].as_u64().ok_or("no points_per_s")?;
    Ok((pps, line))
}

/// Median over `runs` of (wall s, on-CPU s) of `f`.
fn timed(runs: usize, mut f: impl FnMut() -> usize) -> (f64, f64) {
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    for _ in 0..runs {
        let (t, c) = (Instant::now(), thread_cpu_ns());
        black_box(f());
        wall.push(t.elapsed().as_secs_f64());
        cpu.push(match (c, thread_cpu_ns()) {
            (Some(a), Some(b)) => (b - a) as f64 * 1e-9,
            _ => f64::NAN,
        });
    }
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    (wall[runs / 2], cpu[runs / 2])
}

fn ratios(geo: &Geodata, pts: &[(f64, f64)]) {
    // Agreement first: the index and the brute force give the same unit on the brute sample.
    let agree = pts[..2_000]
        .iter()
        .filter(|&&(x, y)| geo.unit_index_at(x, y) == brute_unit(geo, x, y))
        .count();
    let per_s = |ns: Option<f64>, n: usize| ns.map(|ns| n as f64 / (ns * 1e-9));
    let c_unit = per_s(criterion_mean_ns("lookup", "unit_at_1M"), pts.len());
    let c_brute = per_s(criterion_mean_ns("lookup", "brute_force_2k"), 2_000);
    // The same again timed here with on-CPU time (robust when other processes share the
    // cores), median of 5 runs (brute force: 3 runs of 2,000 points).
    let (uw, uc) = timed(5, || {
        pts.iter()
            .filter(|&&(x, y)| geo.unit_index_at(black_box(x), black_box(y)).is_some())
            .count()
    });
    let n0 = pts.len() as f64;
    // Why random order is slower: the same points sorted by cell, and a few points cycled,
    // cost the same instructions but hit the cache.
    {
        let mut sorted = pts.to_vec();
        sorted.sort_by_key(|&(x, y)| ((y * 64.0) as i64, (x * 64.0) as i64));
        let (_, sc) = timed(5, || {
            sorted
                .iter()
                .filter(|&&(x, y)| geo.unit_index_at(black_box(x), black_box(y)).is_some())
                .count()
        });
        let small: Vec<(f64, f64)> = pts
            .iter()
            .take(4096)
            .cycle()
            .take(pts.len())
            .copied()
            .collect();
        let (_, rc) = timed(5, || {
            small
                .iter()
                .filter(|&&(x, y)| geo.unit_index_at(black_box(x), black_box(y)).is_some())
                .count()
        });
        println!(
            "  unit_at, same points in cell order (cache-friendly): {:.0} points/s on-CPU; the first 4,096 points cycled (cache-resident): {:.0} points/s on-CPU",
            n0 / sc,
            n0 / rc
        );
    }
    let (bw, bc) = timed(3, || {
        pts[..2_000]
            .iter()
            .filter(|&&(x, y)| brute_unit(geo, black_box(x), black_box(y)).is_some())
            .count()
    });
    let n = pts.len() as f64;
    let (u_wall, u_cpu, b_wall, b_cpu) = (n / uw, n / uc, 2_000.0 / bw, 2_000.0 / bc);
    println!("ratios (same run, same points, one thread):");
    println!("  agreement unit_at vs brute force on 2,000 points: {agree}/2000");
    if let (Some(u), Some(b)) = (c_unit, c_brute) {
        println!(
            "  criterion means: unit_at {u:.0} points/s, brute force {b:.0} points/s, unit_at / brute = {:.0}x",
            u / b
        );
    }
    println!(
        "  unit_at      {u_wall:>12.0} points/s wall, {u_cpu:>12.0} points/s on-CPU (1,000,000 points)"
    );
    println!(
        "  brute force  {b_wall:>12.0} points/s wall, {b_cpu:>12.0} points/s on-CPU (2,000 points)   unit_at / brute = {:.0}x (wall), {:.0}x (CPU)",
        u_wall / b_wall,
        u_cpu / b_cpu
    );
    match shapely_points_per_s(pts) {
        Ok((s, line)) => {
            let sc = serde_json::from_str::<serde_json::Value>(&line)
                .ok()
                .and_then(|v| v["points_per_cpu_s"].as_f64())
                .unwrap_or(f64::NAN);
            println!(
                "  shapely 2    {s:>12} points/s wall, {sc:>12.0} points/s on-CPU (1,000,000 points)   unit_at / shapely = {:.1}x (wall), {:.1}x (CPU)",
                u_wall / s as f64,
                u_cpu / sc
            );
            println!("  shapely: {line}");
        }
        Err(e) => println!("  shapely: {e}"),
    }
}

fn engine(points: &str) {
    let repeats: usize = std::env::var("ECOJURIS_ENGINE_REPEATS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let t = Instant::now();
    let geo = Geodata::embedded(LocateConfig::default()).unwrap();
    let load_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut rdr = csv::Reader::from_path(points).unwrap();
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (ci, cx, cy) = (col("id"), col("lon"), col("lat"));
    let mut ids = Vec::new();
    let mut xy = Vec::new();
    for r in rdr.records() {
        let r = r.unwrap();
        ids.push(r[ci].to_string());
        xy.push((r[cx].parse::<f64>().unwrap(), r[cy].parse::<f64>().unwrap()));
    }
    let points_load_s = t.elapsed().as_secs_f64();
    let mut runs = Vec::new();
    let mut cpu_runs = Vec::new();
    let mut out: Vec<Option<u32>> = vec![None; xy.len()];
    let t = Instant::now();
    let fast = geo.fast_index();
    eprintln!(
        "fast index built in {:.1} ms: (leaves, membership entries, near entries, sub-cells) = {:?}",
        t.elapsed().as_secs_f64() * 1e3,
        fast.stats()
    );
    for _ in 0..repeats {
        let (t, c) = (Instant::now(), thread_cpu_ns());
        for (o, &(x, y)) in out.iter_mut().zip(&xy) {
            *o = geo.unit_index_at(x, y);
        }
        runs.push(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c, thread_cpu_ns()) {
            cpu_runs.push((b - a) as f64 * 1e-9);
        }
        black_box(&out);
    }
    let out: Vec<Option<u32>> = out
        .iter()
        .map(|o| {
            o.and_then(|i| geo.units().get(i as usize))
                .map(|u| u.adcode.parse::<u32>().unwrap_or(0))
        })
        .collect();
    cpu_runs.sort_by(f64::total_cmp);
    let cpu_s = cpu_runs
        .get(cpu_runs.len() / 2)
        .copied()
        .unwrap_or(f64::NAN);
    let mut sorted = runs.clone();
    sorted.sort_by(f64::total_cmp);
    let lookup_s = sorted[sorted.len() / 2];
    let matched = out.iter().filter(|o| o.is_some()).count();
    if let Ok(p) = std::env::var("ECOJURIS_ENGINE_OUT") {
        let mut s = String::with_capacity(xy.len() * 16);
        s.push_str("id,adcode\n");
        for (id, o) in ids.iter().zip(&out) {
            s.push_str(id);
            s.push(',');
            if let Some(c) = o {
                s.push_str(&c.to_string());
            }
            s.push('\n');
        }
        std::fs::write(p, s).unwrap();
    }
    println!(
        "{{\"tool\": \"ecojuris-unit_at\", \"n\": {}, \"load_s\": {:.4}, \"points_load_s\": {:.4}, \"lookup_s\": {:.4}, \"lookup_cpu_s\": {:.4}, \"points_per_cpu_s\": {}, \"lookup_runs\": {:?}, \"points_per_s\": {}, \"matched\": {}}}",
        xy.len(),
        load_s,
        points_load_s,
        lookup_s,
        cpu_s,
        (xy.len() as f64 / cpu_s) as u64,
        runs.iter()
            .map(|r| (r * 1e4).round() / 1e4)
            .collect::<Vec<_>>(),
        (xy.len() as f64 / lookup_s) as u64,
        matched
    );
}

fn main() {
    if let Ok(p) = std::env::var("ECOJURIS_ENGINE_POINTS") {
        engine(&p);
        return;
    }
    let geo = Geodata::embedded(LocateConfig::default()).unwrap();
    let pts = random_points(&geo, 1_000_000);
    // `tests/benches/figures.sh`: only the timed ratios (no criterion run).
    if std::env::var_os("ECOJURIS_BENCH_RATIOS_ONLY").is_some() {
        ratios(&geo, &pts);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c, &geo, &pts);
    c.final_summary();
    ratios(&geo, &pts);
}
