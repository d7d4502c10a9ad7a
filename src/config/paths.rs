//! Where Rapport keeps its files when `--db` and `--config` are not given.

use std::path::PathBuf;

/// Where Rapport keeps its files by default (XDG on Linux).
pub struct DefaultPaths {
    pub database: PathBuf,
    pub config: PathBuf,
}

pub fn default_paths() -> Result<DefaultPaths, String> {
    let dirs = directories::ProjectDirs::from("", "", "rapport")
        .ok_or("cannot find the home directory to place the database; pass --db PATH")?;
    Ok(DefaultPaths {
        database: dirs.data_dir().join("rapport.db"),
        config: dirs.config_dir().join("config.toml"),
    })
}
