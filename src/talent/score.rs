//! The profile score (0–100) Gan7Club shows: the plan, how complete the profile is, and how many
//! kinds and how many items the user has across every product, with tips naming what would
//! raise it next.

use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::profile;
use crate::accounts::user::{self, SubscriptionTier};

/// The parts of the profile that count, what each is worth, and its tip in English and Arabic
/// (the app shows `*_ar` when its language is Arabic, as the original did).
const COMPLETION: [(&str, i32, &str, &str); 5] = [
    (
        "profile_picture",
        10,
        "Add a profile picture",
        "أضف صورة شخصية",
    ),
    ("country", 8, "Add your country", "أضف بلدك"),
    (
        "date_of_birth",
        8,
        "Add your date of birth",
        "أضف تاريخ ميلادك",
    ),
    ("gender", 6, "Add your gender", "أضف جنسك"),
    (
        "name",
        8,
        "Add your first and last name",
        "أضف اسمك الأول واسم العائلة",
    ),
];
const MAX_COMPLETION: i32 = 40;
const MAX_TIER: i32 = 25;
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
    /// (name, count, tip, Arabic tip) of each kind.
    fn kinds(&self) -> [(&'static str, u64, &'static str, &'static str); 8] {
        [
            (
                "work_experiences",
                self.work_experiences,
                "Add a work experience",
                "أضف خبرة عمل",
            ),
            (
                "educations",
                self.educations,
                "Add your education",
                "أضف تعليمك",
            ),
            ("skills", self.skills, "Add your skills", "أضف مهاراتك"),
            ("projects", self.projects, "Add a project", "أضف مشروعًا"),
            (
                "portfolios",
                self.portfolios,
                "Create a portfolio",
                "أنشئ ملف أعمال",
            ),
            (
                "resumes",
                self.resumes,
                "Upload or write a resume",
                "ارفع سيرتك الذاتية أو اكتبها",
            ),
            (
                "assets",
                self.assets,
                "Upload images for your portfolio",
                "ارفع صورًا لملف أعمالك",
            ),
            (
                "job_applications",
                self.job_applications,
                "Track a job application",
                "تابع طلب توظيف",
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
    /// `profile_completion` as a share of its 40 points, 0–100.
    pub completion_percentage: i32,
    /// One sentence per category above, keyed by its name.
    #[schema(value_type = Object)]
    pub details: Value,
    /// The same sentences in Arabic.
    #[schema(value_type = Object)]
    pub details_ar: Value,
    /// The next actions that raise the score, most valuable first.
    pub improvement_tips: Vec<String>,
    pub improvement_tips_ar: Vec<String>,
    /// Which profile fields count as filled.
    #[schema(value_type = Object)]
    pub completed_fields: Value,
    /// The user's items of each kind.
    #[schema(value_type = Object)]
    pub items: Value,
    pub plan: SubscriptionTier,
}

fn tier_points(tier: SubscriptionTier) -> i32 {
    match tier {
        SubscriptionTier::Free => 5,
        SubscriptionTier::Starter => 12,
        SubscriptionTier::Pro => 20,
        SubscriptionTier::Premium => MAX_TIER,
    }
}

fn plan_names(tier: SubscriptionTier) -> (&'static str, &'static str) {
    match tier {
        SubscriptionTier::Free => ("Free", "المجانية"),
        SubscriptionTier::Starter => ("Starter", "المبتدئة"),
        SubscriptionTier::Pro => ("Pro", "الاحترافية"),
        SubscriptionTier::Premium => ("Premium", "المميزة"),
    }
}

/// A tip worth `points`, in both languages.
struct Tip {
    points: i32,
    en: String,
    ar: String,
}

impl Tip {
    fn new(points: i32, en: &str, ar: &str) -> Tip {
        Tip {
            points,
            en: format!("{en} (+{points} points)"),
            ar: format!("{ar} (+{points} نقاط)"),
        }
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
    let mut tips: Vec<Tip> = Vec::new();
    let mut completion = 0;
    let mut completed = serde_json::Map::new();
    for ((field, points, tip, tip_ar), done) in COMPLETION.iter().zip(filled) {
        completed.insert((*field).into(), json!(done));
        if done {
            completion += points;
        } else {
            tips.push(Tip::new(*points, tip, tip_ar));
        }
    }
    let kinds = items.kinds();
    let held = kinds.iter().filter(|(_, n, _, _)| *n > 0).count() as i32;
    let diversity = (held * DIVERSITY_PER_KIND).min(MAX_DIVERSITY);
    let total_items: u64 = kinds.iter().map(|(_, n, _, _)| n).sum();
    let quantity = (total_items.min(MAX_QUANTITY as u64)) as i32;
    if diversity < MAX_DIVERSITY {
        for (_, _, tip, tip_ar) in kinds.iter().filter(|(_, n, _, _)| *n == 0) {
            tips.push(Tip::new(DIVERSITY_PER_KIND, tip, tip_ar));
        }
    }
    let tier = tier_points(user.subscription_tier);
    if user.subscription_tier != SubscriptionTier::Premium {
        let mut upgrade = Tip::new(MAX_TIER - tier, "", "");
        upgrade.en = "Upgrade your plan for a higher account tier score".into();
        upgrade.ar = "رقِّ خطتك لتحصل على درجة أعلى في فئة الحساب".into();
        tips.push(upgrade);
    }
    // Most valuable first; the order of the tables above breaks ties.
    tips.sort_by_key(|tip| std::cmp::Reverse(tip.points));
    tips.truncate(5);
    let counts: serde_json::Map<String, Value> = kinds
        .iter()
        .map(|(name, n, _, _)| ((*name).to_owned(), json!(n)))
        .collect();
    let fields_filled = filled.iter().filter(|done| **done).count();
    let (plan, plan_ar) = plan_names(user.subscription_tier);
    ProfileScore {
        total: tier + completion + diversity + quantity,
        account_tier: tier,
        profile_completion: completion,
        item_diversity: diversity,
        item_quantity: quantity,
        completion_percentage: completion * 100 / MAX_COMPLETION,
        details: json!({
            "account_tier": format!("{plan} plan: {tier} of {MAX_TIER} points."),
            "profile_completion": format!(
                "{fields_filled} of {} profile fields filled: {completion} of {MAX_COMPLETION} points.",
                COMPLETION.len()
            ),
            "item_diversity": format!(
                "{held} kinds of items across the products: {diversity} of {MAX_DIVERSITY} points."
            ),
            "item_quantity": format!("{total_items} items in all: {quantity} of {MAX_QUANTITY} points."),
        }),
        details_ar: json!({
            "account_tier": format!("الخطة {plan_ar}: {tier} من {MAX_TIER} نقطة."),
            "profile_completion": format!(
                "{fields_filled} من {} حقول مكتملة: {completion} من {MAX_COMPLETION} نقطة.",
                COMPLETION.len()
            ),
            "item_diversity": format!(
                "{held} أنواع من العناصر عبر المنتجات: {diversity} من {MAX_DIVERSITY} نقطة."
            ),
            "item_quantity": format!("{total_items} عنصرًا إجمالًا: {quantity} من {MAX_QUANTITY} نقطة."),
        }),
        improvement_tips: tips.iter().map(|tip| tip.en.clone()).collect(),
        improvement_tips_ar: tips.into_iter().map(|tip| tip.ar).collect(),
        completed_fields: Value::Object(completed),
        items: Value::Object(counts),
        plan: user.subscription_tier,
    }
}
