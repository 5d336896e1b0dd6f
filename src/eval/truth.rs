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

    /// Strong Kleene logic, spec 3.1: the full tables, written out.
    #[test]
    fn kleene_tables() {
        let all = [True, False, Unknown];
        let and = [[True, False, Unknown], [False, False, False], [Unknown, False, Unknown]];
        let or = [[True, True, True], [True, False, Unknown], [True, Unknown, Unknown]];
        for (i, a) in all.into_iter().enumerate() {
            for (j, b) in all.into_iter().enumerate() {
                assert_eq!(a.and(b), and[i][j], "{a:?} and {b:?}");
                assert_eq!(a.or(b), or[i][j], "{a:?} or {b:?}");
                // De Morgan holds in Kleene logic.
                assert_eq!(a.and(b).negate(), a.negate().or(b.negate()));
            }
        }
        assert_eq!(all.map(Truth::negate), [False, True, Unknown]);
        assert_eq!([true, false].map(Truth::from_bool), [True, False]);
    }
}
