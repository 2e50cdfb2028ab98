//! What the admin templates are filled from: the page frame, tables, forms and messages, the
//! error page, and `render`, which turns a template into an HTML response.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::error::ApiError;

/// The frame of every page: its title, who is signed in, and the CSRF token its forms carry.
pub struct Layout {
    pub title: String,
    /// Empty on the login and error pages of a visitor who is not signed in.
    pub staff_email: String,
    pub csrf: String,
    /// The navigation entry to highlight.
    pub section: &'static str,
}

impl Layout {
    /// Whether the navigation entry at `path` is this page's section.
    pub fn is_active(&self, path: &str) -> bool {
        path == self.section
    }
}

/// The sections in the navigation bar: (path, label).
pub const SECTIONS: [(&str, &str); 11] = [
    ("/admin", "Dashboard"),
    ("/admin/users", "Users"),
    ("/admin/subscriptions", "Subscriptions"),
    ("/admin/promo-codes", "Promo codes"),
    ("/admin/portfolios", "Portfolios"),
    ("/admin/postings", "Job postings"),
    ("/admin/applications", "Applications"),
    ("/admin/analyses", "Analyses"),
    ("/admin/files", "Assets & pictures"),
    ("/admin/queue", "Queue"),
    ("/admin/audit", "Audit log"),
];

/// One table cell: text, optionally a link, an image, or a button posting to `post`.
#[derive(Default)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub image: Option<String>,
    /// A one-button form posting here (with the CSRF token).
    pub post: Option<String>,
    /// Long text or JSON, shown preformatted.
    pub pre: bool,
}

impl Cell {
    pub fn text(text: impl ToString) -> Cell {
        Cell {
            text: text.to_string(),
            ..Cell::default()
        }
    }
    pub fn link(text: impl ToString, href: impl Into<String>) -> Cell {
        Cell {
            text: text.to_string(),
            href: Some(href.into()),
            ..Cell::default()
        }
    }
    pub fn image(url: String) -> Cell {
        Cell {
            text: url.clone(),
            image: Some(url),
            ..Cell::default()
        }
    }
    pub fn button(label: impl ToString, action: impl Into<String>) -> Cell {
        Cell {
            text: label.to_string(),
            post: Some(action.into()),
            ..Cell::default()
        }
    }
    pub fn pre(text: impl ToString) -> Cell {
        Cell {
            text: text.to_string(),
            pre: true,
            ..Cell::default()
        }
    }
    /// Text that reads as "nothing" when the value is absent.
    pub fn optional(value: Option<impl ToString>) -> Cell {
        Cell::text(value.map_or_else(|| "—".to_owned(), |v| v.to_string()))
    }
}

/// A column header; `href` re-sorts the list by this column.
pub struct ColumnHead {
    pub label: &'static str,
    pub href: Option<String>,
    /// "▲", "▼" or "" for the current sort.
    pub arrow: &'static str,
}

pub struct Table {
    pub columns: Vec<ColumnHead>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table whose columns do not sort (the small tables on detail pages).
    pub fn plain(labels: &[&'static str], rows: Vec<Vec<Cell>>) -> Table {
        Table {
            columns: labels
                .iter()
                .map(|&label| ColumnHead {
                    label,
                    href: None,
                    arrow: "",
                })
                .collect(),
            rows,
        }
    }
}

/// One option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    /// Options from (value, label) pairs with `current` selected.
    pub fn list(pairs: &[(&str, &str)], current: &str) -> Vec<Choice> {
        pairs
            .iter()
            .map(|&(value, label)| Choice {
                value: value.into(),
                label: label.into(),
                selected: value == current,
            })
            .collect()
    }
}

/// A form field; `input` is the HTML input type, or "select".
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub input: &'static str,
    pub value: String,
    pub options: Vec<Choice>,
    pub checked: bool,
    pub required: bool,
}

impl Field {
    pub fn input(name: &'static str, label: &'static str, input: &'static str) -> Field {
        Field {
            name,
            label,
            input,
            value: String::new(),
            options: Vec::new(),
            checked: false,
            required: false,
        }
    }
    pub fn value(mut self, value: impl ToString) -> Field {
        self.value = value.to_string();
        self
    }
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub fn select(name: &'static str, label: &'static str, options: Vec<Choice>) -> Field {
        Field {
            options,
            ..Field::input(name, label, "select")
        }
    }
    pub fn checkbox(name: &'static str, label: &'static str, checked: bool) -> Field {
        Field {
            checked,
            ..Field::input(name, label, "checkbox")
        }
    }
}

/// A form posting to `action` with the CSRF token.
pub struct Form {
    pub action: String,
    pub title: String,
    pub note: String,
    pub submit: &'static str,
    /// Styled as destructive.
    pub danger: bool,
    pub multipart: bool,
    pub fields: Vec<Field>,
}

impl Form {
    pub fn new(action: impl Into<String>, title: impl Into<String>, submit: &'static str) -> Form {
        Form {
            action: action.into(),
            title: title.into(),
            note: String::new(),
            submit,
            danger: false,
            multipart: false,
            fields: Vec::new(),
        }
    }
    pub fn field(mut self, field: Field) -> Form {
        self.fields.push(field);
        self
    }
    pub fn note(mut self, note: impl Into<String>) -> Form {
        self.note = note.into();
        self
    }
    pub fn danger(mut self) -> Form {
        self.danger = true;
        self
    }
    pub fn multipart(mut self) -> Form {
        self.multipart = true;
        self
    }
}

/// A record: its fields, the forms that change it, and tables of related records.
#[derive(Template)]
#[template(path = "admin/detail.html")]
pub struct DetailPage {
    pub layout: Layout,
    pub notice: Option<String>,
    pub fields: Vec<(&'static str, Cell)>,
    pub forms: Vec<Form>,
    pub tables: Vec<(String, Table)>,
}

/// Renders a template as an HTML page with `status`. Pages are never cached: they show live
/// data and carry the session's CSRF token.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "admin template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "A server error occurred.",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "admin/error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    message: &'a str,
}

/// An admin request that failed: an HTML page with the status and a sentence saying why.
#[derive(Debug)]
pub struct AdminError {
    pub status: StatusCode,
    pub message: String,
}

impl AdminError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> AdminError {
        AdminError {
            status,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> AdminError {
        AdminError::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn not_found() -> AdminError {
        AdminError::new(StatusCode::NOT_FOUND, "There is no such record.")
    }
}

/// The API's errors (database down, storage down, …) keep their status; the page says it in
/// words rather than JSON.
impl From<ApiError> for AdminError {
    fn from(err: ApiError) -> Self {
        let message = match &err {
            ApiError::BadRequest(m)
            | ApiError::Forbidden(m)
            | ApiError::NotFound(m)
            | ApiError::Unauthorized(m)
            | ApiError::Unavailable(m) => m.clone(),
            ApiError::Fields(fields) => fields
                .iter()
                .map(|(field, messages)| format!("{field}: {}", messages.join(" ")))
                .collect::<Vec<_>>()
                .join("; "),
            ApiError::Throttled(wait) => format!(
                "Too many attempts. Try again in {} seconds.",
                wait.as_secs().max(1)
            ),
            _ => crate::error::SERVER_ERROR.to_owned(),
        };
        AdminError {
            status: err.into_response().status(),
            message,
        }
    }
}

impl From<sea_orm::DbErr> for AdminError {
    fn from(err: sea_orm::DbErr) -> Self {
        ApiError::from(err).into()
    }
}

/// A failure inside a larger operation (an import): a database error keeps its 503.
impl From<anyhow::Error> for AdminError {
    fn from(err: anyhow::Error) -> Self {
        match err.downcast::<sea_orm::DbErr>() {
            Ok(db) => db.into(),
            Err(other) => ApiError::Internal(other).into(),
        }
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            layout: Layout {
                title: format!("Error {}", self.status.as_u16()),
                staff_email: String::new(),
                csrf: String::new(),
                section: "",
            },
            message: &self.message,
        };
        render(self.status, &page)
    }
}

pub type AdminResult<T> = Result<T, AdminError>;
