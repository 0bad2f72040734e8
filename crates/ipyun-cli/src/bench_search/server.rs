//! Step 2: a server over the imported data directory, started as an operator starts it — this
//! binary's `ipyun serve` in a process of its own (rate limit off) — timed from the start to its
//! first search answer; or, for tests, the router served inside this process.

use crate::context::SystemClock;
use anyhow::{Context, bail};
use ipyun_app::App;
use ipyun_app::auth::AuthSettings;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a server may take to listen and answer before the bench gives up.
const START_LIMIT: Duration = Duration::from_secs(120);

enum Running {
    Process(Child),
    InProcess(tokio::task::JoinHandle<()>),
}

/// A running server; stopped when dropped.
pub struct Server {
    running: Running,
    pub base: String,
    /// From the start until it listens.
    pub listening: Duration,
    /// From the start until the first successful search answer.
    pub first_answer: Duration,
}

impl Server {
    /// The server's process id (`None`: this process).
    pub fn pid(&self) -> Option<u32> {
        match &self.running {
            Running::Process(child) => Some(child.id()),
            Running::InProcess(_) => None,
        }
    }

    pub fn in_process(&self) -> bool {
        matches!(self.running, Running::InProcess(_))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        match &mut self.running {
            Running::Process(child) => {
                // Only the child this bench started, by its id.
                let _ = child.kill();
                let _ = child.wait();
            }
            Running::InProcess(task) => task.abort(),
        }
    }
}

/// A field of `/proc/PID/status` (or this process's) in kB: `VmRSS`, `VmHWM`.
pub fn proc_status_kb(pid: Option<u32>, key: &str) -> Option<u64> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/status"),
        None => "/proc/self/status".to_string(),
    };
    let status = std::fs::read_to_string(path).ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// Starts `ipyun serve` on the data directory and waits for the address it logs.
async fn spawn_process(data_dir: &Path, cache: bool) -> anyhow::Result<(Child, SocketAddr)> {
    let exe = std::env::current_exe().context("cannot find this program to start the server")?;
    let mut command = Command::new(exe);
    command.args(["serve", "--addr", "127.0.0.1:0", "--search-rate-limit", "0"]);
    if !cache {
        command.args(["--search-cache", "0"]);
    }
    let mut child = command
        .arg("--data")
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env_remove("IPYUN_LOG_FORMAT")
        .env("IPYUN_LOG", "warn,ipyun::serve=info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start `ipyun serve`")?;
    let stderr = child.stderr.take().context("the server's stderr")?;
    let (sender, receiver) = std::sync::mpsc::channel();
    // Reads the log to its end, so that the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if !sent && let Some((_, rest)) = line.split_once("open http://") {
                let addr = rest.split('/').next().unwrap_or_default().to_string();
                sent = sender.send(Ok(addr)).is_ok();
            } else if !sent && line.starts_with("error:") {
                let _ = sender.send(Err(line));
            }
        }
    });
    let waited = tokio::task::spawn_blocking(move || receiver.recv_timeout(START_LIMIT)).await?;
    match waited {
        Ok(Ok(addr)) => Ok((
            child,
            addr.parse().context("the address the server logged")?,
        )),
        Ok(Err(line)) => {
            let _ = child.kill();
            let _ = child.wait();
            bail!("`ipyun serve` did not start: {line}")
        }
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            bail!("`ipyun serve` stopped or did not log its address within {START_LIMIT:?}")
        }
    }
}

/// The router inside this process, opened as `ipyun serve` opens it.
async fn serve_here(
    data_dir: &Path,
    cache: bool,
) -> anyhow::Result<(tokio::task::JoinHandle<()>, SocketAddr)> {
    let db = ipyun_db::Db::open_sqlite_dir(data_dir).await?;
    let app = App::new(db, Arc::new(SystemClock), AuthSettings::production())
        .with_search_dir(&crate::context::search_dir(data_dir))
        .map_err(crate::admin::describe)?;
    if !cache {
        app.set_search_cache(0);
    }
    let mut state = ipyun_web::AppState::new(app, None);
    state.search_limiter = Arc::new(ipyun_web::ratelimit::RateLimiter::new(None));
    let router = ipyun_web::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        if let Err(error) = axum::serve(listener, service).await {
            tracing::warn!(%error, "the bench server stopped");
        }
    });
    Ok((task, addr))
}

/// Starts a server (`cache`: with its result cache for costly searches, as by default) and times
/// it to its first answer to `probe` (a search query).
pub async fn start(
    data_dir: &Path,
    in_process: bool,
    cache: bool,
    http: &reqwest::Client,
    probe: &str,
) -> anyhow::Result<Server> {
    let started = Instant::now();
    let (running, addr) = if in_process {
        let (task, addr) = serve_here(data_dir, cache).await?;
        (Running::InProcess(task), addr)
    } else {
        let (child, addr) = spawn_process(data_dir, cache).await?;
        (Running::Process(child), addr)
    };
    let listening = started.elapsed();
    let mut server = Server {
        running,
        base: format!("http://{addr}"),
        listening,
        first_answer: Duration::ZERO,
    };
    let url = super::load::search_url(&server.base, probe);
    loop {
        match http.get(&url).send().await {
            Ok(response) if response.status().is_success() => {
                response.bytes().await?;
                break;
            }
            Ok(response) if started.elapsed() > START_LIMIT => {
                bail!("the server answers {} to {url}", response.status())
            }
            Err(error) if started.elapsed() > START_LIMIT => {
                bail!("the server does not answer {url}: {error}")
            }
            _ => tokio::time::sleep(Duration::from_millis(5)).await,
        }
    }
    server.first_answer = started.elapsed();
    Ok(server)
}
