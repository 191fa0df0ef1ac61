//! The daily job raises reminders once, and the outbox delivers them through a real SMTP
//! server on 127.0.0.1 (mailin-embedded), retrying when the server is away.

mod common;

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use common::TestApp;
use mailin_embedded::{Handler, Server, SslConfig};
use sinergi_domain::Role;
use sinergi_web::jobs::{MailConfig, deliver_mail, run_daily};

/// (recipients, raw message) of every mail the server accepted.
type Received = Arc<Mutex<Vec<(Vec<String>, String)>>>;

#[derive(Clone, Default)]
struct Inbox {
    mails: Received,
    current: Vec<u8>,
    to: Vec<String>,
}

impl Handler for Inbox {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> mailin_embedded::Response {
        self.to = to.to_vec();
        self.current.clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let body = String::from_utf8_lossy(&self.current).into_owned();
        if let Ok(mut m) = self.mails.lock() {
            m.push((self.to.clone(), body));
        }
        mailin_embedded::response::OK
    }
}

fn start_smtp(listener: TcpListener, inbox: Inbox) {
    std::thread::spawn(move || {
        let mut server = Server::new(inbox);
        server.with_name("smtp.test").with_tcp_listener(listener);
        if let Ok(s) = server.with_ssl(SslConfig::None) {
            let _ = s;
        }
        let _ = server.serve();
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_are_raised_once_and_mailed_through_smtp() {
    let app = TestApp::start().await;
    let today = time::macros::date!(2026 - 11 - 23);
    let first = run_daily(&app.store, today, "http://sinergi.test").await.expect("daily");
    assert!(first >= 3, "stopped-on-paper KBs and the Bank Indonesia PKS ending in 38 days ({first})");
    assert_eq!(run_daily(&app.store, today, "http://sinergi.test").await.expect("again"), 0, "nothing twice");

    // In the app, for Kota Serang's people.
    let admin = app.user(Role::RegionAdmin, "kota-serang").await;
    let notes = app.store.notifications(&admin.actor(), 20).await.expect("notifications");
    assert!(
        notes
            .iter()
            .any(|n| n.kind == "expiry" && n.message.contains("31 Desember 2026") && n.message.contains("38 hari"))
    );
    assert!(notes.iter().any(|n| n.kind == "dormant" && n.message.contains("literasi keuangan")));
    // Bank BJB's CSR report for the third quarter is late (Q3 ended on 30 September, and the
    // 30 days of grace are over); the second quarter's was sent back and is the company's.
    assert!(
        notes
            .iter()
            .any(|n| n.kind == "csr-late" && n.message.contains("Bank BJB") && n.message.contains("Triwulan 3 2026"))
    );
    assert!(
        !notes
            .iter()
            .any(|n| n.kind == "csr-late" && n.message.contains("Bank BJB") && n.message.contains("Triwulan 2 2026"))
    );

    // The SMTP server is down: nothing is lost, and the mail waits for a retry.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").expect("probe");
        l.local_addr().expect("addr").port()
    };
    let config =
        MailConfig::parse(&format!("smtp://127.0.0.1:{port}"), "Sinergi <noreply@sinergi.test>").expect("config");
    let (sent, failed) = deliver_mail(&app.store, &config).await.expect("deliver");
    assert_eq!(sent, 0);
    assert!(failed > 0);
    assert!(app.store.due_mail(100).await.expect("due").is_empty(), "failed mail waits for its backoff");

    // The server comes up; once the retry is due, everything goes out, once.
    let inbox = Inbox::default();
    let mails = inbox.mails.clone();
    start_smtp(TcpListener::bind(("127.0.0.1", port)).expect("bind smtp"), inbox);
    app.store.make_all_mail_due_for_test().await.expect("due now");
    let (sent, failed) = deliver_mail(&app.store, &config).await.expect("deliver");
    assert_eq!(failed, 0);
    assert!(sent >= 3);
    let received = mails.lock().map(|m| m.clone()).unwrap_or_default();
    assert_eq!(received.len(), sent);
    let to_serang: Vec<_> =
        received.iter().filter(|(to, _)| to.iter().any(|t| t.contains("region-admin@kota-serang"))).collect();
    assert!(to_serang.iter().any(|(_, body)| body.contains("Segera berakhir")), "the subject is in Indonesian");
    // The late CSR report goes to the company's own user, and only CSR reminders do.
    let to_bjb: Vec<_> =
        received.iter().filter(|(to, _)| to.iter().any(|t| t.contains("partner@kota-serang"))).collect();
    assert!(!to_bjb.is_empty(), "Bank BJB's user is reminded");
    assert!(to_bjb.iter().all(|(_, body)| body.contains("Laporan realisasi CSR terlambat")));
    assert_eq!(deliver_mail(&app.store, &config).await.expect("again"), (0, 0), "sent mail is not sent again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiring_umkm_permits_are_reminded_once_per_threshold() {
    use sinergi_domain::umkm::{Permit, PirtNumber, SourceRecord};
    use sinergi_store::umkm::{Incoming, Origin, Provenance, Resolution};
    let app = TestApp::start().await;
    let officer = app.user(Role::UmkmOfficer, "kabupaten-serang").await.actor();
    let kab = sinergi_domain::RegionCode::parse("36.04").expect("code");
    // A P-IRT whose number says it ends in 2026: valid to 31 December 2026.
    let record = SourceRecord {
        business_name: "Keripik Emping Tanara".into(),
        year: 2026,
        permits: vec![Permit::pirt(&PirtNumber::parse("2063604010213-26").expect("pirt"))],
        ..Default::default()
    };
    let incoming = Incoming {
        record,
        provenance: Provenance { source: "uji".into(), file_name: None, sheet: None, row: None, origin: Origin::Form },
        raw: Vec::new(),
    };
    app.store
        .commit_umkm_records(
            &officer,
            &kab,
            None,
            vec![(incoming, Resolution::New { cluster: 0, weight: None, explanation: None })],
        )
        .await
        .expect("business");
    let today = time::macros::date!(2026 - 11 - 23);
    run_daily(&app.store, today, "http://sinergi.test").await.expect("daily");
    let notes = app.store.notifications(&officer, 50).await.expect("notifications");
    let permit: Vec<_> = notes.iter().filter(|n| n.kind == "permit-expiry").collect();
    assert_eq!(permit.len(), 1, "{notes:?}");
    assert!(permit[0].message.contains("Keripik Emping Tanara") && permit[0].message.contains("31 Desember 2026"));
    assert!(permit[0].message.contains("38 hari") && permit[0].link.starts_with("/umkm/"));
    run_daily(&app.store, today, "http://sinergi.test").await.expect("again");
    let again = app.store.notifications(&officer, 50).await.expect("notifications");
    assert_eq!(again.iter().filter(|n| n.kind == "permit-expiry").count(), 1, "once per threshold");
}
