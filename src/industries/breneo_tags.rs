//! Breneo's own industry tags, tied to careerhub's vocabulary. Breneo's frontend derives the
//! industry profile it `PUT`s from job-title keywords (`technology`, `design`, `payments`,
//! `customer service`, …: 14 tags, and a few more in its wider taxonomy such as `cloud` and
//! `medtech`), and it matches a job's `industry_tags` against those keys exactly. So a profile
//! may hold either vocabulary: careerhub's matching relates Breneo's tags to its own (some are
//! the same industry under another name, the rest carry experience over like related
//! industries), and the job feed names a posting's industry in Breneo's words.

use super::normalize_tag;

/// Breneo's names for careerhub industries: the same industry.
const SAME: &[(&str, &str)] = &[
    ("cloud", "cloud-infrastructure"),
    ("cloud-computing", "cloud-infrastructure"),
    ("medtech", "healthtech"),
    ("medical-technology", "healthtech"),
    ("finance", "fintech"),
    ("financial-services", "fintech"),
    ("fs", "fintech"),
    ("ecommerce", "e-commerce"),
    ("e-commerce", "e-commerce"),
    ("health-care", "healthcare"),
    ("pharmaceutical", "pharma"),
    ("software-as-a-service", "saas"),
];

/// Breneo's tags that are functions or broad areas rather than one careerhub industry, and the
/// careerhub industries whose experience they carry over to (both ways).
const RELATED: &[(&str, &[&str])] = &[
    (
        "technology",
        &[
            "saas",
            "enterprise-software",
            "consumer-internet",
            "cloud-infrastructure",
            "ai",
            "cybersecurity",
            "hardware",
            "semiconductors",
            "telecom",
            "gaming",
            "social-media",
            "edtech",
        ],
    ),
    ("payments", &["fintech", "banking", "e-commerce"]),
    (
        "design",
        &[
            "consumer-internet",
            "media-entertainment",
            "gaming",
            "adtech",
        ],
    ),
    (
        "marketing",
        &[
            "adtech",
            "media-entertainment",
            "consumer-internet",
            "social-media",
        ],
    ),
    ("sales", &["saas", "enterprise-software", "retail"]),
    ("hr", &["enterprise-software", "consulting"]),
    (
        "customer-service",
        &["retail", "e-commerce", "telecom", "travel-hospitality"],
    ),
    (
        "content",
        &["media-entertainment", "social-media", "adtech"],
    ),
];

/// A tag in careerhub's words where it is the same industry (`cloud` → `cloud-infrastructure`),
/// else normalized as it is (`customer service` → `customer-service`).
pub fn canonical_tag(raw: &str) -> String {
    let tag = normalize_tag(raw);
    SAME.iter()
        .find(|(breneo, _)| *breneo == tag)
        .map_or(tag, |(_, ours)| (*ours).to_owned())
}

/// The careerhub industries a Breneo tag carries experience to, and (the other way) the Breneo
/// tags a careerhub industry carries experience to.
pub fn related_tags(industry: &str) -> impl Iterator<Item = &'static str> + '_ {
    RELATED.iter().flat_map(move |(breneo, ours)| {
        let from_breneo = (*breneo == industry).then_some(ours.iter().copied());
        let to_breneo = ours.contains(&industry).then_some(*breneo);
        from_breneo.into_iter().flatten().chain(to_breneo)
    })
}

/// A careerhub industry as Breneo's frontend names it, for the job feed's `industry_tags`
/// (its detail page matches them exactly against the keys its own `PUT` wrote).
pub fn breneo_tag(industry: &str) -> &str {
    match industry {
        "fintech" | "insurance" | "investment" | "crypto" => "fintech",
        "banking" => "banking",
        "e-commerce" | "marketplace" => "e-commerce",
        "retail" | "food-beverage" => "retail",
        "healthcare" | "healthtech" | "biotech" | "pharma" => "healthcare",
        "consulting" => "consulting",
        "media-entertainment" => "content",
        "adtech" => "marketing",
        "saas"
        | "enterprise-software"
        | "consumer-internet"
        | "social-media"
        | "gaming"
        | "edtech"
        | "telecom"
        | "semiconductors"
        | "hardware"
        | "cybersecurity"
        | "ai"
        | "cloud-infrastructure" => "technology",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breneo_names_for_our_industries_are_the_same_industry() {
        assert_eq!(canonical_tag("Cloud"), "cloud-infrastructure");
        assert_eq!(canonical_tag("MedTech"), "healthtech");
        assert_eq!(canonical_tag("customer service"), "customer-service");
        assert_eq!(canonical_tag("fintech"), "fintech");
    }

    #[test]
    fn breneo_areas_relate_both_ways() {
        assert!(related_tags("payments").any(|t| t == "fintech"));
        assert!(related_tags("fintech").any(|t| t == "payments"));
        assert!(related_tags("saas").any(|t| t == "technology"));
        assert_eq!(related_tags("nonprofit").count(), 0);
    }

    #[test]
    fn every_tag_breneos_put_can_hold_is_known() {
        let known = |tag: &str| {
            let tag = canonical_tag(tag);
            super::super::VOCABULARY.contains(&tag.as_str()) || related_tags(&tag).count() > 0
        };
        for tag in [
            "design",
            "technology",
            "fintech",
            "banking",
            "payments",
            "marketing",
            "sales",
            "hr",
            "customer service",
            "healthcare",
            "e-commerce",
            "retail",
            "consulting",
            "content",
            "insurance",
            "enterprise software",
            "saas",
            "medtech",
            "pharma",
            "marketplace",
            "cloud",
        ] {
            assert!(known(tag), "{tag} is unknown");
        }
    }
}
