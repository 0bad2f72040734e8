//! `ipyun import rights|parties FILE` and `ipyun export rights|parties FILE`.

use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct ImportArgs {
    /// rights or parties
    subject: String,
    file: PathBuf,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// rights or parties
    subject: String,
    file: PathBuf,
}

pub async fn import(_data_dir: &Path, _args: ImportArgs) -> anyhow::Result<()> {
    anyhow::bail!("import is not wired yet")
}

pub async fn export(_data_dir: &Path, _args: ExportArgs) -> anyhow::Result<()> {
    anyhow::bail!("export is not wired yet")
}
