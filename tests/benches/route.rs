//! Routing throughput: single-place cases (by county code and by point) and engine load.
//! Run: `cargo bench --bench route`.

#![allow(
    clippy::expect_used,
    reason = "a benchmark without its fixture cannot run"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ecojuris::eval::Engine;
use ecojuris::model::{Case, CaseKind, Date, PlaceSpec, Role};
use ecojuris::spatial::Crs;

fn cases(engine: &Engine, n: usize, by_point: bool) -> Vec<Case> {
    let units = engine.geo().units();
    let bbox = engine.geo().index().bbox();
    let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let kinds = [
        CaseKind::Criminal,
        CaseKind::Civil,
        CaseKind::Administrative,
        CaseKind::CivilPublicInterest,
    ];
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let kind = kinds[(next() % kinds.len() as u64) as usize];
        let role = if kind == CaseKind::Administrative {
            Role::Agency
        } else {
            Role::Conduct
        };
        let spec = if by_point {
            let lon = bbox[0] + (next() % 1_000_000) as f64 / 1e6 * (bbox[2] - bbox[0]);
            let lat = bbox[1] + (next() % 1_000_000) as f64 / 1e6 * (bbox[3] - bbox[1]);
            if engine.geo().unit_at(lon, lat).is_none() {
                continue;
            }
            PlaceSpec::At {
                lon,
                lat,
                crs: Crs::Wgs84,
            }
        } else {
            PlaceSpec::Code(units[(next() % units.len() as u64) as usize].adcode.clone())
        };
        let year = 2015 + (next() % 11) as i32;
        out.push(Case::simple(kind, role, spec, Date::from_ymd(year, 6, 1)));
    }
    out
}

fn bench(c: &mut Criterion) {
    let engine = Engine::embedded().expect("embedded engine");
    let today = Date::parse("2026-11-27").expect("date");
    let mut g = c.benchmark_group("route");
    for (name, by_point) in [
        ("single_place_by_code", false),
        ("single_place_by_point", true),
    ] {
        let cs = cases(&engine, 10_000, by_point);
        g.throughput(Throughput::Elements(cs.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                for case in &cs {
                    let _ = black_box(engine.route(black_box(case), today, "bench"));
                }
            })
        });
    }
    g.finish();
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("engine_embedded", |b| {
        b.iter(|| black_box(Engine::embedded().expect("engine")))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
