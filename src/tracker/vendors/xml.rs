//! The few facts a vendor's XML feed holds, read with a pull parser: for every record element
//! (a Personio `position`, an RSS `item`), the text of each element below it, in document order.
//! The feed is a stranger's: nothing recurses on its nesting, and a malformed feed reads as far
//! as it is well formed.

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;

/// One record: `(path below the record, text)` pairs, e.g. `("jobDescriptions/jobDescription/name",
/// "Your role")`. Names are local (`tt:location` is `location`).
pub(super) type Record = Vec<(String, String)>;

impl RecordExt for Record {
    fn first(&self, path: &str) -> Option<String> {
        self.iter()
            .find(|(p, text)| p == path && !text.trim().is_empty())
            .map(|(_, text)| text.trim().to_owned())
    }

    fn all(&self, path: &str) -> Vec<String> {
        self.iter()
            .filter(|(p, text)| p == path && !text.trim().is_empty())
            .map(|(_, text)| text.trim().to_owned())
            .collect()
    }
}

/// Reading a record's fields by path.
pub(super) trait RecordExt {
    /// The first non-blank text at `path`.
    fn first(&self, path: &str) -> Option<String>;
    /// Every non-blank text at `path`, in order.
    fn all(&self, path: &str) -> Vec<String>;
}

/// Every `record` element of `xml`, outermost first; a record inside a record is not split out.
pub(super) fn records(xml: &str, record: &str) -> Vec<Record> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    // The open elements below the current record, and the text gathered for the innermost one.
    let mut open: Vec<String> = Vec::new();
    let mut inside: Option<(usize, Record)> = None;
    let mut text = String::new();
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        match event {
            Event::Start(start) => {
                let name: String = start.local_name().as_ref().to_owned();
                if inside.is_none() && name == record {
                    inside = Some((open.len() + 1, Record::new()));
                }
                open.push(name);
                text.clear();
            }
            Event::End(_) => {
                if let Some((depth, fields)) = inside.as_mut() {
                    if open.len() == *depth {
                        out.push(std::mem::take(fields));
                        inside = None;
                    } else if open.len() > *depth && !text.is_empty() {
                        fields.push((open[*depth..].join("/"), std::mem::take(&mut text)));
                    }
                }
                open.pop();
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(c) => text.push_str(&c.into_inner()),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => {
                    let name = r.xml10_content();
                    text.push_str(resolve_predefined_entity(&name).unwrap_or_default());
                }
            },
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_hold_their_fields_by_path_with_entities_and_cdata_read() {
        let xml = r#"<?xml version="1.0"?>
            <feed><title>Not a record</title>
              <position><id>7</id><name>R&amp;D &#8211; Lead</name>
                <jobDescriptions><jobDescription><name>Role</name>
                  <value><![CDATA[<p>Build <b>things</b></p>]]></value></jobDescription></jobDescriptions>
              </position>
              <position><id>8</id><tt:location xmlns:tt="x">Berlin</tt:location></position>
              <position><id>9</id><broken>"#;
        let found = records(xml, "position");
        assert_eq!(found.len(), 2, "the unterminated record is not read");
        assert_eq!(found[0].first("id").as_deref(), Some("7"));
        assert_eq!(found[0].first("name").as_deref(), Some("R&D \u{2013} Lead"));
        assert_eq!(
            found[0]
                .first("jobDescriptions/jobDescription/value")
                .as_deref(),
            Some("<p>Build <b>things</b></p>")
        );
        assert_eq!(found[1].all("location"), vec!["Berlin".to_owned()]);
        assert_eq!(found[0].first("title"), None);
    }
}
