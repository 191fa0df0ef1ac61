//! Configuration: command-line flags, then `SINERGI_*` environment variables (clap reads both),
//! then a TOML file, then defaults. Secrets never reach a log: `DatabaseUrl` redacts its
//! password in `Debug` and `Display`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;
use sinergi_store::DatabaseUrl;
use sinergi_store::vault::DataKey;

/// The TOML file (`sinergi.toml`): every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub bind: Option<String>,
    pub secure_cookies: Option<bool>,
    pub log_format: Option<String>,
    /// 64 hexadecimal characters: the key that seals NIK and NPWP at rest.
    pub data_key: Option<String>,
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

/// The key that seals personal data: given (flag, `SINERGI_DATA_KEY`, or the file), or kept in
/// `data.key` in the data directory, created on first start (readable by its owner only). An
/// operator who moves to PostgreSQL must carry the key along: without it the sealed NIKs are
/// lost, which is the point.
pub fn data_key(cli: Option<&str>, data_dir: Option<&Path>, file: &FileConfig) -> anyhow::Result<DataKey> {
    if let Some(key) = cli.or(file.data_key.as_deref()) {
        return DataKey::parse_hex(key).map_err(|e| anyhow::anyhow!("data_key: {e}"));
    }
    let dir = data_dir
        .map(Path::to_path_buf)
        .or_else(|| file.data_dir.clone())
        .unwrap_or_else(|| PathBuf::from("sinergi-data"));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating data directory {}", dir.display()))?;
    let path = dir.join("data.key");
    if path.exists() {
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        return DataKey::parse_hex(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
    }
    let key = DataKey::generate();
    write_private(&path, &key.to_hex()).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("kunci data baru dibuat: {} (simpan salinannya; tanpa kunci ini NIK tidak bisa dibuka)", path.display());
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
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

    #[test]
    fn a_data_key_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = FileConfig::default();
        let first = data_key(None, Some(dir.path()), &cfg).unwrap();
        let again = data_key(None, Some(dir.path()), &cfg).unwrap();
        assert_eq!(first.to_hex(), again.to_hex());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("data.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the owner may read the key");
        }
        assert!(data_key(Some("abc"), Some(dir.path()), &cfg).is_err());
    }
}
