"""Import a dbt MetricFlow semantic layer (``semantic_models`` + ``metrics`` YAML) as a genbi model.

What maps (the README lists it too):

* a semantic model → a table (``model: ref('orders')`` names it); its primary entity → the
  table's key; a foreign entity whose name is another model's primary entity → a
  many-to-one join;
* dimensions (categorical, time) → dimensions; a name two models share gets the entity's
  name in front (``customer_country``); labels from ``label`` or the name, Chinese labels
  and synonyms from genbi's glossary;
* measures (sum, count, count_distinct, average, min, max, sum_boolean) → measures on the
  model's ``agg_time_dimension`` (own, or ``entity__dimension`` of a joined model);
* metrics: simple → simple, ratio → ratio (of the two metrics' measures), derived →
  derived (an expression over metric names).

What does not map is left out and listed in the report: cumulative and conversion metrics,
metric and measure filters (Jinja), offsets, percentile/median measures, non-additive
dimensions. With ``--db`` the tables' real columns and types come from the warehouse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from genbi import safe_yaml
from genbi.errors import ModelError

from . import naming
from .introspection import Draft, repair_model_data

_AGGS = {"sum": "sum", "count": "count", "count_distinct": "count_distinct", "average": "avg", "avg": "avg",
         "min": "min", "max": "max", "sum_boolean": "sum"}
_REF = re.compile(r"ref\(\s*['\"]([^'\"]+)['\"]\s*(?:,\s*['\"]([^'\"]+)['\"])?\s*\)")


@dataclass
class _Project:
    semantic_models: list[dict[str, Any]] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)


def import_dbt(path: str | Path, *, columns: dict[str, dict[str, str]] | None = None,
               name: str | None = None) -> Draft:
    """A genbi model from the dbt project (or one YAML file) at ``path``.

    ``columns``: the warehouse's tables → {column: type}, for real columns and types.
    """
    root = Path(path).expanduser()
    project = _read(root)
    if not project.semantic_models:
        raise ModelError(f"No semantic_models found under {root}.",
                         "Point at a dbt project folder or a YAML file with semantic_models: and metrics:.")
    report: list[str] = []
    data = _Converter(project, columns or {}, report).model(name or naming.clean_name(root.stem or "dbt"))
    data = repair_model_data(data, report)
    header = "".join(f"# {line}\n" for line in [f"Imported from the dbt project {root} by `genbi model import-dbt`.",
                                                *report])
    return Draft(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110), tuple(report))


def _read(root: Path) -> _Project:
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in (".yml", ".yaml")
                                                  and "target" not in p.parts and "dbt_packages" not in p.parts)
    project = _Project()
    for file in files:
        try:
            data = safe_yaml.load(file.read_text(encoding="utf-8"))
        except Exception as error:  # one unreadable file is reported by name
            raise ModelError(f"{file} is not valid YAML: {str(error).splitlines()[0]}") from None
        if isinstance(data, dict):
            project.semantic_models += [m for m in data.get("semantic_models") or [] if isinstance(m, dict)]
            project.metrics += [m for m in data.get("metrics") or [] if isinstance(m, dict)]
    return project


@dataclass
class _Converter:
    project: _Project
    columns: dict[str, dict[str, str]]
    report: list[str]
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    measure_table: dict[str, str] = field(default_factory=dict)
    measure_agg: dict[str, str] = field(default_factory=dict)
    primary: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Entity name -> (table, key column)."""
    dim_columns: dict[tuple[str, str], str] = field(default_factory=dict)
    """(semantic model, dimension name) -> column."""

    def model(self, name: str) -> dict[str, Any]:
        for sm in self.project.semantic_models:
            self._table(sm)
        for sm in self.project.semantic_models:
            self._joins(sm)
        dimensions = [d for sm in self.project.semantic_models for d in self._dimensions(sm)]
        measures = [m for sm in self.project.semantic_models for m in self._measures(sm)]
        metrics = [m for m in (self._metric(x) for x in self.project.metrics) if m]
        _dedupe_dimension_names(dimensions)
        return {"name": name, "description": "Imported from a dbt MetricFlow semantic layer.",
                "tables": list(self.tables.values()), "dimensions": dimensions, "measures": measures,
                "metrics": metrics}

    # -- tables and joins --

    def _table(self, sm: dict[str, Any]) -> None:
        table = _ref_table(str(sm.get("model") or sm.get("name")))
        clean = naming.clean_name(table)
        entities = sm.get("entities") or []
        key = next((str(e.get("expr") or e["name"]) for e in entities if e.get("type") in ("primary", "natural")
                    and "name" in e), None)
        used = {str(e.get("expr") or e.get("name")) for e in entities}
        used |= {str(d.get("expr") or d.get("name")) for d in sm.get("dimensions") or []}
        used |= {c for m in sm.get("measures") or [] for c in _identifiers(str(m.get("expr") or m.get("name")))}
        real = self.columns.get(table) or self.columns.get(clean) or {}
        types = real or {c: _guess_type(c, sm) for c in sorted(used) if c.isidentifier()}
        data: dict[str, Any] = {"name": clean, "description": str(sm.get("description") or f"dbt model {table}.")}
        if clean != table:
            data["source"] = table
        if key and key.isidentifier():
            data["primary_key"] = naming.clean_name(key)
            for e in entities:
                if e.get("type") in ("primary", "natural"):
                    self.primary[str(e["name"])] = (clean, naming.clean_name(key))
        data["columns"] = [{"name": naming.clean_name(c), "type": t, **({"source": c} if naming.clean_name(c) != c else {})}
                           for c, t in types.items()]
        self.tables[str(sm["name"])] = data

    def _joins(self, sm: dict[str, Any]) -> None:
        table = self.tables[str(sm["name"])]
        joins = []
        for entity in sm.get("entities") or []:
            if entity.get("type") != "foreign":
                continue
            target = self.primary.get(str(entity.get("name")))
            if target is None or target[0] == table["name"]:
                self.report.append(f"{sm['name']}: foreign entity '{entity.get('name')}' has no semantic model "
                                   "with it as primary entity; no join.")
                continue
            joins.append({"column": naming.clean_name(str(entity.get("expr") or entity["name"])), "to": target[0]})
        if joins:
            table["many_to_one"] = joins

    # -- dimensions and measures --

    def _dimensions(self, sm: dict[str, Any]) -> list[dict[str, Any]]:
        table = self.tables[str(sm["name"])]
        found = []
        for dim in sm.get("dimensions") or []:
            column = str(dim.get("expr") or dim["name"])
            if not column.isidentifier():
                self.report.append(f"{sm['name']}.{dim['name']}: the expression '{column}' is left out (SQL expressions "
                                   "become genbi dimensions by hand, with expr:).")
                continue
            self.dim_columns[(str(sm["name"]), str(dim["name"]))] = naming.clean_name(column)
            words = naming.words(str(dim["name"]))
            label = str(dim.get("label") or naming.label_en(words))
            entry: dict[str, Any] = {"name": naming.clean_name(str(dim["name"])), "table": table["name"],
                                     "column": naming.clean_name(column), "label": label,
                                     "label_zh": naming.label_zh(words),
                                     "description": str(dim.get("description") or f"{sm['name']}.{dim['name']} (dbt).")}
            if dim.get("type") == "time":
                entry["type"] = "time"
            entry["_entity"] = next((str(e["name"]) for e in sm.get("entities") or []
                                     if e.get("type") in ("primary", "natural")), str(sm["name"]))
            found.append(entry)
        return found

    def _time_of(self, sm: dict[str, Any], measure: dict[str, Any]) -> str | None:
        wanted = (measure.get("agg_time_dimension") or (sm.get("defaults") or {}).get("agg_time_dimension"))
        if wanted and "__" in str(wanted):  # entity__dimension of a joined model
            entity, _, dim = str(wanted).partition("__")
            target = self.primary.get(entity)
            owner = next((m for m in self.project.semantic_models if self.tables[str(m["name"])]["name"] == (target or ("",))[0]), None)
            if owner is not None and (str(owner["name"]), dim) in self.dim_columns:
                return f"{target[0]}.{self.dim_columns[(str(owner['name']), dim)]}" if target else None
        if wanted and (str(sm["name"]), str(wanted)) in self.dim_columns:
            return f"{self.tables[str(sm['name'])]['name']}.{self.dim_columns[(str(sm['name']), str(wanted))]}"
        for dim in sm.get("dimensions") or []:
            if dim.get("type") == "time" and (str(sm["name"]), str(dim["name"])) in self.dim_columns:
                return f"{self.tables[str(sm['name'])]['name']}.{self.dim_columns[(str(sm['name']), str(dim['name']))]}"
        return None

    def _measures(self, sm: dict[str, Any]) -> list[dict[str, Any]]:
        table = self.tables[str(sm["name"])]
        found = []
        for measure in sm.get("measures") or []:
            name = str(measure["name"])
            agg = _AGGS.get(str(measure.get("agg", "")).lower())
            time = self._time_of(sm, measure)
            if agg is None or time is None or measure.get("non_additive_dimension"):
                why = ("its aggregation '" + str(measure.get("agg")) + "' has no genbi equivalent" if agg is None
                       else "it has no time dimension" if time is None else "non-additive dimensions are not supported")
                self.report.append(f"measure {name} left out: {why}.")
                continue
            expr = str(measure.get("expr") or name)
            if agg == "count" and expr.strip() == "1":
                expr = table.get("primary_key") or table["columns"][0]["name"]
            if str(measure.get("agg")).lower() == "sum_boolean":
                expr = f"CAST({expr} AS INTEGER)"
            entry = {"name": naming.clean_name(name), "table": table["name"], "agg": agg,
                     "expr": _clean_expr(expr), "time": time}
            if measure.get("description"):
                entry["description"] = str(measure["description"])
            self.measure_table[entry["name"]] = table["name"]
            self.measure_agg[entry["name"]] = agg
            found.append(entry)
        return found

    # -- metrics --

    def _metric(self, metric: dict[str, Any]) -> dict[str, Any] | None:
        name = naming.clean_name(str(metric["name"]))
        kind = str(metric.get("type", "simple")).lower()
        params = metric.get("type_params") or {}
        words = naming.words(str(metric["name"]))
        base: dict[str, Any] = {"name": name, "label": str(metric.get("label") or naming.label_en(words)),
                                "label_zh": naming.label_zh(words),
                                "description": str(metric.get("description") or f"dbt metric {metric['name']}.")}
        if metric.get("filter"):
            self.report.append(f"metric {metric['name']}: its filter is left out (add it as a measure filter by hand).")
            return None
        if kind == "simple":
            measure = _ref_name(params.get("measure"))
            if naming.clean_name(measure) not in self.measure_table:
                self.report.append(f"metric {metric['name']}: measure '{measure}' was not imported.")
                return None
            if self.measure_agg.get(naming.clean_name(measure)) in ("count", "count_distinct"):
                base["label_zh"] = naming.count_label_zh([naming.singular(w) for w in words])
            return {**base, "type": "simple", "measure": naming.clean_name(measure)}
        if kind == "ratio":
            parts = [self._measure_of(_ref_name(params.get(side))) for side in ("numerator", "denominator")]
            if None in parts:
                self.report.append(f"metric {metric['name']}: a ratio of metrics that are not simple is left out.")
                return None
            return {**base, "type": "ratio", "numerator": parts[0], "denominator": parts[1], "format": "ratio"}
        if kind == "derived":
            refs = params.get("metrics") or []
            if any(isinstance(r, dict) and (r.get("offset_window") or r.get("offset_to_grain") or r.get("filter"))
                   for r in refs):
                self.report.append(f"metric {metric['name']}: offsets and filters of derived inputs are left out.")
                return None
            aliases = {str(r.get("alias")): naming.clean_name(str(r["name"])) for r in refs
                       if isinstance(r, dict) and r.get("alias")}
            expr = str(params.get("expr") or "")
            for alias, real in aliases.items():
                expr = re.sub(rf"\b{re.escape(alias)}\b", real, expr)
            return {**base, "type": "derived", "expr": _clean_expr(expr)}
        self.report.append(f"metric {metric['name']}: {kind} metrics have no genbi equivalent yet; left out.")
        return None

    def _measure_of(self, metric_name: str) -> str | None:
        for metric in self.project.metrics:
            if metric.get("name") == metric_name and str(metric.get("type", "simple")).lower() == "simple" \
                    and not metric.get("filter"):
                measure = naming.clean_name(_ref_name((metric.get("type_params") or {}).get("measure")))
                return measure if measure in self.measure_table else None
        return None


def _dedupe_dimension_names(dimensions: list[dict[str, Any]]) -> None:
    """Two models' 'country' become 'country' and 'customer_country' (dbt's customer__country)."""
    seen: set[str] = set()
    for dim in dimensions:
        entity = dim.pop("_entity")
        if dim["name"] in seen:
            dim["name"] = naming.clean_name(f"{entity}_{dim['name']}")
            dim["label"] = naming.label_en([*naming.words(entity), *naming.words(dim["label"])])
            dim["label_zh"] = naming.label_zh([*naming.words(entity), *naming.words(str(dim["column"]))])
        seen.add(dim["name"])


def _ref_table(model: str) -> str:
    found = _REF.search(model)
    return (found.group(2) or found.group(1)) if found else model


def _ref_name(value: Any) -> str:
    return str(value.get("name")) if isinstance(value, dict) else str(value)


def _identifiers(expr: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expr)
            if w.upper() not in ("CASE", "WHEN", "THEN", "ELSE", "END", "AND", "OR", "NOT", "NULL", "CAST", "AS",
                                 "INTEGER", "INT", "IS", "IN", "TRUE", "FALSE")]


def _clean_expr(expr: str) -> str:
    return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: m.group(0) if not any(c.isupper() for c in m.group(0))
                  or m.group(0).upper() == m.group(0) else naming.clean_name(m.group(0)), expr)


def _guess_type(column: str, sm: dict[str, Any]) -> str:
    for dim in sm.get("dimensions") or []:
        if str(dim.get("expr") or dim.get("name")) == column and dim.get("type") == "time":
            grain = str((dim.get("type_params") or {}).get("time_granularity", "day")).lower()
            return "DATE" if grain in ("day", "week", "month", "quarter", "year") else "TIMESTAMP"
    for measure in sm.get("measures") or []:
        if column in _identifiers(str(measure.get("expr") or measure.get("name"))) and \
                str(measure.get("agg")).lower() not in ("count", "count_distinct"):
            return "DOUBLE"
    return "VARCHAR"
