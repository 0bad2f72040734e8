//! The page templates, embedded in the binary, and the template functions: `t(key, **args)`
//! translates with the request's language (the `lang` value of the context), `t_or(key, fallback)`
//! translates when the key exists, and `dash` shows "—" for an empty value.

use crate::i18n::I18n;
use fluent_bundle::{FluentArgs, FluentValue};
use ipyun_domain::account::Lang;
use minijinja::value::{Kwargs, Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, Output, State, UndefinedBehavior};
use std::fmt::Write;
use std::sync::Arc;

/// Every template: its name and source.
pub const TEMPLATE_SOURCES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("pager.html", include_str!("../../templates/pager.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("error.html", include_str!("../../templates/error.html")),
    ("rights.html", include_str!("../../templates/rights.html")),
    ("right.html", include_str!("../../templates/right.html")),
    ("parties.html", include_str!("../../templates/parties.html")),
    ("party.html", include_str!("../../templates/party.html")),
    ("imports.html", include_str!("../../templates/imports.html")),
    ("import.html", include_str!("../../templates/import.html")),
    ("stats.html", include_str!("../../templates/stats.html")),
    (
        "rejections.html",
        include_str!("../../templates/rejections.html"),
    ),
    ("pledges.html", include_str!("../../templates/pledges.html")),
    (
        "notice_body.html",
        include_str!("../../templates/notice_body.html"),
    ),
    (
        "notice_verify.html",
        include_str!("../../templates/notice_verify.html"),
    ),
    ("notice.html", include_str!("../../templates/notice.html")),
    (
        "applications.html",
        include_str!("../../templates/applications.html"),
    ),
    (
        "application.html",
        include_str!("../../templates/application.html"),
    ),
    (
        "application_form.html",
        include_str!("../../templates/application_form.html"),
    ),
    (
        "field_errors.html",
        include_str!("../../templates/field_errors.html"),
    ),
    (
        "pledge_sla.html",
        include_str!("../../templates/pledge_sla.html"),
    ),
    (
        "sla_table.html",
        include_str!("../../templates/sla_table.html"),
    ),
    (
        "valuation.html",
        include_str!("../../templates/valuation.html"),
    ),
    (
        "valuation_errors.html",
        include_str!("../../templates/valuation_errors.html"),
    ),
    (
        "valuation_income.html",
        include_str!("../../templates/valuation_income.html"),
    ),
    (
        "valuation_other.html",
        include_str!("../../templates/valuation_other.html"),
    ),
    (
        "valuation_result.html",
        include_str!("../../templates/valuation_result.html"),
    ),
    (
        "royalty_rates.html",
        include_str!("../../templates/royalty_rates.html"),
    ),
    (
        "appraisers.html",
        include_str!("../../templates/appraisers.html"),
    ),
    (
        "portfolio.html",
        include_str!("../../templates/portfolio.html"),
    ),
    (
        "patent_search.html",
        include_str!("../../templates/patent_search.html"),
    ),
    (
        "patent_landscape.html",
        include_str!("../../templates/patent_landscape.html"),
    ),
    ("topics.html", include_str!("../../templates/topics.html")),
    (
        "my_notices.html",
        include_str!("../../templates/my_notices.html"),
    ),
    ("loans.html", include_str!("../../templates/loans.html")),
    ("loan.html", include_str!("../../templates/loan.html")),
    (
        "disposal.html",
        include_str!("../../templates/disposal.html"),
    ),
    (
        "loan_stats.html",
        include_str!("../../templates/loan_stats.html"),
    ),
    (
        "products.html",
        include_str!("../../templates/products.html"),
    ),
    ("product.html", include_str!("../../templates/product.html")),
    ("demands.html", include_str!("../../templates/demands.html")),
    ("demand.html", include_str!("../../templates/demand.html")),
    (
        "demand_form.html",
        include_str!("../../templates/demand_form.html"),
    ),
    (
        "match_events.html",
        include_str!("../../templates/match_events.html"),
    ),
    (
        "match_event.html",
        include_str!("../../templates/match_event.html"),
    ),
    (
        "match_event_form.html",
        include_str!("../../templates/match_event_form.html"),
    ),
];

/// The page templates, embedded in the binary.
pub struct Templates {
    pub environment: Environment<'static>,
    i18n: Arc<I18n>,
}

/// The language of the template being rendered: the `lang` value of its context.
fn context_lang(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|value| value.as_str().and_then(Lang::from_tag))
        .unwrap_or(Lang::ZhCn)
}

fn fluent_value(value: &Value) -> FluentValue<'static> {
    match value.kind() {
        ValueKind::Number => match i64::try_from(value.clone()) {
            Ok(number) => FluentValue::from(number),
            Err(_) => FluentValue::from(value.to_string()),
        },
        _ => FluentValue::from(value.to_string()),
    }
}

fn translate(i18n: &I18n, state: &State, key: &str, kwargs: &Kwargs) -> Result<String, Error> {
    let names: Vec<String> = kwargs.args().map(str::to_string).collect();
    if names.is_empty() {
        return Ok(i18n.text(context_lang(state), key, None));
    }
    let mut args = FluentArgs::new();
    for name in names {
        let value: Value = kwargs.get(&name)?;
        args.set(name, fluent_value(&value));
    }
    Ok(i18n.text(context_lang(state), key, Some(&args)))
}

/// HTML escaping of `&`, `<`, `>`, `"` and `'` (minijinja's default also escapes `/`, which
/// makes every printed address and fraction unreadable in the source).
fn html_formatter(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    if state.auto_escape() != AutoEscape::Html
        || value.is_safe()
        || value.is_undefined()
        || value.is_none()
    {
        return minijinja::escape_formatter(out, state, value);
    }
    let text = value.to_string();
    for character in text.chars() {
        let written = match character {
            '&' => out.write_str("&amp;"),
            '<' => out.write_str("&lt;"),
            '>' => out.write_str("&gt;"),
            '"' => out.write_str("&quot;"),
            '\'' => out.write_str("&#39;"),
            other => out.write_char(other),
        };
        written.map_err(Error::from)?;
    }
    Ok(())
}

fn dash(value: &Value) -> Value {
    let empty = value.is_undefined()
        || value.is_none()
        || value.as_str().is_some_and(|text| text.trim().is_empty());
    if empty {
        Value::from("—")
    } else {
        value.clone()
    }
}

impl Templates {
    pub fn load() -> Self {
        Self::with_i18n(Arc::new(I18n::load()))
    }

    pub fn with_i18n(i18n: Arc<I18n>) -> Self {
        let mut environment = Environment::new();
        environment.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        environment.set_formatter(html_formatter);
        environment.set_trim_blocks(true);
        environment.set_lstrip_blocks(true);
        let for_t = Arc::clone(&i18n);
        environment.add_function("t", move |state: &State, key: &str, kwargs: Kwargs| {
            translate(&for_t, state, key, &kwargs)
        });
        let for_t_or = Arc::clone(&i18n);
        environment.add_function("t_or", move |state: &State, key: &str, fallback: &str| {
            let lang = context_lang(state);
            if for_t_or.has(lang, key) {
                for_t_or.text(lang, key, None)
            } else {
                fallback.to_string()
            }
        });
        environment.add_filter("dash", dash);
        for (name, source) in TEMPLATE_SOURCES {
            if let Err(error) = environment.add_template(name, source) {
                tracing::error!(%error, template = name, "template does not compile");
            }
        }
        Self { environment, i18n }
    }

    pub fn has_text(&self, lang: Lang, key: &str) -> bool {
        self.i18n.has(lang, key)
    }

    /// A text in `lang` (for text drawn outside a template: a chart's title).
    pub fn text(&self, lang: Lang, key: &str) -> String {
        self.i18n.text(lang, key, None)
    }

    /// Renders `name` with `context`; the failure is logged by the caller, never shown.
    pub fn render(&self, name: &str, context: Value) -> Result<String, Error> {
        self.environment.get_template(name)?.render(context)
    }
}
