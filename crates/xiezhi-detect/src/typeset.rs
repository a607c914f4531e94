//! A set of PI types as a bit mask (there are fewer than 64 types).

use xiezhi_model::PiType;

/// A set of [`PiType`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TypeSet(u64);

impl TypeSet {
    /// No type.
    pub const EMPTY: TypeSet = TypeSet(0);

    /// Every type.
    pub fn all() -> TypeSet {
        let mut s = TypeSet::EMPTY;
        for &t in PiType::ALL {
            s = s.with(t);
        }
        s
    }

    /// The set of the given types.
    pub const fn of(types: &[PiType]) -> TypeSet {
        let mut bits = 0u64;
        let mut i = 0;
        while i < types.len() {
            bits |= 1u64 << (types[i] as u32);
            i += 1;
        }
        TypeSet(bits)
    }

    /// This set plus one type.
    pub const fn with(self, t: PiType) -> TypeSet {
        TypeSet(self.0 | (1u64 << (t as u32)))
    }

    /// This set without one type.
    pub const fn without(self, t: PiType) -> TypeSet {
        TypeSet(self.0 & !(1u64 << (t as u32)))
    }

    /// Whether `t` is in the set.
    pub const fn contains(self, t: PiType) -> bool {
        self.0 & (1u64 << (t as u32)) != 0
    }

    /// Union.
    pub const fn union(self, other: TypeSet) -> TypeSet {
        TypeSet(self.0 | other.0)
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The types in catalog order.
    pub fn iter(self) -> impl Iterator<Item = PiType> {
        PiType::ALL
            .iter()
            .copied()
            .filter(move |t| self.contains(*t))
    }
}

impl FromIterator<PiType> for TypeSet {
    fn from_iter<I: IntoIterator<Item = PiType>>(iter: I) -> Self {
        iter.into_iter().fold(TypeSet::EMPTY, TypeSet::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let s = TypeSet::of(&[PiType::Email, PiType::CnMobile]);
        assert!(s.contains(PiType::Email));
        assert!(!s.contains(PiType::Vin));
        assert_eq!(s.iter().count(), 2);
        assert!(!s.without(PiType::Email).contains(PiType::Email));
        assert_eq!(TypeSet::all().iter().count(), PiType::COUNT);
    }
}
