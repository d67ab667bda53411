//! What the tests that run `dylive mock` share: the running mock. Each test
//! file uses a part of it.
#![allow(dead_code)]

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use tempfile::TempDir;

/// A running `dylive mock` on a free port of 127.0.0.1, killed on drop; its
/// standard error goes to a file, read with [`Mock::stderr`].
pub struct Mock {
    /// The process.
    pub child: Child,
    /// Its base URL, `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its address, `127.0.0.1:PORT`.
    pub address: String,
    stderr: PathBuf,
    _dir: TempDir,
}

impl Mock {
    /// Starts `dylive mock` with `flags` and waits for its base URL.
    pub fn start(flags: &[&str]) -> Mock {
        let dir = tempfile::tempdir().expect("a temp folder");
        let stderr = dir.path().join("stderr.txt");
        let mut child = Command::new(env!("CARGO_BIN_EXE_dylive"))
            .args(["mock", "--addr", "127.0.0.1:0"])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(File::create(&stderr).expect("stderr file"))
            .spawn()
            .expect("the mock starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("the base URL");
        let base = first.trim().to_owned();
        let address = base.strip_prefix("http://").unwrap_or_default().to_owned();
        let stderr_text = std::fs::read_to_string(&stderr).unwrap_or_default();
        assert!(!address.is_empty(), "no base URL from `dylive mock {flags:?}`: {stderr_text}");
        Mock { child, base, address, stderr, _dir: dir }
    }

    /// A mock started by the caller, on `address`, writing its standard
    /// error to `stderr` in `dir`.
    pub fn attach(child: Child, address: String, stderr: PathBuf, dir: TempDir) -> Mock {
        Mock { child, base: format!("http://{address}"), address, stderr, _dir: dir }
    }

    /// What it wrote to standard error so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
