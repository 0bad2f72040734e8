//! A small, self-contained pseudo-random generator (SplitMix64), so the demo data set never
//! changes with a dependency upgrade.

/// SplitMix64: fast, well mixed, and fixed forever.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            state: seed ^ 0x5DEE_CE66_D1CE_4E5B,
        }
    }

    /// An independent stream for one part of the data set, so that adding draws to one part does
    /// not shift every other part.
    pub(crate) fn fork(&mut self, salt: u64) -> Rng {
        let base = self.next_u64();
        Rng::new(base ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        let n64 = u64::try_from(n).unwrap_or(u64::MAX);
        if n64 == 0 {
            return 0;
        }
        usize::try_from(self.next_u64() % n64).unwrap_or(0)
    }

    /// A number in `low..=high`.
    pub(crate) fn range(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        let span = u64::try_from(high - low).unwrap_or(0).saturating_add(1);
        let offset = if span == 0 {
            self.next_u64()
        } else {
            self.next_u64() % span
        };
        low.saturating_add(i64::try_from(offset).unwrap_or(0))
    }

    /// True with probability `per_mille` / 1000.
    pub(crate) fn chance(&mut self, per_mille: u32) -> bool {
        self.next_u64() % 1000 < u64::from(per_mille)
    }

    /// One element of a non-empty list of `Copy` values (the default when the list is empty).
    pub(crate) fn pick<T: Copy + Default>(&mut self, items: &[T]) -> T {
        let index = self.below(items.len());
        items.get(index).copied().unwrap_or_default()
    }

    /// An index chosen with the given weights (0 when every weight is 0).
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|weight| u64::from(*weight)).sum();
        if total == 0 {
            return 0;
        }
        let mut roll = self.next_u64() % total;
        for (index, weight) in weights.iter().enumerate() {
            let weight = u64::from(*weight);
            if roll < weight {
                return index;
            }
            roll -= weight;
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn same_seed_same_stream() {
        let mut first = Rng::new(7);
        let mut second = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(first.next_u64(), second.next_u64());
        }
        let mut other = Rng::new(8);
        assert_ne!(Rng::new(7).next_u64(), other.next_u64());
    }

    #[test]
    fn helpers_stay_in_bounds() {
        let mut rng = Rng::new(1);
        for _ in 0..1000 {
            assert!(rng.below(7) < 7);
            let value = rng.range(-3, 3);
            assert!((-3..=3).contains(&value));
            assert!(rng.weighted(&[0, 5, 0, 1]) % 2 == 1);
        }
    }
}
