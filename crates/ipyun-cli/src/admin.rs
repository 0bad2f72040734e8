//! `ipyun admin create-user` and `ipyun admin create-token`: the operator acts as the platform.

use crate::context;
use ipyun_app::auth::{UserDraft, system_principal};
use std::path::Path;

#[derive(clap::Subcommand)]
pub enum AdminCommand {
    /// Create a user account.
    CreateUser {
        #[arg(long)]
        username: String,
        /// The password; read from IPYUN_PASSWORD when not given.
        #[arg(long, env = "IPYUN_PASSWORD", hide_env_values = true)]
        password: String,
        /// enterprise, lender, insurer, appraiser, agency, park, examiner, provincial_office, national_office, platform_admin
        #[arg(long)]
        role: String,
        /// The organisation (party id) the user acts for.
        #[arg(long)]
        party_id: Option<i64>,
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Issue an API token for a user; prints it once.
    CreateToken {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "api")]
        name: String,
    },
}

pub async fn run(data_dir: &Path, command: AdminCommand) -> anyhow::Result<()> {
    let app = context::open_app(data_dir).await?;
    let operator = system_principal();
    match command {
        AdminCommand::CreateUser {
            username,
            password,
            role,
            party_id,
            display_name,
        } => {
            let draft = UserDraft {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                password,
                role,
                party_id,
            };
            let id = app.create_user(&operator, &draft).await.map_err(describe)?;
            println!("created user {} (id {id})", draft.username);
        }
        AdminCommand::CreateToken { username, name } => {
            let token = app
                .create_api_token(&operator, &username, &name)
                .await
                .map_err(describe)?;
            println!("{token}");
        }
    }
    Ok(())
}

/// An application error as one readable line, with each field finding.
pub fn describe(error: ipyun_app::AppError) -> anyhow::Error {
    let mut text = error.message.clone();
    for detail in &error.details {
        text.push_str(&format!(
            "\n  {}: {} ({})",
            detail.field, detail.message, detail.code
        ));
    }
    anyhow::anyhow!("{text} [{}]", error.code)
}
