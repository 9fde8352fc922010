//! Address parsing throughput: the labelled set of `tests/address/labelled.tsv`, parsed in a
//! loop on one core. Criterion reports elements (addresses) per second.
//!
//! Run with `cargo bench --bench address` (needs a `[[bench]] name = "address"`,
//! `path = "tests/benches/address.rs"`, `harness = false` entry in Cargo.toml).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ecojuris::address::AddressIndex;
use ecojuris::spatial::CodeTable;

const ADCODES: &str = include_str!("../../geodata/source/adcodes.csv");
const LABELLED: &str = include_str!("../address/labelled.tsv");

fn addresses() -> Vec<&'static str> {
    LABELLED
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(1))
        .collect()
}

fn bench(c: &mut Criterion) {
    let Ok(codes) = CodeTable::from_csv(ADCODES) else {
        return;
    };
    let index = AddressIndex::new(&codes);
    let addrs = addresses();
    let mut group = c.benchmark_group("address");
    group.throughput(Throughput::Elements(addrs.len() as u64));
    group.bench_function("parse_labelled_set", |b| {
        b.iter(|| {
            let mut resolved = 0usize;
            for a in &addrs {
                if index.parse(black_box(a)).unit.is_some() {
                    resolved += 1;
                }
            }
            black_box(resolved)
        })
    });
    group.finish();
    // `AddressIndex::new` is lazy: the first parse builds the index.
    c.bench_function("address/build_index", |b| {
        b.iter(|| AddressIndex::new(black_box(&codes)).parse(black_box("上海")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
