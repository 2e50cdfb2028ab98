//! The plans careerhub grants (one tier per account, set by subscriptions): what each costs as
//! configured, what it allows in every product, in English and Arabic. Grooya's limits
//! (`portfolios::entitlements`) and monthly AI credits, and Gan7Club's plans page, read this
//! table. careerhub takes no payments: an operator grants plans (`careerhub subscription`, the
//! admin).

use std::collections::BTreeMap;

use anyhow::bail;

use crate::accounts::user::SubscriptionTier;
use crate::portfolios::entitlements::{self, Resource};

/// Every tier, cheapest first.
pub const TIERS: [SubscriptionTier; 4] = [
    SubscriptionTier::Free,
    SubscriptionTier::Starter,
    SubscriptionTier::Pro,
    SubscriptionTier::Premium,
];

/// Monthly prices in US dollars, by tier (free is always 0).
#[derive(Clone, Debug, PartialEq)]
pub struct Prices(BTreeMap<&'static str, f64>);

impl Default for Prices {
    /// Grooya's own price table (`UpgradePage.tsx`): 5, 15 and 30 dollars a month.
    fn default() -> Self {
        Prices(BTreeMap::from([
            ("starter", 5.0),
            ("pro", 15.0),
            ("premium", 30.0),
        ]))
    }
}

impl Prices {
    /// `starter=5,pro=15,premium=30` (`CAREERHUB_PLAN_PRICES`); tiers left out keep their
    /// default.
    pub fn parse(raw: &str) -> anyhow::Result<Prices> {
        let mut prices = Prices::default();
        for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((tier, price)) = pair.split_once('=') else {
                bail!("CAREERHUB_PLAN_PRICES: {pair:?} is not tier=price");
            };
            let tier = match tier.trim().to_ascii_lowercase().as_str() {
                "starter" => "starter",
                "pro" => "pro",
                "premium" => "premium",
                other => bail!("CAREERHUB_PLAN_PRICES: {other:?} is not a paid plan"),
            };
            let price: f64 = price.trim().parse()?;
            if !(price.is_finite() && price >= 0.0) {
                bail!("CAREERHUB_PLAN_PRICES: the price of {tier} must be 0 or more");
            }
            prices.0.insert(tier, price);
        }
        Ok(prices)
    }

    pub fn of(&self, tier: SubscriptionTier) -> f64 {
        self.0.get(code(tier)).copied().unwrap_or(0.0)
    }
}

/// The tier's name in the API (`free`, `starter`, `pro`, `premium`).
pub fn code(tier: SubscriptionTier) -> &'static str {
    match tier {
        SubscriptionTier::Free => "free",
        SubscriptionTier::Starter => "starter",
        SubscriptionTier::Pro => "pro",
        SubscriptionTier::Premium => "premium",
    }
}

/// AI credits a plan grants each month: (text, image). The free plan has none to refill (new
/// accounts start with a few); image generation is for paid plans.
pub fn monthly_credits(tier: SubscriptionTier) -> (i32, i32) {
    match tier {
        SubscriptionTier::Free => (0, 0),
        SubscriptionTier::Starter => (50, 10),
        SubscriptionTier::Pro => (150, 30),
        SubscriptionTier::Premium => (500, 100),
    }
}

/// Whether the plan includes AI image generation.
pub fn generates_images(tier: SubscriptionTier) -> bool {
    tier != SubscriptionTier::Free
}

/// A plan's display name and one-line description, in English and Arabic.
pub fn names(tier: SubscriptionTier) -> [&'static str; 4] {
    match tier {
        SubscriptionTier::Free => [
            "Free",
            "المجانية",
            "Everything you need to start.",
            "كل ما تحتاجه للبدء.",
        ],
        SubscriptionTier::Starter => [
            "Starter",
            "المبتدئة",
            "For professionals getting started.",
            "للمحترفين في بداية الطريق.",
        ],
        SubscriptionTier::Pro => [
            "Pro",
            "الاحترافية",
            "For serious professionals and freelancers.",
            "للمحترفين والعاملين المستقلين.",
        ],
        SubscriptionTier::Premium => [
            "Premium",
            "المميزة",
            "For power users and agencies.",
            "للمستخدمين المتقدمين والوكالات.",
        ],
    }
}

/// What the plan allows, line by line, in English and in Arabic (same order).
pub fn features(tier: SubscriptionTier) -> (Vec<String>, Vec<String>) {
    let count = |resource: Resource, one: &str, many: &str, one_ar: &str, many_ar: &str| {
        match entitlements::limit(tier, resource) {
            Some(1) => (format!("1 {one}"), format!("{one_ar} واحد")),
            Some(n) => (format!("{n} {many}"), format!("{n} {many_ar}")),
            None => (format!("Unlimited {many}"), format!("{many_ar} بلا حدود")),
        }
    };
    let (text, image) = monthly_credits(tier);
    let mut english = Vec::new();
    let mut arabic = Vec::new();
    for (en, ar) in [
        count(
            Resource::Portfolio,
            "portfolio",
            "portfolios",
            "ملف أعمال",
            "ملفات أعمال",
        ),
        count(
            Resource::Resume,
            "resume",
            "resumes",
            "سيرة ذاتية",
            "سير ذاتية",
        ),
    ] {
        english.push(en);
        arabic.push(ar);
    }
    if text > 0 {
        english.push(format!("{text} AI text credits a month"));
        arabic.push(format!("{text} رصيدًا للنصوص بالذكاء الاصطناعي شهريًا"));
    }
    if generates_images(tier) {
        english.push(format!("{image} AI image credits a month"));
        arabic.push(format!("{image} رصيدًا للصور بالذكاء الاصطناعي شهريًا"));
    }
    english.push("Job tracker, ATS analysis and market insights".into());
    arabic.push("متابعة الوظائف وتحليل السيرة الذاتية ورؤى سوق العمل".into());
    (english, arabic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_default_to_grooyas_and_take_overrides() {
        let prices = Prices::parse("pro=19.5").unwrap();
        assert_eq!(TIERS.map(|t| prices.of(t)), [0.0, 5.0, 19.5, 30.0]);
        assert!(Prices::parse("free=3").is_err());
        assert!(Prices::parse("pro=-1").is_err());
        assert!(Prices::parse("pro").is_err());
    }

    #[test]
    fn features_come_from_the_limits_in_both_languages() {
        let (english, arabic) = features(SubscriptionTier::Pro);
        assert_eq!(
            english,
            [
                "10 portfolios",
                "Unlimited resumes",
                "150 AI text credits a month",
                "30 AI image credits a month",
                "Job tracker, ATS analysis and market insights"
            ]
        );
        assert_eq!(arabic.len(), english.len());
        let (free, _) = features(SubscriptionTier::Free);
        assert_eq!(free[..2], ["1 portfolio", "1 resume"]);
        assert_eq!(free.len(), 3);
    }
}
