//! Lists in the admin: a search box, filters, sorting by any sortable column, pages of 25, and
//! the links between them (every link keeps the rest of the query).

use std::collections::HashMap;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sea_orm::sea_query::{Expr, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, Order, PaginatorTrait, QueryOrder,
    Select,
};

use super::page::{Choice, ColumnHead, Form, Layout, Table};
use crate::accounts::user;
use crate::market::postings::{contains_pattern, escaped_like};

pub const PAGE_SIZE: u64 = 25;

/// A list page's query string. Unknown or malformed values fall back to the defaults rather
/// than failing: these links are typed and edited by hand.
pub struct ListQuery(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for ListQuery {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let pairs = url::form_urlencoded::parse(parts.uri.query().unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Ok(ListQuery(pairs))
    }
}

impl ListQuery {
    /// A parameter, trimmed; `None` when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    pub fn q(&self) -> &str {
        self.get("q").unwrap_or_default()
    }

    fn page(&self) -> u64 {
        self.get("page")
            .and_then(|p| p.parse().ok())
            .filter(|&p| p >= 1)
            .unwrap_or(1)
    }

    /// An id filter such as `user=12`.
    pub fn id(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(|v| v.parse().ok())
    }

    /// This path with the current query, some parameters replaced (`None` removes one).
    pub fn link(&self, path: &str, changes: &[(&str, Option<String>)]) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .0
            .iter()
            .filter(|(k, _)| k.as_str() != "done" && !changes.iter().any(|(c, _)| c == k))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        pairs.extend(
            changes
                .iter()
                .filter_map(|(k, v)| v.as_deref().map(|v| (*k, v))),
        );
        pairs.sort();
        if pairs.is_empty() {
            return path.to_owned();
        }
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        format!("{path}?{query}")
    }

    /// The notice for a `done=` left by the redirect after a change; fixed texts only, so a
    /// crafted link cannot put words on the page.
    pub fn notice(&self) -> Option<String> {
        let text = match self.get("done")? {
            "saved" => "Saved.",
            "deleted" => "Deleted.",
            "unpublished" => "The portfolio is unpublished.",
            "retried" => "Queued to run again.",
            "discarded" => "The job is discarded.",
            "granted" => "The subscription is granted.",
            "ended" => "The subscription is ended.",
            _ => return None,
        };
        Some(text.to_owned())
    }
}

/// The columns a list sorts by (query key and database column), the first being the default.
pub struct Sorts<C: 'static> {
    pub columns: &'static [(&'static str, C)],
    pub default_desc: bool,
}

/// The sort a request asked for, resolved against the allowed columns.
pub struct Sorting<C> {
    pub key: &'static str,
    pub column: C,
    pub desc: bool,
}

impl<C: Copy> Sorts<C> {
    pub fn resolve(&self, query: &ListQuery) -> Sorting<C> {
        let (key, column) = query
            .get("sort")
            .and_then(|want| self.columns.iter().find(|(key, _)| *key == want))
            .unwrap_or(&self.columns[0]);
        let desc = match query.get("dir") {
            Some("asc") => false,
            Some("desc") => true,
            _ => self.default_desc,
        };
        Sorting {
            key,
            column: *column,
            desc,
        }
    }
}

/// Orders by the chosen column, then by the key, so pages never overlap.
pub fn sorted<E: EntityTrait>(
    select: Select<E>,
    sorting: &Sorting<E::Column>,
    id: E::Column,
) -> Select<E> {
    let order = if sorting.desc {
        Order::Desc
    } else {
        Order::Asc
    };
    select
        .order_by(sorting.column, order.clone())
        .order_by(id, order)
}

/// Rows whose text in any of `columns` contains `q`, ignoring case; everything for an empty `q`.
pub fn search<C: ColumnTrait>(columns: &[C], q: &str) -> Condition {
    // Imported here only: its `min`/`max` would shadow `Ord`'s on numbers in this module.
    use sea_orm::sea_query::ExprTrait;
    if q.is_empty() {
        return Condition::all();
    }
    columns.iter().fold(Condition::any(), |any, column| {
        any.add(Expr::expr(Func::lower(Expr::col(*column))).like(escaped_like(contains_pattern(q))))
    })
}

/// Owned records whose text in any of `columns` contains `q`, or whose owner's email does.
pub fn search_owned<C: ColumnTrait>(columns: &[C], owner: C, q: &str) -> Condition {
    if q.is_empty() {
        return Condition::all();
    }
    search(columns, q).add(owner.in_subquery(owners_matching(q)))
}

/// The ids of users whose email contains `q`: lists of owned records search by owner.
fn owners_matching(q: &str) -> SelectStatement {
    Query::select()
        .column(user::Column::Id)
        .from(user::Entity)
        .cond_where(search(&[user::Column::Email], q))
        .to_owned()
}

/// One page of a query: its rows, the page number actually shown, and the total.
pub struct PageOf<M> {
    pub rows: Vec<M>,
    pub page: u64,
    pub total: u64,
}

pub async fn fetch_page<E, C>(
    conn: &C,
    select: Select<E>,
    query: &ListQuery,
) -> Result<PageOf<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    let paginator = select.paginate(conn, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let pages = page_count(total);
    let page = query.page().min(pages);
    let rows = paginator.fetch_page(page - 1).await?;
    Ok(PageOf { rows, page, total })
}

/// Pages of `total` rows; an empty list still has its one (empty) page.
fn page_count(total: u64) -> u64 {
    total.div_ceil(PAGE_SIZE).max(1)
}

/// A filter select in the search form.
pub struct Filter {
    pub name: &'static str,
    pub label: &'static str,
    pub options: Vec<Choice>,
}

impl Filter {
    /// A select whose first option, "any", sets no filter.
    pub fn new(
        name: &'static str,
        label: &'static str,
        values: &[(&str, &str)],
        query: &ListQuery,
    ) -> Filter {
        let current = query.get(name).unwrap_or_default();
        let mut options = Choice::list(&[("", label)], current);
        options.extend(Choice::list(values, current));
        Filter {
            name,
            label,
            options,
        }
    }
}

pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub path: &'static str,
    pub q: String,
    pub filters: Vec<Filter>,
    /// Carried through a new search: the sort and id filters.
    pub hidden: Vec<(String, String)>,
    pub table: Table,
    pub pager: Pager,
    pub forms: Vec<Form>,
    pub notice: Option<String>,
}

/// What a list view hands over to be laid out.
pub struct ListSpec<'a, C> {
    pub layout: Layout,
    pub path: &'static str,
    pub query: &'a ListQuery,
    /// (label, sort key when sortable).
    pub columns: &'a [(&'static str, Option<&'static str>)],
    pub sorting: &'a Sorting<C>,
    pub filters: Vec<Filter>,
}

impl ListPage {
    pub fn new<C, M>(
        spec: ListSpec<'_, C>,
        page: &PageOf<M>,
        rows: Vec<Vec<super::page::Cell>>,
    ) -> ListPage {
        let ListSpec {
            layout,
            path,
            query,
            columns,
            sorting,
            filters,
        } = spec;
        let columns = columns
            .iter()
            .map(|&(label, key)| column_head(path, query, sorting, label, key))
            .collect();
        let pages = page_count(page.total);
        let page_link = |n: u64| query.link(path, &[("page", Some(n.to_string()))]);
        let hidden = ["sort", "dir", "user", "kind"]
            .into_iter()
            .filter(|name| !filters.iter().any(|f| f.name == *name))
            .filter_map(|name| query.get(name).map(|v| (name.to_owned(), v.to_owned())))
            .collect();
        ListPage {
            layout,
            path,
            q: query.q().to_owned(),
            filters,
            hidden,
            table: Table { columns, rows },
            pager: Pager {
                page: page.page,
                pages,
                total: page.total,
                prev: (page.page > 1).then(|| page_link(page.page - 1)),
                next: (page.page < pages).then(|| page_link(page.page + 1)),
            },
            forms: Vec::new(),
            notice: query.notice(),
        }
    }

    pub fn with_form(mut self, form: Form) -> ListPage {
        self.forms.push(form);
        self
    }
}

/// A header that sorts by its column, and reverses the sort when it is the current one.
fn column_head<C>(
    path: &str,
    query: &ListQuery,
    sorting: &Sorting<C>,
    label: &'static str,
    key: Option<&'static str>,
) -> ColumnHead {
    let Some(key) = key else {
        return ColumnHead {
            label,
            href: None,
            arrow: "",
        };
    };
    let current = key == sorting.key;
    let dir = if current && !sorting.desc {
        "desc"
    } else {
        "asc"
    };
    let href = query.link(
        path,
        &[
            ("sort", Some(key.to_owned())),
            ("dir", Some(dir.to_owned())),
            ("page", None),
        ],
    );
    let arrow = match (current, sorting.desc) {
        (false, _) => "",
        (true, true) => "▼",
        (true, false) => "▲",
    };
    ColumnHead {
        label,
        href: Some(href),
        arrow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> ListQuery {
        ListQuery(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn links_keep_the_query_and_replace_what_changes() {
        let q = query(&[("q", "ada"), ("page", "3"), ("done", "saved")]);
        assert_eq!(
            q.link("/admin/users", &[("page", Some("4".into()))]),
            "/admin/users?page=4&q=ada"
        );
        assert_eq!(
            q.link("/admin/users", &[("page", None), ("q", None)]),
            "/admin/users"
        );
    }

    #[test]
    fn bad_paging_and_sorting_fall_back_to_defaults() {
        #[derive(Clone, Copy, Debug, PartialEq)]
        enum Col {
            A,
            B,
        }
        let sorts = Sorts {
            columns: &[("a", Col::A), ("b", Col::B)],
            default_desc: true,
        };
        let q = query(&[("page", "-2"), ("sort", "password"), ("dir", "sideways")]);
        assert_eq!(q.page(), 1);
        let sorting = sorts.resolve(&q);
        assert_eq!(
            (sorting.key, sorting.column, sorting.desc),
            ("a", Col::A, true)
        );
        let sorting = sorts.resolve(&query(&[("sort", "b"), ("dir", "asc")]));
        assert_eq!(
            (sorting.key, sorting.column, sorting.desc),
            ("b", Col::B, false)
        );
    }

    #[test]
    fn notices_are_fixed_texts() {
        assert_eq!(
            query(&[("done", "saved")]).notice().as_deref(),
            Some("Saved.")
        );
        assert_eq!(query(&[("done", "<script>")]).notice(), None);
    }
}
