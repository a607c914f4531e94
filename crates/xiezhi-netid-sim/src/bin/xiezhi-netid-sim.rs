//! `xiezhi-netid-sim --listen 127.0.0.1:PORT [--app ID:SECRET]... [--ttl SECS]`: runs the
//! network identity service simulator (not the real service). Without `--app`, one app
//! `demo-app` with a random secret is registered and both are printed on stdout.

use std::process::ExitCode;

use xiezhi_netid_sim::{App, SimConfig};

const USAGE: &str = "usage: xiezhi-netid-sim --listen 127.0.0.1:PORT [--app ID:SECRET]... [--ttl SECS]\n\
    Simulator of the national network identity authentication public service (网号/网证),\n\
    built from public descriptions; NOT the real service's API. See docs/netid-simulator.md.";

fn parse() -> Result<(String, SimConfig), String> {
    let mut listen = None;
    let mut config = SimConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next(),
            "--app" => {
                let v = args.next().ok_or("--app needs ID:SECRET")?;
                let (id, secret) = v.split_once(':').ok_or("--app needs ID:SECRET")?;
                if id.is_empty() || secret.len() < 16 {
                    return Err(
                        "--app needs a non-empty id and a secret of at least 16 characters".into(),
                    );
                }
                config.apps.push(App {
                    app_id: id.into(),
                    app_secret: secret.into(),
                });
            }
            "--ttl" => {
                config.credential_ttl_secs = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--ttl needs a number of seconds")?;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let listen = listen.ok_or("--listen ADDR is required")?;
    Ok((listen, config))
}

#[tokio::main]
async fn main() -> ExitCode {
    let (listen, mut config) = match parse() {
        Ok(x) => x,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if config.apps.is_empty() {
        let mut b = [0u8; 24];
        if getrandom::fill(&mut b).is_err() {
            eprintln!("error: the OS random source failed");
            return ExitCode::FAILURE;
        }
        let secret = hex::encode(b);
        println!("simulator app: app_id=demo-app app_secret={secret}");
        config.apps.push(App {
            app_id: "demo-app".into(),
            app_secret: secret,
        });
    }
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(a) => {
            println!("xiezhi-netid-sim (SIMULATOR, not the real service) listening on http://{a}")
        }
        Err(_) => println!("xiezhi-netid-sim (SIMULATOR) listening"),
    }
    if let Err(e) = xiezhi_netid_sim::serve(listener, config).await {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
