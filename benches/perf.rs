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
    let index = Index::new(&builtin);
    let mut g = c.benchmark_group("search");
    for q in [
        "i",
        "insufcap",
        "InvalidAMIID.NotFound",
        "vpc quota",
        "access denied",
        "UnauthorisedOperation",
        "The instance ID 'i-0abc' does not exist",
        "An error occurred (VcpuLimitExceeded) when calling the RunInstances operation: x",
    ] {
        g.bench_function(format!("builtin/{q}"), |b| {
            b.iter(|| index.rank(black_box(q), |_| true))
        });
    }
    for n in [10_000, 20_000] {
        let big = common::synthetic(n);
        let big_index = Index::new(&big);
        // A letter, an abbreviation, two words, a synonym group, a typo (read against every
        // code).
        for q in [
            "i",
            "insufcap",
            "subnet notfound",
            "access denied",
            "UnauthorisedOperation",
        ] {
            g.bench_function(format!("{}k/{q}", n / 1000), |b| {
                b.iter(|| big_index.rank(black_box(q), |_| true))
            });
        }
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

/// Times one keystroke to a finished frame: alternately typing `letter` and deleting it, so
/// every iteration re-ranks all entries and redraws the whole screen.
fn keystroke(c: &mut Criterion, name: &str, catalog: &Catalog, (w, h): (u16, u16), letter: char) {
    c.bench_function(name, |b| {
        let mut app = App::new(catalog, &[]);
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
        let palette = errex::tui::view::Palette::new(true);
        let mut typed = false;
        b.iter(|| {
            typed = !typed;
            app.update(if typed {
                Action::Insert(letter)
            } else {
                Action::Backspace
            });
            term.draw(|f| errex::tui::view::draw(f, &mut app, palette))
                .expect("draws");
        })
    });
}

fn tui(c: &mut Criterion) {
    keystroke(
        c,
        "tui/keystroke-to-frame/10k/80x24",
        &common::synthetic(10_000),
        (80, 24),
        's',
    );
    keystroke(
        c,
        "tui/keystroke-to-frame/builtin/120x40",
        &Catalog::builtin(),
        (120, 40),
        'v',
    );
}

criterion_group!(benches, search, extract, tui);
criterion_main!(benches);
