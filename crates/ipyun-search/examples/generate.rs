//! Writes generated patents as JSON Lines to standard output:
//! `cargo run -p ipyun-search --release --example generate -- COUNT [SEED]`.

use std::io::{BufWriter, stdout};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(10);
    let seed = args.next().and_then(|arg| arg.parse().ok()).unwrap_or(1);
    let out = BufWriter::new(stdout().lock());
    ipyun_search::generator::write_jsonl(ipyun_search::generator::generate(count, seed), out)?;
    Ok(())
}
