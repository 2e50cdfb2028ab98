//! Meta tags (OpenGraph, Twitter, description) and titles from tags and headings, without the site's name.

use super::*;

/// `<meta>` contents by lowercase `property` or `name`, in document order.
pub(super) struct MetaTags<'a>(Vec<(String, &'a str)>);

impl<'a> MetaTags<'a> {
    pub(super) fn read(doc: &'a Html) -> MetaTags<'a> {
        let tags = doc
            .select(&META)
            .filter_map(|tag| {
                let key = tag.attr("property").or_else(|| tag.attr("name"))?;
                let content = tag.attr("content")?.trim();
                (!content.is_empty()).then(|| (key.trim().to_ascii_lowercase(), content))
            })
            .collect();
        MetaTags(tags)
    }

    /// The first non-empty content for `key` (lowercase).
    pub(super) fn get(&self, key: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, content)| *content)
    }
}

/// The first meta description long enough to count.
pub(super) fn meta_description(meta: &MetaTags<'_>) -> Option<String> {
    ["og:description", "twitter:description", "description"]
        .into_iter()
        .filter_map(|key| meta.get(key))
        .map(description_text)
        .find(|text| is_long_enough(text))
}

/// A title from tags or headings. Main content prefers its own `<h1>` (the posting's heading);
/// otherwise tags come first, since a page's first `<h1>` may be a logo.
pub(super) fn tag_or_heading_title(
    doc: &Html,
    meta: &MetaTags<'_>,
    content_root: Option<ElementRef<'_>>,
    site_names: &[&str],
) -> Option<String> {
    let tagged = || {
        let title_element = doc
            .select(&TITLE)
            .next()
            .map(|t| t.text().collect::<String>());
        meta.get("og:title")
            .or_else(|| meta.get("twitter:title"))
            .map(str::to_owned)
            .or(title_element)
            .map(|title| strip_site_suffix(&inline_text(&title), site_names))
            .filter(|title| !title.is_empty())
    };
    match content_root {
        Some(root) => first_heading(root)
            .or_else(|| first_heading(body(doc)))
            .or_else(tagged),
        None => tagged().or_else(|| first_heading(body(doc))),
    }
}

/// The first non-empty `<h1>` under `root` outside navigation and other chrome.
pub(super) fn first_heading(root: ElementRef<'_>) -> Option<String> {
    root.select(&H1)
        .filter(|h1| !is_heading_in_chrome(*h1))
        .map(inline_text_of)
        .find(|text| !text.is_empty())
}

/// Whether a heading sits in navigation, a sidebar, a footer, a hidden subtree or the page's
/// banner. Unlike content, a `<header>` inside an article, main region or section heads the
/// posting itself, so its `<h1>` is the job title rather than a logo.
pub(super) fn is_heading_in_chrome(heading: ElementRef<'_>) -> bool {
    let mut in_header = false;
    for ancestor in heading.ancestors().filter_map(ElementRef::wrap) {
        let element = ancestor.value();
        if is_unreadable(element) || matches!(element.name(), "nav" | "aside" | "footer") {
            return true;
        }
        match element.name() {
            "header" => in_header = true,
            "article" | "main" | "section" => in_header = false,
            _ => {}
        }
    }
    in_header
}

pub(super) fn inline_text_of(element: ElementRef<'_>) -> String {
    one_line(&render_text(element, |el| is_unreadable(el.value())))
}

/// Drops a " | Site" suffix, and a " - Site" (or en/em dash) suffix that names the site.
pub(super) fn strip_site_suffix(title: &str, site_names: &[&str]) -> String {
    if let Some((head, _)) = title.rsplit_once(" | ")
        && !head.trim().is_empty()
    {
        return head.trim().to_owned();
    }
    let names_site = |suffix: &str| {
        let suffix = suffix.to_lowercase();
        suffix.contains("careers")
            || suffix.contains("jobs")
            || site_names
                .iter()
                .filter(|name| !name.is_empty())
                .any(|name| suffix.contains(&name.to_lowercase()))
    };
    for separator in [" - ", " – ", " — "] {
        if let Some((head, suffix)) = title.rsplit_once(separator)
            && !head.trim().is_empty()
            && names_site(suffix)
        {
            return head.trim().to_owned();
        }
    }
    title.to_owned()
}

/// The registrable-looking label of the page's host: `jobs.acme.com` → `acme`,
/// `careers.acme.co.uk` → `acme`; an IP address stays as it is.
pub(super) fn host_label(page_url: &Url) -> String {
    let Some(url::Host::Domain(domain)) = page_url.host() else {
        return page_url.host_str().unwrap_or_default().to_owned();
    };
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    let label = match labels.as_slice() {
        [.., name, second, country] if country.len() == 2 && is_generic_second_level(second) => {
            name
        }
        [.., name, _] | [name] => name,
        [] => return domain.to_owned(),
    };
    (*label).to_owned()
}

/// Second-level labels under country codes that are not the company (`co.uk`, `com.au`).
pub(super) fn is_generic_second_level(label: &str) -> bool {
    matches!(
        label,
        "co" | "com" | "org" | "net" | "ac" | "gov" | "edu" | "or" | "ne" | "go"
    )
}

pub(super) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
