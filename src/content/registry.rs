//! Registries: `actors.yaml`, `places.yaml` (entities) and `eras.yaml` (named periods).

use std::collections::HashSet;

use foldhash::HashMap;
use std::sync::Arc;

use serde_yaml::Value;

use crate::date::{DateRange, DateStyle};
use crate::error::Diagnostics;
use crate::fields::{Fields, Located, type_name};
use crate::source::{Origin, YamlSource};
use crate::yaml_locate::Seg;

/// Which registry an entity belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `actors.yaml`: people, states, armed groups, organisations.
    Actors,
    /// `places.yaml`: places, with optional coordinates.
    Places,
}

impl Kind {
    /// The singular noun, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Actors => "actor",
            Kind::Places => "place",
        }
    }
}

/// An actor or a place.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Its id.
    pub id: Located<String>,
    /// Its display name.
    pub name: String,
    /// Other names it goes by (for import and search).
    pub aliases: Vec<String>,
    /// Free classification (person, state, city, ...).
    pub kind: Option<String>,
    /// Plain-text description.
    pub description: Option<String>,
    /// Latitude (places only).
    pub lat: Option<f64>,
    /// Longitude (places only).
    pub lon: Option<f64>,
    /// Country (places only).
    pub country: Option<String>,
}

/// The entities of one registry file, by id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// In file order.
    pub entities: Vec<Entity>,
    by_id: HashMap<String, usize>,
    /// Ids of entities that had errors (already reported).
    pub broken_ids: HashSet<String>,
    /// True when the file itself could not be read as a list: its errors are
    /// reported, and references are not checked against it.
    pub failed: bool,
}

impl Registry {
    /// The entity with this id.
    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.by_id.get(id).map(|&i| &self.entities[i])
    }

    /// Every id, for suggestions.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entities.iter().map(|e| e.id.value.as_str())
    }
}

/// A named period of the chronology.
#[derive(Debug, Clone)]
pub struct Era {
    /// Its id.
    pub id: Located<String>,
    /// Its title.
    pub title: String,
    /// From `date` to `end`; `None` end means still open.
    pub dates: DateRange,
    /// Whether `end` was given.
    pub open: bool,
    /// Markdown description.
    pub description: Option<String>,
}

fn items<'v>(
    value: &'v Value,
    doc: &Arc<YamlSource>,
    what: &str,
    diags: &mut Diagnostics,
) -> &'v [Value] {
    match value {
        Value::Sequence(items) => items,
        Value::Null => &[],
        other => {
            diags.error(
                doc.span_of(&[]),
                format!("expected a list of {what}, found {}", type_name(other)),
            );
            &[]
        }
    }
}

/// Reads `actors.yaml` or `places.yaml`.
pub fn parse_registry(doc: &Arc<YamlSource>, kind: Kind, diags: &mut Diagnostics) -> Registry {
    let failed = Registry {
        failed: true,
        ..Registry::default()
    };
    let value = match doc.parse() {
        Ok(v) => v,
        Err(e) => {
            diags.push(e);
            return failed;
        }
    };
    if !matches!(value, Value::Sequence(_) | Value::Null) {
        items(&value, doc, &format!("{}s", kind.noun()), diags);
        return failed;
    }
    let mut registry = Registry::default();
    for (i, item) in items(&value, doc, &format!("{}s", kind.noun()), diags)
        .iter()
        .enumerate()
    {
        let entity = match parse_entity(item, Origin::new(doc, vec![Seg::Index(i)]), kind, diags) {
            Ok(entity) => entity,
            Err(id) => {
                registry.broken_ids.extend(id);
                continue;
            }
        };
        if let Some(&first) = registry.by_id.get(&entity.id.value) {
            let first_span = registry.entities[first].id.origin.span();
            diags.error(
                entity.id.origin.span(),
                format!(
                    "duplicate {} id \"{}\": already defined at {first_span}",
                    kind.noun(),
                    crate::error::cut(&entity.id.value)
                ),
            );
            continue;
        }
        registry
            .by_id
            .insert(entity.id.value.clone(), registry.entities.len());
        registry.entities.push(entity);
    }
    registry
}

/// One entity; on errors, its id if it had a valid one.
fn parse_entity(
    value: &Value,
    origin: Origin,
    kind: Kind,
    diags: &mut Diagnostics,
) -> Result<Entity, Option<String>> {
    let mut f = Fields::new(value, origin, kind.noun(), diags).ok_or(None)?;
    let id = f.required_id("id");
    let name = f.required_text("name");
    let aliases = f
        .text_list("aliases")
        .into_iter()
        .map(|a| a.value)
        .collect();
    let entity_kind = f.text("kind");
    let description = f.text("description");
    let (lat, lon, country) = if kind == Kind::Places {
        (
            f.float_in("lat", -90.0, 90.0),
            f.float_in("lon", -180.0, 180.0),
            f.text("country"),
        )
    } else {
        (None, None, None)
    };
    f.finish();
    let Some(id) = id else { return Err(None) };
    let Some(name) = name else {
        return Err(Some(id.value));
    };
    Ok(Entity {
        id,
        name,
        aliases,
        kind: entity_kind,
        description,
        lat,
        lon,
        country,
    })
}

/// Reads `eras.yaml`.
pub fn parse_eras(doc: &Arc<YamlSource>, style: DateStyle, diags: &mut Diagnostics) -> Vec<Era> {
    let value = match doc.parse() {
        Ok(v) => v,
        Err(e) => {
            diags.push(e);
            return Vec::new();
        }
    };
    let mut eras: Vec<Era> = Vec::new();
    for (i, item) in items(&value, doc, "eras", diags).iter().enumerate() {
        let origin = Origin::new(doc, vec![Seg::Index(i)]);
        let Some(mut f) = Fields::new(item, origin, "era", diags) else {
            continue;
        };
        let id = f.required_id("id");
        let title = f.required_text("title");
        let date = f.required_date("date", style);
        let end = f.date("end", style);
        let description = f.text("description");
        f.finish();
        let open = end.is_none();
        let (Some(id), Some(title), Some(date)) = (id, title, date) else {
            continue;
        };
        let Some(dates) = crate::content::event::date_range(date, end, diags) else {
            continue;
        };
        if let Some(first) = eras.iter().find(|e| e.id.value == id.value) {
            diags.error(
                id.origin.span(),
                format!(
                    "duplicate era id \"{}\": already defined at {}",
                    crate::error::cut(&id.value),
                    first.id.origin.span()
                ),
            );
            continue;
        }
        eras.push(Era {
            id,
            title,
            dates,
            open,
            description,
        });
    }
    eras
}
