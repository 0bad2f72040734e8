//! The technical vocabulary (`data/vocab.txt`), parsed once.

use std::sync::LazyLock;

static SOURCE: &str = include_str!("../../data/vocab.txt");

/// One technical field: its IPC symbols and term lists.
/// Which sentence templates suit the field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Style {
    /// Materials mixed, heated, processed.
    #[default]
    Chemical,
    /// Steps on data.
    Digital,
    /// Parts and their connections.
    Mechanical,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct TechField {
    pub code: &'static str,
    pub style: Style,
    pub name: &'static str,
    pub ipc: Vec<&'static str>,
    pub product: Vec<&'static str>,
    pub part: Vec<&'static str>,
    pub material: Vec<&'static str>,
    pub process: Vec<&'static str>,
    pub effect: Vec<&'static str>,
    pub uses: Vec<&'static str>,
    pub industry: Vec<&'static str>,
}

pub(crate) static FIELDS: LazyLock<Vec<TechField>> = LazyLock::new(|| parse(SOURCE));

fn parse(source: &'static str) -> Vec<TechField> {
    let mut fields: Vec<TechField> = Vec::new();
    for line in source.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            if let Some((code, name)) = rest.split_once(']') {
                fields.push(TechField {
                    code: code.trim(),
                    name: name.trim(),
                    ..TechField::default()
                });
            }
            continue;
        }
        let (Some(field), Some((list, terms))) = (fields.last_mut(), line.split_once(':')) else {
            continue;
        };
        let terms: Vec<&'static str> = terms
            .split('、')
            .map(str::trim)
            .filter(|term| !term.is_empty())
            .collect();
        match list.trim() {
            "style" => {
                field.style = match terms.first().copied() {
                    Some("digital") => Style::Digital,
                    Some("mechanical") => Style::Mechanical,
                    _ => Style::Chemical,
                }
            }
            "ipc" => field.ipc = terms,
            "product" => field.product = terms,
            "part" => field.part = terms,
            "material" => field.material = terms,
            "process" => field.process = terms,
            "effect" => field.effect = terms,
            "use" => field.uses = terms,
            "industry" => field.industry = terms,
            _ => {}
        }
    }
    fields
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ipyun_domain::id::IpcSymbol;

    #[test]
    fn every_field_is_complete_and_its_symbols_valid() {
        assert!(FIELDS.len() >= 12, "{} fields", FIELDS.len());
        for field in FIELDS.iter() {
            for (name, list, least) in [
                ("ipc", &field.ipc, 6),
                ("product", &field.product, 6),
                ("part", &field.part, 8),
                ("material", &field.material, 6),
                ("process", &field.process, 8),
                ("effect", &field.effect, 6),
                ("use", &field.uses, 5),
                ("industry", &field.industry, 3),
            ] {
                assert!(list.len() >= least, "{} {name}: {}", field.code, list.len());
            }
            for symbol in &field.ipc {
                IpcSymbol::parse(symbol).unwrap();
            }
            let total: usize = [
                &field.product,
                &field.part,
                &field.material,
                &field.process,
                &field.effect,
            ]
            .iter()
            .map(|list| list.len())
            .sum();
            assert!(total >= 44, "{}: {total} terms", field.code);
        }
    }
}
