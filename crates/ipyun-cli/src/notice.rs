//! `ipyun notice verify FILE`: checks a notice (its JSON file or its PDF) offline.

use ipyun_notice::{NoticeKind, NoticePublicKey, extract_signed_notice, format_yuan};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum NoticeCommand {
    /// Verify a notice offline: its signature, and (with --public-key) that the platform signed it.
    /// Prints `notice NUMBER verified …` and exits 0, or `notice NOT verified: REASON` and exits 1.
    Verify {
        /// The notice as downloaded: the JSON file or the PDF.
        file: PathBuf,
        /// The platform's published key (`ipyun-notice-pub-v1:…`, from `/api/v1/notice-key`), or a
        /// file holding it. Without it the notice is checked against the key it carries, and that
        /// key's fingerprint is printed for you to compare with the published one.
        #[arg(long)]
        public_key: Option<String>,
    },
}

fn kind_label(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Registration => "registration 设立登记",
        NoticeKind::Refusal => "refusal 不予登记",
        NoticeKind::Amendment => "amendment 变更登记",
        NoticeKind::Cancellation => "cancellation 注销登记",
    }
}

pub fn run(command: NoticeCommand) -> anyhow::Result<ExitCode> {
    let NoticeCommand::Verify { file, public_key } = command;
    let bytes = std::fs::read(&file)
        .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", file.display()))?;
    let expected = match public_key {
        None => None,
        Some(text) => {
            let text = match std::fs::read_to_string(&text) {
                Ok(contents) => contents,
                Err(_) => text,
            };
            Some(
                NoticePublicKey::from_text(text.trim())
                    .map_err(|error| anyhow::anyhow!("bad --public-key: {error}"))?,
            )
        }
    };
    let notice = match extract_signed_notice(&bytes) {
        Ok(notice) => notice,
        Err(error) => {
            println!("notice NOT verified: {error}");
            return Ok(ExitCode::from(1));
        }
    };
    if let Err(error) = notice.verify(expected.as_ref()) {
        println!("notice NOT verified: {error}");
        return Ok(ExitCode::from(1));
    }
    let signer = notice
        .signer()
        .map(|key| key.fingerprint())
        .unwrap_or_default();
    let document = &notice.document;
    let trust = if expected.is_some() {
        "signed by the expected key"
    } else {
        "signature valid; compare the key fingerprint with the published one"
    };
    println!("notice {} verified: {trust}", document.notice_no);
    println!("kind\t{}", kind_label(document.kind));
    if let Some(registration_no) = &document.registration_no {
        println!("registration\t{registration_no}");
    }
    println!("issued\t{}", document.issued_on);
    println!("pledgor\t{}", document.pledgors.join("; "));
    println!("pledgee\t{}", document.pledgee);
    for right in &document.rights {
        println!("right\t{}\t{}\t{}", right.number, right.kind, right.title);
    }
    println!(
        "secured amount\t{} yuan",
        format_yuan(document.secured_amount_fen)
    );
    for ground in &document.grounds {
        println!("ground\t{}\t{}", ground.code, ground.ground);
    }
    println!("key fingerprint\t{signer}");
    Ok(ExitCode::SUCCESS)
}
