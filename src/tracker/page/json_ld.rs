//! schema.org `JobPosting` JSON-LD: every posting on the page, its title, employer and description.

use super::*;

/// The fields of one schema.org `JobPosting`, cleaned (empty when absent).
pub(super) struct Posting {
    pub(super) title: String,
    pub(super) company: String,
    pub(super) description: String,
    pub(super) details: PostingDetails,
}

/// Every `JobPosting` in the page's JSON-LD scripts, in document order.
pub(super) fn json_ld_postings(doc: &Html) -> Vec<Posting> {
    let mut postings = Vec::new();
    for script in doc.select(&SCRIPT).filter(|s| is_json_ld(s.value())) {
        let source: String = script.text().collect();
        for value in parse_json_ld(&source) {
            let mut found = Vec::new();
            collect_job_postings(&value, &mut found);
            postings.extend(found.into_iter().map(posting_fields));
        }
    }
    postings
}

/// `type="application/ld+json"`, in any case, with stray whitespace or parameters.
pub(super) fn is_json_ld(script: &Element) -> bool {
    script.attr("type").is_some_and(|kind| {
        let media_type = kind.split(';').next().unwrap_or_default().trim();
        media_type.eq_ignore_ascii_case("application/ld+json")
    })
}

/// The JSON values in a script; invalid JSON gives none.
pub(super) fn parse_json_ld(source: &str) -> Vec<Value> {
    let json = strip_script_wrappers(source);
    let values = parse_json_values(json);
    if values.is_empty() {
        // CMSs paste descriptions with raw line breaks inside strings, which JSON forbids.
        parse_json_values(&escape_raw_controls(json))
    } else {
        values
    }
}

/// Values up to the first syntax error, so trailing junk after a valid object is harmless.
pub(super) fn parse_json_values(json: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(json)
        .into_iter::<Value>()
        .map_while(Result::ok)
        .collect()
}

/// Removes HTML comment and CDATA wrappers and trailing semicolons around a script's JSON.
pub(super) fn strip_script_wrappers(source: &str) -> &str {
    const PREFIXES: [&str; 4] = ["<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA["];
    const SUFFIXES: [&str; 5] = ["-->", "//]]>", "/*]]>*/", "]]>", ";"];
    let mut json = source.trim();
    loop {
        let stripped = PREFIXES
            .iter()
            .find_map(|p| json.strip_prefix(p))
            .or_else(|| SUFFIXES.iter().find_map(|s| json.strip_suffix(s)));
        match stripped {
            Some(rest) => json = rest.trim(),
            None => return json,
        }
    }
}

/// Escapes control characters inside JSON strings (a newline becomes `\n`); outside strings
/// they are whitespace and stay.
pub(super) fn escape_raw_controls(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string && !escaped && c.is_control() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                _ => out.push(' '),
            }
            continue;
        }
        if c == '"' && !escaped {
            in_string = !in_string;
        }
        escaped = in_string && c == '\\' && !escaped;
        out.push(c);
    }
    out
}

/// Finds `JobPosting` objects anywhere: top level, arrays, `@graph`, `mainEntity` and so on.
/// Depth is bounded by serde_json's recursion limit.
pub(super) fn collect_job_postings<'v>(value: &'v Value, found: &mut Vec<&'v Map<String, Value>>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect_job_postings(v, found)),
        Value::Object(object) if is_job_posting(object) => found.push(object),
        Value::Object(object) => object.values().for_each(|v| collect_job_postings(v, found)),
        _ => {}
    }
}

/// `@type` is `JobPosting` or a list containing it, possibly as a full IRI.
pub(super) fn is_job_posting(object: &Map<String, Value>) -> bool {
    let is_posting_type = |name: &str| {
        let local = name.rsplit(['/', ':', '#']).next().unwrap_or(name);
        local.trim().eq_ignore_ascii_case("JobPosting")
    };
    match object.get("@type") {
        Some(Value::String(name)) => is_posting_type(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).any(is_posting_type),
        _ => false,
    }
}

pub(super) fn posting_fields(object: &Map<String, Value>) -> Posting {
    let field = |key: &str| object.get(key).and_then(first_string);
    Posting {
        title: field("title")
            .or_else(|| field("name"))
            .map(inline_text)
            .unwrap_or_default(),
        company: object
            .get("hiringOrganization")
            .and_then(organization_name)
            .map(inline_text)
            .unwrap_or_default(),
        description: field("description")
            .map(description_text)
            .unwrap_or_default(),
        details: json_ld_details(object),
    }
}

/// A string, or the first string of a list.
pub(super) fn first_string(value: &Value) -> Option<&str> {
    match value {
        Value::String(text) => Some(text),
        Value::Array(items) => items.iter().find_map(first_string),
        _ => None,
    }
}

/// `hiringOrganization` as a name, an `Organization` with a `name`, or a list of either.
pub(super) fn organization_name(value: &Value) -> Option<&str> {
    match value {
        Value::String(name) => Some(name),
        Value::Object(organization) => organization.get("name").and_then(first_string),
        Value::Array(items) => items.iter().find_map(organization_name),
        _ => None,
    }
}

/// A description as clean text; HTML that was entity-escaped (`&lt;p&gt;`) comes out of the
/// first pass as markup and gets a second.
pub(super) fn description_text(raw: &str) -> String {
    let text = html_to_text(raw);
    if contains_markup(&text) {
        html_to_text(&text)
    } else {
        text
    }
}

/// HTML or plain text as one line.
pub(super) fn inline_text(raw: &str) -> String {
    one_line(&html_to_text(raw))
}

pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
