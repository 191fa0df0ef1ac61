//! Operations: health, Prometheus metrics, embedded static assets, request metrics.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::AppState;
use crate::error::AppError;

/// The process-wide metrics recorder. Installed once; tests that build several apps share it.
fn prometheus() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Fails only if another recorder was installed first; then ours just stays empty.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

pub fn init_metrics() {
    let _ = prometheus();
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
        }
    }
}

/// `GET /metrics` in the Prometheus text format.
pub async fn metrics_text() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], prometheus().render()).into_response()
}

/// Count requests and time them, labelled by route pattern (never by raw path, which would
/// put ids into label values).
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".to_owned());
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("sinergi_http_requests_total", &labels).increment(1);
    metrics::histogram!("sinergi_http_request_duration_seconds", &labels).record(start.elapsed().as_secs_f64());
    response
}

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

/// Every asset is in the binary: many Pemda networks are slow or filtered, so no CDN.
const ASSETS: &[Asset] = &[
    Asset { name: "app.css", mime: "text/css; charset=utf-8", body: include_bytes!("../assets/app.css") },
    Asset {
        name: "htmx.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/htmx.min.js"),
    },
    Asset { name: "app.js", mime: "text/javascript; charset=utf-8", body: include_bytes!("../assets/app.js") },
    Asset { name: "favicon.svg", mime: "image/svg+xml", body: include_bytes!("../assets/favicon.svg") },
];

pub async fn static_asset(Path(name): Path<String>) -> Result<Response, AppError> {
    let asset = ASSETS.iter().find(|a| a.name == name).ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, asset.mime), (header::CACHE_CONTROL, "public, max-age=3600")], asset.body)
        .into_response())
}

pub async fn favicon() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml")], include_bytes!("../assets/favicon.svg").as_slice()).into_response()
}
