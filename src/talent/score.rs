//! The profile score (0–100) Gan7Club shows: the plan, how complete the profile is, and how many
//! kinds and how many items the user has across every product, with tips naming what would
//! raise it next.

use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::profile;
use crate::accounts::user::{self, SubscriptionTier};

/// The parts of the profile that count, and what each is worth.
const COMPLETION: [(&str, i32, &str); 5] = [
    ("profile_picture", 10, "Add a profile picture"),
    ("country", 8, "Add your country"),
    ("date_of_birth", 8, "Add your date of birth"),
    ("gender", 6, "Add your gender"),
    ("name", 8, "Add your first and last name"),
];
/// Points per kind of item held, and the most they give.
const DIVERSITY_PER_KIND: i32 = 3;
const MAX_DIVERSITY: i32 = 20;
const MAX_QUANTITY: i32 = 15;

/// How many items of each kind the user has, across the products.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemCounts {
    pub work_experiences: u64,
    pub educations: u64,
    pub skills: u64,
    pub projects: u64,
    pub portfolios: u64,
    pub resumes: u64,
    pub assets: u64,
    pub job_applications: u64,
}

impl ItemCounts {
    fn kinds(&self) -> [(&'static str, u64, &'static str); 8] {
        [
            (
                "work_experiences",
                self.work_experiences,
                "Add a work experience",
            ),
            ("educations", self.educations, "Add your education"),
            ("skills", self.skills, "Add your skills"),
            ("projects", self.projects, "Add a project"),
            ("portfolios", self.portfolios, "Create a portfolio"),
            ("resumes", self.resumes, "Upload or write a resume"),
            ("assets", self.assets, "Upload images for your portfolio"),
            (
                "job_applications",
                self.job_applications,
                "Track a job application",
            ),
        ]
    }
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct ProfileScore {
    pub total: i32,
    /// 0–25 by plan.
    pub account_tier: i32,
    /// 0–40 by the profile's filled fields.
    pub profile_completion: i32,
    /// 0–20 by the kinds of items held.
    pub item_diversity: i32,
    /// 0–15 by the number of items held.
    pub item_quantity: i32,
    #[schema(value_type = Object)]
    pub details: Value,
    /// The next actions that raise the score, most valuable first.
    pub improvement_tips: Vec<String>,
}

fn tier_points(tier: SubscriptionTier) -> i32 {
    match tier {
        SubscriptionTier::Free => 5,
        SubscriptionTier::Starter => 12,
        SubscriptionTier::Pro => 20,
        SubscriptionTier::Premium => 25,
    }
}

/// Scores a profile.
pub fn score(user: &user::Model, profile: &profile::Model, items: &ItemCounts) -> ProfileScore {
    let filled = [
        profile.picture_key.is_some(),
        !profile.country.is_empty(),
        profile.date_of_birth.is_some(),
        !profile.gender.is_empty(),
        !user.first_name.trim().is_empty() && !user.last_name.trim().is_empty(),
    ];
    let mut tips: Vec<(i32, String)> = Vec::new();
    let mut completion = 0;
    let mut completed = serde_json::Map::new();
    for ((field, points, tip), done) in COMPLETION.iter().zip(filled) {
        completed.insert((*field).into(), json!(done));
        if done {
            completion += points;
        } else {
            tips.push((*points, format!("{tip} (+{points} points)")));
        }
    }
    let kinds = items.kinds();
    let held = kinds.iter().filter(|(_, n, _)| *n > 0).count() as i32;
    let diversity = (held * DIVERSITY_PER_KIND).min(MAX_DIVERSITY);
    let total_items: u64 = kinds.iter().map(|(_, n, _)| n).sum();
    let quantity = (total_items.min(MAX_QUANTITY as u64)) as i32;
    if diversity < MAX_DIVERSITY {
        for (_, _, tip) in kinds.iter().filter(|(_, n, _)| *n == 0) {
            tips.push((
                DIVERSITY_PER_KIND,
                format!("{tip} (+{DIVERSITY_PER_KIND} points)"),
            ));
        }
    }
    let tier = tier_points(user.subscription_tier);
    if user.subscription_tier != SubscriptionTier::Premium {
        tips.push((
            tier_points(SubscriptionTier::Premium) - tier,
            "Upgrade your plan for a higher account tier score".into(),
        ));
    }
    // Most valuable first; the order of the tables above breaks ties.
    tips.sort_by_key(|tip| std::cmp::Reverse(tip.0));
    let counts: serde_json::Map<String, Value> = kinds
        .iter()
        .map(|(name, n, _)| ((*name).to_owned(), json!(n)))
        .collect();
    ProfileScore {
        total: tier + completion + diversity + quantity,
        account_tier: tier,
        profile_completion: completion,
        item_diversity: diversity,
        item_quantity: quantity,
        details: json!({"completed_fields": completed, "items": counts, "plan": user.subscription_tier}),
        improvement_tips: tips.into_iter().take(5).map(|(_, tip)| tip).collect(),
    }
}
