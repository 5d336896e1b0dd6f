//! Kleene three-valued logic: a missing fact is `Unknown`, never silently false.

/// The value of a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Truth {
    /// Holds.
    True,
    /// Does not hold.
    False,
    /// Depends on a fact the campaign does not declare.
    Unknown,
}

impl Truth {
    /// From a known boolean.
    pub fn from_bool(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }

    /// Kleene `and`: false wins, then unknown.
    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Unknown,
        }
    }

    /// Kleene `or`: true wins, then unknown.
    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::False, Truth::False) => Truth::False,
            _ => Truth::Unknown,
        }
    }

    /// Kleene `not`: unknown stays unknown.
    pub fn negate(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    /// The word used in explanations and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Truth::{self, *};

    #[test]
    fn kleene_tables() {
        let all = [True, False, Unknown];
        for a in all {
            for b in all {
                // De Morgan holds in Kleene logic.
                assert_eq!(a.and(b).negate(), a.negate().or(b.negate()));
                assert_eq!(a.and(b), b.and(a));
            }
        }
        assert_eq!(False.and(Unknown), False);
        assert_eq!(True.or(Unknown), True);
        assert_eq!(Unknown.negate(), Unknown);
        assert_eq!(Truth::from_bool(true), True);
    }
}
