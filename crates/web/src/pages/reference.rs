//! Browsers of the reference data: regions (Kemendagri codes) and KBLI 2020, with type-ahead.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::{KbliCode, RegionCode, RegionLevel};

use super::{Shell, render};
use crate::auth::Ctx;
use crate::i18n::Tr;

pub struct RefRow {
    pub code: String,
    pub label: String,
    pub level: String,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "reference.html")]
struct ReferencePage {
    shell: Shell,
    heading: String,
    intro: String,
    placeholder: String,
    action: &'static str,
    q: String,
    crumbs: Vec<(String, String)>,
    rows: Vec<RefRow>,
    attribution: String,
}

#[derive(Deserialize, Default)]
pub struct RefQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    parent: String,
}

const LIMIT: usize = 50;

fn level_label(tr: Tr, level: RegionLevel) -> String {
    tr.t(match level {
        RegionLevel::Province => "level-province",
        RegionLevel::Regency => "level-regency",
        RegionLevel::District => "level-district",
        RegionLevel::Village => "level-village",
    })
}

pub async fn regions(ctx: Ctx, Query(q): Query<RefQuery>) -> Response {
    let tr = ctx.tr();
    let parent = RegionCode::parse(&q.parent).ok();
    let browse =
        |code: &RegionCode| (code.level() != RegionLevel::Village).then(|| format!("/reference/regions?parent={code}"));
    let rows: Vec<RefRow> = if q.q.trim().is_empty() {
        sinergi_reference::children(parent.as_ref())
            .into_iter()
            .map(|r| RefRow {
                code: r.code.to_string(),
                label: r.title().into_owned(),
                level: level_label(tr, r.level),
                href: browse(&r.code),
            })
            .collect()
    } else {
        sinergi_reference::search_regions(&q.q, LIMIT)
            .into_iter()
            .map(|h| RefRow {
                code: h.region.code.to_string(),
                label: h.label,
                level: level_label(tr, h.region.level),
                href: browse(&h.region.code),
            })
            .collect()
    };
    let crumbs = match (&parent, q.q.trim().is_empty()) {
        (Some(p), true) => sinergi_reference::region_path(p)
            .into_iter()
            .map(|r| (format!("/reference/regions?parent={}", r.code), r.title().into_owned()))
            .collect(),
        _ => Vec::new(),
    };
    render(&ReferencePage {
        shell: Shell::new(&ctx, "regions-title"),
        heading: tr.t("regions-title"),
        intro: tr.t("regions-intro"),
        placeholder: "cikande".into(),
        action: "/reference/regions",
        q: q.q,
        crumbs,
        rows,
        attribution: tr.t("regions-attribution"),
    })
}

pub async fn kbli(ctx: Ctx, Query(q): Query<RefQuery>) -> Response {
    let tr = ctx.tr();
    let parent = KbliCode::parse(&q.parent).ok();
    let to_row = |k: &sinergi_reference::Kbli| RefRow {
        code: k.code.to_string(),
        label: k.title.clone(),
        level: tr.t(&format!("kbli-level-{:?}", k.code.level()).to_lowercase()),
        href: (k.code.as_str().len() < 5).then(|| format!("/reference/kbli?parent={}", k.code)),
    };
    let rows: Vec<RefRow> = if q.q.trim().is_empty() {
        sinergi_reference::kbli_children(parent.as_ref()).into_iter().map(to_row).collect()
    } else {
        sinergi_reference::search_kbli(&q.q, LIMIT).into_iter().map(to_row).collect()
    };
    let mut crumbs = Vec::new();
    let mut cursor = parent.as_ref().and_then(sinergi_reference::kbli);
    while let Some(k) = cursor {
        crumbs.push((format!("/reference/kbli?parent={}", k.code), format!("{} {}", k.code, k.title)));
        cursor = k.parent.as_ref().and_then(sinergi_reference::kbli);
    }
    crumbs.reverse();
    if !q.q.trim().is_empty() {
        crumbs.clear();
    }
    render(&ReferencePage {
        shell: Shell::new(&ctx, "kbli-title"),
        heading: tr.t("kbli-title"),
        intro: tr.t("kbli-intro"),
        placeholder: "keripik".into(),
        action: "/reference/kbli",
        q: q.q,
        crumbs,
        rows,
        attribution: tr.t("kbli-attribution"),
    })
}
