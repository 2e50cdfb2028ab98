//! The `job_postings` table.

use sea_orm::entity::prelude::*;

use crate::accounts::user::StringList;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "job_postings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The provider's id (TheirStack's), unique when present.
    pub job_id: Option<String>,
    pub title: String,
    pub company: String,
    pub company_domain: Option<String>,
    /// The company's industry in careerhub's vocabulary, when the source or the company map gives one.
    pub company_industry: Option<String>,
    pub location: String,
    pub description: String,
    /// Normalized through the skills taxonomy (lowercase canonical names).
    #[sea_orm(column_type = "JsonBinary")]
    pub skills: StringList,
    /// As the source tagged them.
    #[sea_orm(column_type = "JsonBinary")]
    pub technology_slugs: StringList,
    pub url: String,
    pub search_keywords: String,
    pub search_keywords_key: String,
    pub search_location: String,
    pub date_posted: Option<DateTimeUtc>,
    /// When first gathered; an update keeps it.
    pub scraped_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub min_annual_salary_usd: Option<i64>,
    pub max_annual_salary_usd: Option<i64>,
    pub remote: Option<bool>,
    #[sea_orm(column_type = "JsonBinary", nullable)]
    pub coordinates: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
