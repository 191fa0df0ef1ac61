//! A running Sinergi for tests: the real router on a free port of 127.0.0.1, a fresh SQLite
//! database with the demo data, and helpers to act as any demo user.

#![allow(dead_code)]

use std::net::SocketAddr;

use sinergi_domain::Role;
use sinergi_domain::auth::Email;
use sinergi_store::Store;
use sinergi_store::sessions::{SessionKind, SessionPolicy};
use sinergi_store::testing::TestDatabase;
use sinergi_store::users::User;
use sinergi_web::{AppState, WebConfig};

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub http: reqwest::Client,
    /// The app's registries (entity resolution and the list's search), shared with the router.
    pub registries: std::sync::Arc<sinergi_umkm::Registries>,
    _db: TestDatabase,
}

/// A logged-in browser session, minted directly in the store (no password hashing per test).
pub struct Session {
    pub user: User,
    pub token: String,
    pub csrf: String,
}

impl TestApp {
    pub async fn start() -> Self {
        Self::start_with(WebConfig::default()).await
    }

    pub async fn start_with(config: WebConfig) -> Self {
        let db = TestDatabase::sqlite().await;
        // A small generated registry: every test app loads the demo, and the 48,000 businesses of
        // `serve --demo` would only slow them down.
        sinergi_demo::load_with(&db.store, sinergi_demo::DemoOptions { umkm_generated: 300 }).await.expect("demo data");
        let state = AppState::new(db.store.clone(), config);
        let registries = state.registries.clone();
        let app = sinergi_web::app(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.expect("serve");
        });
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Self { base: format!("http://{addr}"), store: db.store.clone(), http, registries, _db: db }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn user(&self, role: Role, slug: &str) -> User {
        let email = if role == Role::PlatformAdmin {
            sinergi_demo::PLATFORM_ADMIN_EMAIL.to_owned()
        } else {
            sinergi_demo::demo_email(role, slug)
        };
        self.store.user_for_login(&Email::parse(&email).expect("email")).await.expect("lookup").expect("demo user").0
    }

    pub async fn session(&self, role: Role, slug: &str) -> Session {
        let user = self.user(role, slug).await;
        self.session_for(user).await
    }

    pub async fn session_for(&self, user: User) -> Session {
        let issued =
            self.store.create_session(&user, SessionKind::Web, None, &SessionPolicy::default()).await.expect("session");
        Session { user, token: issued.token, csrf: issued.csrf_token }
    }

    pub fn get(&self, s: Option<&Session>, path: &str) -> reqwest::RequestBuilder {
        with_cookie(self.http.get(self.url(path)), s)
    }

    pub fn post_form(&self, s: Option<&Session>, path: &str, fields: &[(&str, &str)]) -> reqwest::RequestBuilder {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if let Some(s) = s {
            all.push(("csrf_token", &s.csrf));
        }
        let body = serde_urlencoded::to_string(&all).expect("form");
        with_cookie(self.http.post(self.url(path)), s)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    }
}

fn with_cookie(rb: reqwest::RequestBuilder, s: Option<&Session>) -> reqwest::RequestBuilder {
    match s {
        Some(s) => rb.header("cookie", format!("sinergi_session={}", s.token)),
        None => rb,
    }
}

/// The value of the first hidden `csrf_token` field of a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    html[at..].split('"').next().map(str::to_owned)
}
