//! A small deterministic random source (SplitMix64): the same seed gives the same corpus on
//! every platform and every version of every dependency.

#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

/// Mixes a seed and a stream number into an independent seed.
pub(crate) fn mix(seed: u64, stream: u64) -> u64 {
    let mut rng = Rng(seed ^ stream.wrapping_mul(0xd1b5_4a32_d192_ed03));
    rng.next_u64() ^ rng.next_u64().rotate_left(17)
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        let span = (high - low) as u64 + 1;
        low + ((u128::from(self.next_u64()) * u128::from(span)) >> 64) as i64
    }

    pub fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    /// An element, `None` for an empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    /// An index drawn with the given weights (0 for empty or all-zero weights).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut target = self.unit() * total;
        for (index, weight) in weights.iter().enumerate() {
            if target < *weight {
                return index;
            }
            target -= weight;
        }
        weights.len().saturating_sub(1)
    }

    /// A skewed index in `0..n`: small ones far more often (a Zipf-like head).
    pub fn skewed(&mut self, n: usize, power: f64) -> usize {
        ((self.unit().powf(power) * n as f64) as usize).min(n.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
            let value = a.between(-3, 5);
            assert!((-3..=5).contains(&value));
            assert!(a.below(10) < 10);
            assert!(a.skewed(100, 2.5) < 100);
            let unit = a.unit();
            assert!((0.0..1.0).contains(&unit));
            b.between(-3, 5);
            b.below(10);
            b.skewed(100, 2.5);
            b.unit();
        }
        assert_ne!(mix(1, 2), mix(2, 1));
    }
}
