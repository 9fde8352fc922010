//! Map colours: unit adjacency from the geodata polygons and a greedy graph colouring of the
//! courts drawn on a map, so that no two courts whose territories share a border share a
//! colour.
//!
//! Adjacency: two units are neighbours when their rings come within one grid cell of each
//! other, vertices snapped to a grid of [`CELL`] microdegrees (about 110 m): shared borders in
//! the embedded geodata are not always vertex-identical, and a near-touching corner counted as
//! a border only adds a constraint.

use std::collections::HashMap;

use super::super::report::NONE;
use crate::spatial::Geodata;

/// Grid cell for adjacency, in microdegrees.
pub const CELL: i32 = 1_000;

/// The palette: 12 distinct, light enough for dark labels (ColorBrewer Set3 and Pastel1).
pub const PALETTE: [&str; 12] = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#bc80bd", "#ccebc5", "#ffed6f", "#d9d9d9",
];

/// Colour of "no court".
pub const NO_COURT: &str = "#f4f4f4";

/// Unit adjacency lists (by unit index, sorted, without self).
pub fn unit_adjacency(geo: &Geodata) -> Vec<Vec<usize>> {
    let units = &geo.set().units;
    let mut cells: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
    for (i, (_, rings)) in units.iter().enumerate() {
        for v in rings.iter().flatten() {
            let key = (v[0].div_euclid(CELL), v[1].div_euclid(CELL));
            let e = cells.entry(key).or_default();
            if e.last() != Some(&i) {
                e.push(i);
            }
        }
    }
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); units.len()];
    for ((x, y), here) in &cells {
        for dx in -1..=1 {
            for dy in -1..=1 {
                let Some(there) = cells.get(&(x + dx, y + dy)) else {
                    continue;
                };
                for &a in here {
                    for &b in there {
                        if a != b
                            && let Some(l) = adj.get_mut(a)
                        {
                            l.push(b);
                        }
                    }
                }
            }
        }
    }
    for l in &mut adj {
        l.sort_unstable();
        l.dedup();
    }
    adj
}

/// Colours for the courts of one map. `panels` give the court of each unit (several panels
/// share one colouring, so a court keeps its colour beside its scenario self); two courts are
/// neighbours when a unit of one borders a unit of the other in some panel. Greedy colouring,
/// most-constrained court first (Welsh–Powell): the result uses at most (max degree + 1)
/// colours; beyond the palette, further colours are generated hues.
pub fn court_colours(adj: &[Vec<usize>], panels: &[&[u16]]) -> HashMap<u16, String> {
    let mut nbrs: HashMap<u16, Vec<u16>> = HashMap::new();
    for courts in panels {
        for (u, &c) in courts.iter().enumerate() {
            if c == NONE {
                continue;
            }
            let e = nbrs.entry(c).or_default();
            for &v in adj.get(u).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(&d) = courts.get(v)
                    && d != c
                    && d != NONE
                {
                    e.push(d);
                }
            }
        }
    }
    for l in nbrs.values_mut() {
        l.sort_unstable();
        l.dedup();
    }
    let mut order: Vec<u16> = nbrs.keys().copied().collect();
    order.sort_by(|a, b| {
        let (da, db) = (nbrs[a].len(), nbrs[b].len());
        db.cmp(&da).then(a.cmp(b))
    });
    let mut colour: HashMap<u16, usize> = HashMap::new();
    for c in order {
        let used: Vec<usize> = nbrs[&c]
            .iter()
            .filter_map(|d| colour.get(d).copied())
            .collect();
        let k = (0..).find(|k| !used.contains(k)).unwrap_or(0);
        colour.insert(c, k);
    }
    colour
        .into_iter()
        .map(|(c, k)| (c, colour_name(k)))
        .collect()
}

fn colour_name(k: usize) -> String {
    match PALETTE.get(k) {
        Some(c) => (*c).to_string(),
        None => {
            let h = (k as f64 * 137.508) % 360.0;
            format!(
                "hsl({h:.0},60%,{}%)",
                if k.is_multiple_of(2) { 70 } else { 80 }
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_never_share_a_colour() {
        // A path 0-1-2 and a triangle 3-4-5 (units), each unit its own court.
        let adj = vec![
            vec![1],
            vec![0, 2],
            vec![1],
            vec![4, 5],
            vec![3, 5],
            vec![3, 4],
        ];
        let courts: Vec<u16> = (0..6).collect();
        let c = court_colours(&adj, &[&courts]);
        for (u, l) in adj.iter().enumerate() {
            for v in l {
                assert_ne!(c[&courts[u]], c[&courts[*v]], "{u} {v}");
            }
        }
        // A court spanning units 3 and 4 borders unit 5's court only.
        let merged = [0, 1, 2, 3, 3, 5];
        let c = court_colours(&adj, &[&merged]);
        assert_ne!(c[&3], c[&5]);
    }
}
