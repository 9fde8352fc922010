//! Point-location benchmarks over the embedded geodata.
//!
//! `cargo bench --bench locate` runs the criterion benches:
//! - `lookup/unit_at`: the exact grid lookup (no distances), 100,000 uniformly random points
//!   in the region's bounding box per iteration (throughput is reported in points/s);
//! - `lookup/locate_tol100m`: the full `Geodata::locate` (border candidates within 100 m,
//!   features, nearest unit at sea / outside) on the same points;
//! - `load/embedded` and `load/from_bytes`: loading the embedded set (parse + index build).
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
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use ecojuris::spatial::{Crs, EMBEDDED, GeoSet, Geodata, LocateConfig};

/// 100,000 uniformly random points in the bounding box of all unit vertices (fixed seed).
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

fn benches(c: &mut Criterion) {
    let geo = Geodata::embedded(LocateConfig::default()).unwrap();
    let pts = random_points(&geo, 100_000);
    // Warm the lazily built nearest-edge tree so `locate` measures steady state.
    let _ = geo.locate(116.4, 39.9, Crs::Wgs84);

    let mut g = c.benchmark_group("lookup");
    g.throughput(Throughput::Elements(pts.len() as u64));
    g.sample_size(30);
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("unit_at", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for &(x, y) in &pts {
                hits += usize::from(geo.unit_at(black_box(x), black_box(y)).is_some());
            }
            hits
        });
    });
    g.bench_function("locate_tol100m", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for &(x, y) in &pts {
                let l = geo.locate(black_box(x), black_box(y), Crs::Wgs84).unwrap();
                hits += usize::from(l.unit.is_some()) + l.candidates.len();
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
    g.finish();
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
    let mut out: Vec<Option<u32>> = vec![None; xy.len()];
    for _ in 0..repeats {
        let t = Instant::now();
        for (o, &(x, y)) in out.iter_mut().zip(&xy) {
            *o = geo
                .unit_at(x, y)
                .map(|u| u.adcode.parse::<u32>().unwrap_or(0));
        }
        runs.push(t.elapsed().as_secs_f64());
        black_box(&out);
    }
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
        "{{\"tool\": \"ecojuris-unit_at\", \"n\": {}, \"load_s\": {:.4}, \"points_load_s\": {:.4}, \"lookup_s\": {:.4}, \"lookup_runs\": {:?}, \"points_per_s\": {}, \"matched\": {}}}",
        xy.len(),
        load_s,
        points_load_s,
        lookup_s,
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
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
}
