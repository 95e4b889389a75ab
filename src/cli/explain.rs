//! `allyplan explain MODEL`: why is a model infeasible? Prints which rules conflict and
//! what each would have to give (stdout); exits 0 whether the model is feasible or not.

use allyplan::explain;
use allyplan::report::explain::render_text;
use allyplan::{Error, ExitCode};

use super::{Global, ModelArgs, Progress};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Print the explanation as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    let (scenario, _) = args.model.load(global)?;
    let spinner = Progress::start(global, &format!("explaining {}", scenario.name));
    let explanation = explain(&scenario);
    spinner.finish();
    let explanation = explanation?;
    if args.json {
        let text =
            serde_json::to_string_pretty(&explanation).map_err(|e| Error::Other(e.to_string()))?;
        out!("{text}");
    } else {
        print!("{}", render_text(&explanation));
    }
    Ok(ExitCode::Ok)
}
