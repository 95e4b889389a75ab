//! `allyplan init DIR`: write a small, commented starter scenario.

use std::path::PathBuf;

use allyplan::{Error, ExitCode};

use super::Global;

#[derive(clap::Args)]
pub struct Args {
    /// Folder to write model.yaml and data/ into (created if needed; no file there is
    /// replaced).
    pub dir: PathBuf,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let written = allyplan::init(&args.dir)?;
    if !global.quiet {
        for path in &written {
            say!("wrote {}", path.display());
        }
        let model = args.dir.join("model.yaml");
        say!(
            "next: allyplan validate {m}, then allyplan solve {m}",
            m = model.display()
        );
    }
    Ok(ExitCode::Ok)
}
