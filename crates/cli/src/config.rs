//! Configuration: command-line flags, then `SINERGI_*` environment variables (clap reads both),
//! then a TOML file, then defaults. Secrets never reach a log: `DatabaseUrl` redacts its
//! password in `Debug` and `Display`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;
use sinergi_store::DatabaseUrl;

/// The TOML file (`sinergi.toml`): every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub bind: Option<String>,
    pub secure_cookies: Option<bool>,
    pub log_format: Option<String>,
}

impl FileConfig {
    /// Read the file named by `--config`, or `./sinergi.toml` when it exists.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from("sinergi.toml"), false),
        };
        if !path.exists() {
            anyhow::ensure!(!required, "config file {} not found", path.display());
            return Ok(Self::default());
        }
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("in config file {}", path.display()))
    }
}

/// The database to use: the explicit URL, or the embedded SQLite file in the data directory.
pub fn database_url(cli: Option<&str>, data_dir: Option<&Path>, file: &FileConfig) -> anyhow::Result<DatabaseUrl> {
    if let Some(url) = cli.or(file.database_url.as_deref()) {
        return DatabaseUrl::parse(url).map_err(|e| anyhow::anyhow!("{e}"));
    }
    let dir = data_dir
        .map(Path::to_path_buf)
        .or_else(|| file.data_dir.clone())
        .unwrap_or_else(|| PathBuf::from("sinergi-data"));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating data directory {}", dir.display()))?;
    Ok(DatabaseUrl::sqlite_in(&dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_values_fill_in_and_unknown_keys_are_refused() {
        let cfg: FileConfig =
            toml::from_str("database_url = \"postgres://u:secret@db/sinergi\"\nbind = \"0.0.0.0:8080\"").unwrap();
        let url = database_url(None, None, &cfg).unwrap();
        assert!(!format!("{url:?}").contains("secret"));
        assert!(toml::from_str::<FileConfig>("databse_url = \"x\"").is_err());
        let flag = database_url(Some("sqlite://x.db"), None, &cfg).unwrap();
        assert_eq!(flag.expose(), "sqlite://x.db", "the flag wins over the file");
    }
}
