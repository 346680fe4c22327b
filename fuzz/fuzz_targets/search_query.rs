//! An arbitrary query ranked over the built-in catalog, as `errex search` ranks it
//! (`search::rank` is `Index::new` and then `Index::top`; the index is built once here, since
//! building it costs a hundred queries), and the results written in every format.
//!
//! Nothing may panic; at most `limit` results come back, best first (by tier, then score);
//! every highlighted position is a character index inside the code, in increasing order; each
//! item is the index's item at the hit's position.
//!
//! Input: `[limit, flags, query...]`: the limit (0 to 255); flags bits 0-1 the output style,
//! bits 2-3 the `--service` filter `errex search` applies to the items (none, s3, ec2,
//! dynamodb). The query is the rest, as UTF-8 (invalid bytes replaced, as the command line
//! and the terminal UI hand over text).

#![no_main]

use std::sync::OnceLock;

use errex::catalog::Item;
use errex::commands::search::in_service;
use errex::render::{self, Format};
use errex::search::Index;
use errex_fuzz::{assert_json, assert_printable, catalog, style};
use libfuzzer_sys::fuzz_target;

fn index() -> &'static Index<'static> {
    static INDEX: OnceLock<Index<'static>> = OnceLock::new();
    INDEX.get_or_init(|| Index::new(catalog()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&[limit, flags], query)) = data.split_first_chunk::<2>() else {
        return;
    };
    let limit = usize::from(limit);
    let query = String::from_utf8_lossy(query);
    let index = index();

    let top = index.top(&query, limit);
    assert!(
        top.len() <= limit,
        "{} results for limit {limit}",
        top.len()
    );
    for pair in top.windows(2) {
        let (a, b) = (&pair[0].0, &pair[1].0);
        assert!(
            (a.tier, -a.score) <= (b.tier, -b.score),
            "out of order: {a:?} before {b:?}"
        );
    }
    for (hit, item) in &top {
        let own = &index.items()[hit.index];
        assert!(
            own.code == item.code && own.service == item.service,
            "hit {} is {:?}, the index has {:?} there",
            hit.index,
            item.code,
            own.code
        );
        let chars = item.code.chars().count();
        assert!(
            hit.code_matches.windows(2).all(|w| w[0] < w[1])
                && hit.code_matches.iter().all(|&c| c < chars),
            "highlight {:?} in {:?} ({chars} characters)",
            hit.code_matches,
            item.code
        );
    }

    let service = [None, Some("s3"), Some("ec2"), Some("dynamodb")][usize::from((flags >> 2) & 3)];
    let items: Vec<Item<'_>> = top
        .into_iter()
        .map(|(_, item)| item)
        .filter(|i| in_service(i, service))
        .collect();
    let style = style(60, flags);
    for format in [Format::Text, Format::Markdown, Format::Json, Format::Github] {
        let mut out = Vec::new();
        render::write_items(&mut out, &items, format, style)
            .expect("writing to memory cannot fail");
        let what = format!("search results as {format:?}");
        if format == Format::Json {
            assert_json(&what, &out);
        } else {
            assert_printable(&what, &out);
        }
    }
});
