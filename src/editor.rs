//! The $VISUAL/$EDITOR round trip on a private temporary file, shared by the workspace (which
//! suspends itself around it) and the command line.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context as _;

/// Writes `text` to a private temporary file named after `label`, opens it in the editor and
/// returns what was saved; the file is removed either way.
pub fn edit_text(label: &str, text: &str) -> anyhow::Result<String> {
    let path = temp_path(label);
    write_private(&path, text).context("cannot prepare the text for editing")?;
    let edited = run_editor(&path)
        .and_then(|()| std::fs::read_to_string(&path).context("cannot read the edited text back"));
    let _ = std::fs::remove_file(&path);
    edited
}

/// `rapport-LABEL-PID.txt` in the temporary folder: one per process and purpose.
pub fn temp_path(label: &str) -> PathBuf {
    std::env::temp_dir().join(format!("rapport-{}-{}.txt", label, std::process::id()))
}

/// What is edited is private data: the temporary file is readable by its owner only.
pub fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let _ = std::fs::remove_file(path);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    if !text.is_empty() && !text.ends_with('\n') {
        file.write_all(b"\n")?;
    }
    Ok(())
}

/// $VISUAL, else $EDITOR, else vi, on `path`.
pub fn run_editor(path: &Path) -> anyhow::Result<()> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|e| !e.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".into());
    // Through the shell, so EDITOR may carry arguments (`code -w`); the path is passed as $1.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{} \"$1\"", editor))
        .arg("sh")
        .arg(path)
        .status()
        .with_context(|| format!("cannot start the editor '{}'", editor))?;
    if !status.success() {
        anyhow::bail!("the editor '{}' failed ({})", editor, status);
    }
    Ok(())
}
