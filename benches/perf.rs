//! In-process benchmarks for the budgets in design.md: fuzzy ranking per keystroke, the
//! extractor's throughput, and a UI keystroke to a finished frame.

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use errex::catalog::Catalog;
use errex::extract::Extractor;
use errex::search::Index;
use errex::tui::app::{Action, App};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn search(c: &mut Criterion) {
    let builtin = Catalog::builtin();
    let index = Index::new(builtin.entries());
    let mut g = c.benchmark_group("search");
    for q in ["i", "insufcap", "InvalidAMIID.NotFound", "vpc quota"] {
        g.bench_function(format!("builtin/{q}"), |b| {
            b.iter(|| index.rank(black_box(q), |_| true))
        });
    }
    let big = common::synthetic(10_000);
    let big_index = Index::new(big.entries());
    for q in ["i", "insufcap", "subnet notfound"] {
        g.bench_function(format!("10k/{q}"), |b| {
            b.iter(|| big_index.rank(black_box(q), |_| true))
        });
    }
    g.finish();
}

fn extract(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let ex = Extractor::new(&catalog);
    let quiet = common::log(8 << 20, 0);
    let mixed = common::log(8 << 20, 2000);
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(quiet.len() as u64));
    g.sample_size(20);
    g.bench_function("8MiB-no-errors", |b| {
        b.iter(|| {
            let mut s = errex::extract::Scanner::new(&ex);
            s.feed(black_box(&quiet));
            s.finish()
        })
    });
    g.bench_function("8MiB-error-every-2000-lines", |b| {
        b.iter(|| {
            let mut s = errex::extract::Scanner::new(&ex);
            s.feed(black_box(&mixed));
            s.finish()
        })
    });
    g.finish();
    c.bench_function("extract/build-automaton", |b| {
        b.iter(|| Extractor::new(black_box(&catalog)))
    });
}

fn tui(c: &mut Criterion) {
    let big = common::synthetic(10_000);
    let mut g = c.benchmark_group("tui");
    g.bench_function("keystroke-to-frame/10k/80x24", |b| {
        let mut app = App::new(big.entries(), &[]);
        let mut term = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
        let palette = errex::tui::view::Palette::new(true);
        let mut flip = false;
        b.iter(|| {
            // Alternate typing and deleting so every iteration re-ranks all entries.
            flip = !flip;
            app.update(if flip {
                Action::Insert('s')
            } else {
                Action::Backspace
            });
            term.draw(|f| errex::tui::view::draw(f, &mut app, palette))
                .expect("draws");
        })
    });
    g.bench_function("keystroke-to-frame/builtin/120x40", |b| {
        let cat = Catalog::builtin();
        let mut app = App::new(cat.entries(), &[]);
        let mut term = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
        let palette = errex::tui::view::Palette::new(true);
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            app.update(if flip {
                Action::Insert('v')
            } else {
                Action::Backspace
            });
            term.draw(|f| errex::tui::view::draw(f, &mut app, palette))
                .expect("draws");
        })
    });
    g.finish();
}

criterion_group!(benches, search, extract, tui);
criterion_main!(benches);
