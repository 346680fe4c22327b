//! `errex search QUERY`: the ranked list, non-interactive.

use std::io::{self, Write};

use super::{Context, Outcome};
use crate::catalog::Item;
use crate::render;
use crate::search;

/// Ranks the catalog against the query and writes at most `limit` items.
pub fn run(
    ctx: &Context<'_>,
    query: &[String],
    limit: usize,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    let query = query.join(" ");
    let hits = search::rank(ctx.catalog, &query, limit.saturating_mul(4).max(limit));
    let items: Vec<Item<'_>> = hits
        .into_iter()
        .map(|(_, item)| item)
        .filter(|i| in_service(i, ctx.service.as_deref()))
        .take(limit)
        .collect();
    render::write_items(out, &items, ctx.format, ctx.style)?;
    Ok(Outcome::found_if(!items.is_empty()))
}

/// Whether an item speaks for `service` (every item when none is given).
pub fn in_service(item: &Item<'_>, service: Option<&str>) -> bool {
    let Some(s) = service else { return true };
    item.service == Some(s) || item.rows.iter().any(|r| r.service().id == s)
}
