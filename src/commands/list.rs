//! `errex list`: every code, one line each, filtered by category, retry class, service and
//! kind.

use std::io::{self, Write};

use super::{Context, Outcome};
use crate::catalog::{Category, Item, Kind, Retry, registry};
use crate::render;

/// Filters for `list`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// Only this category.
    pub category: Option<Category>,
    /// Only this retry class.
    pub retry: Option<Retry>,
    /// Only written entries, only services the cross-service entry explains, or only registry
    /// codes.
    pub kind: Option<Kind>,
}

/// The items `list` shows: every written entry and, for each service, every code only the
/// registry knows (one line per service and code, so `--service` and scripts see each).
pub fn items<'a>(ctx: &Context<'a>, filter: Filter) -> Vec<Item<'a>> {
    let catalog = ctx.catalog;
    let mut items: Vec<Item<'a>> = Vec::new();
    for item in catalog.items() {
        if item.entry.is_some() {
            let mut one = item.clone();
            // A cross-service entry stands for the services without an entry of their own:
            // each of them is listed too, explained by it (`cross-service`, as a lookup of
            // `service:Code` and piped text call it).
            if one.service == Some(crate::catalog::CROSS_SERVICE) {
                for r in std::mem::take(&mut one.rows) {
                    items.push(Item {
                        code: r.code,
                        service: Some(r.service().id),
                        kind: Kind::CrossService,
                        entry: None,
                        cross: item.entry,
                        rows: vec![r],
                    });
                }
            }
            items.push(one);
        } else {
            for r in &item.rows {
                items.push(Item {
                    code: r.code,
                    service: Some(r.service().id),
                    kind: Kind::Registry,
                    entry: None,
                    cross: None,
                    rows: vec![*r],
                });
            }
        }
    }
    items.sort_by(|a, b| {
        (a.code.to_ascii_lowercase(), a.service).cmp(&(b.code.to_ascii_lowercase(), b.service))
    });
    items.retain(|i| {
        filter.category.is_none_or(|c| i.category() == c)
            && filter.retry.is_none_or(|r| i.retry() == Some(r))
            && filter.kind.is_none_or(|k| i.kind == k)
            && ctx.service.as_deref().is_none_or(|s| i.service == Some(s))
    });
    items
}

/// Writes the list.
pub fn run(ctx: &Context<'_>, filter: Filter, out: &mut dyn Write) -> io::Result<Outcome> {
    let items = items(ctx, filter);
    render::write_items(out, &items, ctx.format, ctx.style)?;
    Ok(Outcome::found_if(!items.is_empty()))
}

/// Every service errex knows, for `--service` errors.
pub fn known_services() -> Vec<&'static str> {
    registry::services().iter().map(|s| s.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::render::{Format, Style};

    /// Every line's kind is what a lookup of its `service:Code` calls it, so `list`, lookups
    /// and piped text name a code the same way; `--kind` picks exactly that kind.
    #[test]
    fn each_line_has_the_kind_a_lookup_gives_it() {
        let cat = Catalog::builtin();
        let ctx = Context {
            catalog: &cat,
            format: Format::Json,
            style: Style::default(),
            service: None,
        };
        let all = items(&ctx, Filter::default());
        let mut cross = 0;
        for i in &all {
            let service = i.service.expect("one service per line");
            let known = cat.known(service, i.code).expect("a lookup knows the line");
            assert_eq!(known.kind(), i.kind, "{service}:{}", i.code);
            assert_eq!(i.cross.is_some(), i.kind == Kind::CrossService);
            if i.kind == Kind::CrossService {
                assert!(i.summary().contains("(cross-service: "), "{}", i.summary());
                assert_eq!(i.retry(), known.retry(), "{service}:{}", i.code);
                cross += 1;
            }
        }
        assert!(cross > 1000, "{cross}");
        let mut by_kind = 0;
        for kind in [Kind::Written, Kind::CrossService, Kind::Registry] {
            let only = items(
                &ctx,
                Filter {
                    kind: Some(kind),
                    ..Filter::default()
                },
            );
            assert!(only.iter().all(|i| i.kind == kind));
            by_kind += only.len();
        }
        assert_eq!(by_kind, all.len(), "the kinds split the list");
    }
}
