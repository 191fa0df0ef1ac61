//! The binary's subcommands on a real SQLite file.

use std::io::Write;
use std::process::{Command, Stdio};

fn sinergi(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(args)
        .env("SINERGI_DATA_DIR", dir)
        .env_remove("SINERGI_DATABASE_URL")
        .env("SINERGI_LOG", "warn")
        .output()
        .expect("run sinergi")
}

#[test]
fn migrate_demo_user_backup_and_check() {
    let dir = tempfile::tempdir().expect("dir");
    let check = sinergi(dir.path(), &["check"]);
    assert!(!check.status.success(), "an empty database has pending migrations");
    assert!(String::from_utf8_lossy(&check.stderr).contains("migrations pending"));

    assert!(sinergi(dir.path(), &["migrate"]).status.success());
    let again = sinergi(dir.path(), &["migrate"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("migrations applied: []"), "migrate is idempotent");
    assert!(sinergi(dir.path(), &["check"]).status.success());

    let demo = sinergi(dir.path(), &["demo"]);
    assert!(demo.status.success());
    assert!(String::from_utf8_lossy(&demo.stdout).contains("region-admin@kota-serang.demo.sinergi.id"));

    let mut add = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args([
            "user",
            "add",
            "--email",
            "sekda@serangkota.go.id",
            "--name",
            "Sekretariat",
            "--role",
            "viewer",
            "--tenant",
            "36.73",
            "--password-stdin",
        ])
        .env("SINERGI_DATA_DIR", dir.path())
        .env("SINERGI_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    add.stdin.take().expect("stdin").write_all(b"rahasia-kota-serang\n").expect("write");
    assert!(add.wait_with_output().expect("wait").status.success());
    let list = sinergi(dir.path(), &["user", "list", "--tenant", "36.73"]);
    let out = String::from_utf8_lossy(&list.stdout);
    assert!(out.contains("sekda@serangkota.go.id") && !out.contains("kabupaten-serang"), "{out}");

    let bad = sinergi(
        dir.path(),
        &["user", "add", "--email", "x", "--name", "X", "--role", "viewer", "--tenant", "36.73", "--password-stdin"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("email"), "the error names the field");

    let target = dir.path().join("cadangan.db");
    let backup = sinergi(dir.path(), &["backup", "--to", target.to_str().expect("path")]);
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    assert!(target.metadata().expect("backup file").len() > 0);

    let pg = Command::new(env!("CARGO_BIN_EXE_sinergi"))
        .args(["backup", "--to", "x.dump"])
        .env("SINERGI_DATABASE_URL", "postgres://nobody:rahasia@127.0.0.1:1/none")
        .env("SINERGI_LOG", "warn")
        .output()
        .expect("run");
    assert!(!pg.status.success());
    assert!(!String::from_utf8_lossy(&pg.stderr).contains("rahasia"), "the password never reaches the output");
}
