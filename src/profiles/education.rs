//! The `educations` table.

use sea_orm::entity::prelude::*;

use crate::dates::{PartialDate, Precision};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "educations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub institution: String,
    pub degree: String,
    pub field_of_study: String,
    pub start_date: Date,
    pub start_precision: Precision,
    pub end_date: Option<Date>,
    pub end_precision: Option<Precision>,
    pub is_current: bool,
    pub gpa: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn start(&self) -> PartialDate {
        PartialDate::new(self.start_date, self.start_precision)
    }

    pub fn end(&self) -> Option<PartialDate> {
        PartialDate::optional(self.end_date, self.end_precision)
    }
}
