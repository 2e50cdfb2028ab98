//! What each subscription tier may have, as the Grooya frontend defines the plans: free 1
//! portfolio and 1 resume; starter 3 and 3; pro 10 and unlimited; premium unlimited. Past a
//! limit a create answers 403 naming what the next tier allows.

use crate::accounts::user::SubscriptionTier;
use crate::error::ApiError;

/// What is counted against a tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Portfolio,
    Resume,
}

impl Resource {
    fn noun(self, count: u64) -> &'static str {
        match (self, count) {
            (Resource::Portfolio, 1) => "portfolio",
            (Resource::Portfolio, _) => "portfolios",
            (Resource::Resume, 1) => "resume",
            (Resource::Resume, _) => "resumes",
        }
    }
}

/// The most of `resource` a tier may hold; `None` for unlimited.
pub fn limit(tier: SubscriptionTier, resource: Resource) -> Option<u64> {
    match (tier, resource) {
        (SubscriptionTier::Free, _) => Some(1),
        (SubscriptionTier::Starter, _) => Some(3),
        (SubscriptionTier::Pro, Resource::Portfolio) => Some(10),
        (SubscriptionTier::Pro, Resource::Resume) => None,
        (SubscriptionTier::Premium, _) => None,
    }
}

fn name(tier: SubscriptionTier) -> &'static str {
    match tier {
        SubscriptionTier::Free => "Free",
        SubscriptionTier::Starter => "Starter",
        SubscriptionTier::Pro => "Pro",
        SubscriptionTier::Premium => "Premium",
    }
}

fn next(tier: SubscriptionTier) -> Option<SubscriptionTier> {
    match tier {
        SubscriptionTier::Free => Some(SubscriptionTier::Starter),
        SubscriptionTier::Starter => Some(SubscriptionTier::Pro),
        SubscriptionTier::Pro => Some(SubscriptionTier::Premium),
        SubscriptionTier::Premium => None,
    }
}

fn allowance(tier: SubscriptionTier, resource: Resource) -> String {
    match limit(tier, resource) {
        Some(n) => format!("up to {n} {}", resource.noun(n)),
        None => format!("unlimited {}", resource.noun(2)),
    }
}

/// Refuses one more `resource` when `held` already reaches the tier's limit.
pub fn check(tier: SubscriptionTier, resource: Resource, held: u64) -> Result<(), ApiError> {
    let Some(max) = limit(tier, resource) else {
        return Ok(());
    };
    if held < max {
        return Ok(());
    }
    let mut message = format!(
        "Your {} plan allows {max} {}.",
        name(tier),
        resource.noun(max)
    );
    if let Some(next) = next(tier) {
        message.push_str(&format!(
            " Upgrade to {} for {}.",
            name(next),
            allowance(next, resource)
        ));
    }
    Err(ApiError::Forbidden(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(tier: SubscriptionTier, resource: Resource, held: u64) -> String {
        match check(tier, resource, held) {
            Err(ApiError::Forbidden(message)) => message,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn each_tier_stops_at_its_limit_and_names_the_next() {
        assert!(check(SubscriptionTier::Free, Resource::Portfolio, 0).is_ok());
        assert_eq!(
            refusal(SubscriptionTier::Free, Resource::Portfolio, 1),
            "Your Free plan allows 1 portfolio. Upgrade to Starter for up to 3 portfolios."
        );
        assert_eq!(
            refusal(SubscriptionTier::Starter, Resource::Resume, 3),
            "Your Starter plan allows 3 resumes. Upgrade to Pro for unlimited resumes."
        );
        assert_eq!(
            refusal(SubscriptionTier::Pro, Resource::Portfolio, 10),
            "Your Pro plan allows 10 portfolios. Upgrade to Premium for unlimited portfolios."
        );
        assert!(check(SubscriptionTier::Pro, Resource::Resume, 500).is_ok());
        assert!(check(SubscriptionTier::Premium, Resource::Portfolio, 10_000).is_ok());
    }
}
