//! HTML to clean text: blocks end lines, lists keep their bullets, scripts and styles are dropped.

use super::*;

/// Whether `text` has at least one tag of a known HTML element, a comment or a doctype, so that
/// "salary < 50k" or "a<b" stay plain text.
pub(super) fn contains_markup(text: &str) -> bool {
    text.match_indices('<')
        .any(|(at, _)| starts_tag(&text[at + 1..]))
}

/// Whether what follows a `<` is an HTML tag, comment or doctype.
pub(super) fn starts_tag(rest: &str) -> bool {
    if rest.starts_with("!--")
        || rest
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("!doctype"))
    {
        return true;
    }
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let (name, after) = rest.split_at(name_len);
    let ends_name = after
        .chars()
        .next()
        .is_none_or(|c| c == '>' || c == '/' || c.is_ascii_whitespace());
    ends_name && is_known_tag(&name.to_ascii_lowercase())
}

pub(super) fn is_known_tag(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "article"
            | "b"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "font"
            | "footer"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hr"
            | "html"
            | "i"
            | "img"
            | "li"
            | "main"
            | "meta"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "s"
            | "script"
            | "section"
            | "small"
            | "span"
            | "strong"
            | "style"
            | "sub"
            | "sup"
            | "table"
            | "tbody"
            | "td"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "u"
            | "ul"
    )
}

pub(super) fn looks_like_document(html: &str) -> bool {
    let start = html.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let prefix = start.get(..9).unwrap_or(start).to_ascii_lowercase();
    prefix.starts_with("<!doctype") || prefix.starts_with("<html")
}

/// Text without tags: entities decoded, spaces collapsed within lines, at most one blank line.
pub(super) fn plain_text(text: &str) -> String {
    let decoded = if text.contains('&') {
        // The parser decodes entities; `<` is escaped first so nothing becomes a tag.
        let fragment = Html::parse_fragment(&text.replace('<', "&lt;"));
        fragment.root_element().text().collect()
    } else {
        text.to_owned()
    };
    let mut out = String::with_capacity(decoded.len());
    let mut blank_lines = 0;
    for line in decoded.lines() {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || is_invisible(c))
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        out.push_str(&words.join(" "));
    }
    out
}

/// Zero-width and soft-hyphen characters that only break copy-pasted words apart.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
    )
}

/// The text under `root`, leaving out the subtrees `skip` names.
///
/// Walks with an explicit stack rather than recursion: a hostile page can nest elements deeper
/// than the thread's stack.
pub(super) fn render_text(root: ElementRef<'_>, skip: impl Fn(ElementRef<'_>) -> bool) -> String {
    let mut writer = TextWriter::default();
    writer.open(root.value().name());
    let mut stack = vec![(root, root.children())];
    while let Some((element, children)) = stack.last_mut() {
        let Some(child) = children.next() else {
            writer.close(element.value().name());
            stack.pop();
            continue;
        };
        match child.value() {
            Node::Text(text) => writer.text(text),
            Node::Element(_) => {
                let child_element = ElementRef::wrap(child).expect("an element node");
                if !skip(child_element) {
                    writer.open(child_element.value().name());
                    stack.push((child_element, child.children()));
                }
            }
            _ => {}
        }
    }
    writer.out
}

/// Builds text from a walk over elements. Breaks and spaces are owed and only written before
/// the next visible character, so the text never starts or ends with whitespace and never has
/// more than one blank line in a row.
#[derive(Default)]
pub(super) struct TextWriter {
    pub(super) out: String,
    /// Newlines owed: 1 ends the line, 2 leaves a blank line.
    pub(super) owed_newlines: u8,
    pub(super) owed_space: bool,
    /// A list item started and its "- " marker, at this nesting depth, is owed.
    pub(super) owed_marker: Option<usize>,
    pub(super) list_depth: usize,
    pub(super) item_depth: usize,
}

impl TextWriter {
    pub(super) fn text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.owed_space = true;
            } else if !is_invisible(c) {
                self.pay_debts();
                self.out.push(c);
            }
        }
    }

    pub(super) fn pay_debts(&mut self) {
        if !self.out.is_empty() {
            if self.owed_newlines > 0 {
                (0..self.owed_newlines).for_each(|_| self.out.push('\n'));
            } else if self.owed_space {
                self.out.push(' ');
            }
        }
        self.owed_newlines = 0;
        self.owed_space = false;
        if let Some(depth) = self.owed_marker.take() {
            (1..depth).for_each(|_| self.out.push_str("  "));
            self.out.push_str("- ");
        }
    }

    /// Each `<br>` owes one more newline, so two in a row make a paragraph break.
    pub(super) fn line_break(&mut self) {
        let most = if self.item_depth > 0 { 1 } else { 2 };
        self.owed_newlines = (self.owed_newlines + 1).min(most);
    }

    /// Inside a list item a paragraph only ends the line, so items stay together.
    pub(super) fn block(&mut self, newlines: u8) {
        let newlines = if self.item_depth > 0 {
            newlines.min(1)
        } else {
            newlines
        };
        self.owed_newlines = self.owed_newlines.max(newlines);
    }

    pub(super) fn open(&mut self, name: &str) {
        match name {
            "br" => self.line_break(),
            "li" => {
                self.block(1);
                self.item_depth += 1;
                self.owed_marker = Some(self.list_depth.max(1));
            }
            "ul" | "ol" => {
                self.block(2);
                self.list_depth += 1;
            }
            "td" | "th" => self.owed_space = true,
            _ => self.block(block_newlines(name)),
        }
    }

    pub(super) fn close(&mut self, name: &str) {
        match name {
            "li" => {
                self.item_depth = self.item_depth.saturating_sub(1);
                self.block(1);
            }
            "ul" | "ol" => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.block(2);
            }
            _ => self.block(block_newlines(name)),
        }
    }
}

/// Newlines around a block element: 2 for paragraph-like ones, 1 for other blocks, 0 inline.
pub(super) fn block_newlines(name: &str) -> u8 {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "blockquote" | "pre" | "hr"
        | "dl" => 2,
        "div" | "section" | "article" | "main" | "header" | "footer" | "nav" | "aside" | "form"
        | "tr" | "dt" | "dd" | "address" | "figure" | "figcaption" | "fieldset" | "details"
        | "summary" | "center" | "caption" | "body" | "html" => 1,
        _ => 0,
    }
}
