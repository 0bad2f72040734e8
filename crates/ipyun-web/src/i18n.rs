//! Translations with Fluent: one key per message, `locales/zh-CN.ftl` and `locales/en.ftl`
//! embedded in the binary.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use ipyun_domain::account::Lang;

pub struct I18n {
    chinese: FluentBundle<FluentResource>,
    english: FluentBundle<FluentResource>,
}

fn bundle(tag: &str, source: &'static str) -> FluentBundle<FluentResource> {
    let language = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    bundle.set_use_isolating(false);
    let resource = match FluentResource::try_new(source.to_string()) {
        Ok(resource) => resource,
        Err((resource, errors)) => {
            tracing::error!(?errors, tag, "translation file has errors");
            resource
        }
    };
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(?errors, tag, "duplicate translation keys");
    }
    bundle
}

impl I18n {
    pub fn load() -> Self {
        Self {
            chinese: bundle("zh-CN", include_str!("../locales/zh-CN.ftl")),
            english: bundle("en", include_str!("../locales/en.ftl")),
        }
    }

    fn bundle_for(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::ZhCn => &self.chinese,
            Lang::En => &self.english,
        }
    }

    /// The message for `key` in `lang`; the key itself when missing (a test keeps both files complete).
    pub fn text(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.bundle_for(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|message| message.value()) else {
            return key.to_string();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle_for(lang).has_message(key)
    }

    /// Every key of a locale file, for completeness tests.
    pub fn keys(lang: Lang) -> Vec<String> {
        let source = match lang {
            Lang::ZhCn => include_str!("../locales/zh-CN.ftl"),
            Lang::En => include_str!("../locales/en.ftl"),
        };
        source
            .lines()
            .filter(|line| {
                !line.starts_with('#') && !line.starts_with(' ') && !line.starts_with('.')
            })
            .filter_map(|line| {
                line.split_once(" = ")
                    .or_else(|| line.split_once(" ="))
                    .map(|(key, _)| key.trim().to_string())
            })
            .filter(|key| !key.is_empty())
            .collect()
    }
}
