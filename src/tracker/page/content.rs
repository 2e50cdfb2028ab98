//! The page's main content: the readable part of `<main>`, an article or the body, without navigation, forms and other chrome.

use super::*;

/// The first long-enough content and its element, from the most to the least specific
/// container: a job-description block, the page's main region or article, a block named like a
/// description or posting, the whole body.
pub(super) fn main_content(doc: &Html) -> Option<(ElementRef<'_>, String)> {
    let body = body(doc);
    let named = |words: &'static [&'static str]| {
        body.descendent_elements()
            .filter(move |el| has_name_containing(el.value(), words))
    };
    first_readable(named(&["jobdescription"]))
        .or_else(|| {
            let semantic = doc
                .select(&MAIN)
                .chain(doc.select(&ROLE_MAIN))
                .chain(doc.select(&ARTICLE));
            first_readable(semantic)
        })
        .or_else(|| first_readable(named(&["description", "posting"])))
        .or_else(|| first_readable(std::iter::once(body)))
}

pub(super) fn body(doc: &Html) -> ElementRef<'_> {
    doc.select(&BODY)
        .next()
        .unwrap_or_else(|| doc.root_element())
}

/// The first candidate outside chrome whose text passes the 180-character rule.
pub(super) fn first_readable<'a>(
    candidates: impl Iterator<Item = ElementRef<'a>>,
) -> Option<(ElementRef<'a>, String)> {
    candidates
        .filter(|el| !is_in_chrome(*el))
        .map(|el| (el, render_text(el, is_skipped_in_content)))
        .find(|(_, text)| is_long_enough(text))
}

/// Whether the element's id or one of its classes contains one of `words`, ignoring case, `-`
/// and `_` (`job-description`, `jobDescription` and `job_description` all contain
/// `jobdescription`).
pub(super) fn has_name_containing(element: &Element, words: &[&str]) -> bool {
    element
        .id()
        .into_iter()
        .chain(element.classes())
        .any(|name| words.iter().any(|word| folded_contains(name, word)))
}

/// `haystack` lowercased without `-` and `_` contains `word`; only the first 64 such bytes are
/// looked at, which no meaningful class name exceeds.
pub(super) fn folded_contains(haystack: &str, word: &str) -> bool {
    let mut folded = [0u8; 64];
    let mut len = 0;
    for byte in haystack.bytes().filter(|b| !matches!(b, b'-' | b'_')) {
        if len == folded.len() {
            break;
        }
        folded[len] = byte.to_ascii_lowercase();
        len += 1;
    }
    folded[..len]
        .windows(word.len())
        .any(|w| w == word.as_bytes())
}

/// Whether the element or an ancestor is skipped in content, so a "description" block in a
/// footer or a hidden modal is no candidate. A wrapping `<form>` is no reason: content inside
/// it is read when it is the root.
pub(super) fn is_in_chrome(element: ElementRef<'_>) -> bool {
    std::iter::once(element)
        .chain(element.ancestors().filter_map(ElementRef::wrap))
        .any(|el| el.value().name() != "form" && is_skipped_in_content(el))
}

/// Names (ids, classes) of page furniture that is no part of a posting: consent banners,
/// dialogs, other jobs, sharing and newsletter boxes. Folded as `has_name_containing` folds.
const CHROME_NAMES: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "modal",
    "dialog",
    "popup",
    "relatedjobs",
    "similarjobs",
    "recommendedjobs",
    "morejobs",
    "otherjobs",
    "jobrecommend",
    "newsletter",
    "sharebuttons",
    "socialshare",
];

/// Subtrees left out of main content: unreadable ones and page chrome.
pub(super) fn is_skipped_in_content(element: ElementRef<'_>) -> bool {
    let el = element.value();
    is_unreadable(el)
        || matches!(el.name(), "nav" | "header" | "footer" | "aside" | "dialog")
        || matches!(
            el.attr("role"),
            Some("navigation" | "banner" | "contentinfo" | "dialog" | "alertdialog")
        )
        || el.attr("aria-modal").is_some_and(|v| v == "true")
        || (el.name() != "body" && el.name() != "main" && has_name_containing(el, CHROME_NAMES))
        || (el.name() == "form" && !is_page_wrapper(element))
}

/// A `<form>` right under `<body>` wraps the whole page (ASP.NET does this), so it is content,
/// not a login or search form.
pub(super) fn is_page_wrapper(form: ElementRef<'_>) -> bool {
    form.parent()
        .and_then(ElementRef::wrap)
        .is_some_and(|parent| parent.value().name() == "body")
}

/// Whether the element or an ancestor has no readable text (a login form in a `<template>`).
pub(super) fn is_in_unreadable(element: ElementRef<'_>) -> bool {
    std::iter::once(element)
        .chain(element.ancestors().filter_map(ElementRef::wrap))
        .any(|el| is_unreadable(el.value()))
}

/// Subtrees with no readable text: code, styles, the document head, embedded objects, hidden
/// elements.
pub(super) fn is_unreadable(element: &Element) -> bool {
    matches!(
        element.name(),
        "head"
            | "title"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "iframe"
            | "object"
            | "select"
            | "canvas"
    ) || element.attr("hidden").is_some()
        || element.attr("style").is_some_and(|style| {
            style.contains("display") && style.replace(' ', "").contains("display:none")
        })
}

// ---------------------------------------------------------------------------------------------
