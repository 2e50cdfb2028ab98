//! schema.org `JobPosting` microdata (`itemscope itemtype=".../JobPosting"` with `itemprop`s),
//! read where a page has no JSON-LD posting.

use super::*;

static ITEM_SCOPES: LazyLock<Selector> = LazyLock::new(|| selector("[itemscope][itemtype]"));
static ITEM_PROPS: LazyLock<Selector> = LazyLock::new(|| selector("[itemprop]"));

fn is_job_posting(element: ElementRef<'_>) -> bool {
    element.value().attr("itemtype").is_some_and(|t| {
        t.split_whitespace()
            .any(|t| t.trim_end_matches('/').ends_with("JobPosting"))
    })
}

/// The first element under `root` with `itemprop` naming `property`.
fn property<'a>(root: ElementRef<'a>, property: &str) -> Option<ElementRef<'a>> {
    root.select(&ITEM_PROPS).find(|el| {
        el.value()
            .attr("itemprop")
            .is_some_and(|p| p.split_whitespace().any(|p| p == property))
    })
}

/// A property's value: its `content` attribute, else its text.
fn value_of(element: ElementRef<'_>) -> String {
    match element.value().attr("content") {
        Some(content) => inline_text(content),
        None => inline_text_of(element),
    }
}

/// Every microdata `JobPosting` on the page.
pub(super) fn microdata_postings(doc: &Html) -> Vec<Posting> {
    doc.select(&ITEM_SCOPES)
        .filter(|el| is_job_posting(*el))
        .map(|scope| {
            let company = property(scope, "hiringOrganization")
                .map(|org| property(org, "name").map_or_else(|| value_of(org), value_of))
                .unwrap_or_default();
            let description = property(scope, "description")
                .map(|d| match d.value().attr("content") {
                    Some(content) => description_text(content),
                    None => render_text(d, |el| is_unreadable(el.value())),
                })
                .unwrap_or_default();
            Posting {
                title: property(scope, "title").map(value_of).unwrap_or_default(),
                company,
                description: description.trim().to_owned(),
                details: PostingDetails::default(),
            }
        })
        .collect()
}
