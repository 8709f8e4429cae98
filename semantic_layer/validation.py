"""Cross-reference checks on a parsed model: every problem found, not just the first.

Pydantic checks each entry's shape; this module checks what entries say about each other:
unknown tables, columns, measures and metrics (with a "did you mean"), duplicate names,
join cycles and ambiguous join paths, time columns and dimensions no metric can reach,
derived metrics that refer to themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from genbi.errors import ModelError

from .expressions import parse_expression, referenced_columns
from .graph import describe_path
from .model import (
    Column,
    Described,
    DimensionType,
    Measure,
    Metric,
    MetricType,
    SemanticModel,
    Table,
    derived_inputs,
)
from .query_spec import METRIC_TIME
from .suggest import did_you_mean


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model, where it is, and what to do about it."""

    path: str
    message: str
    hint: str | None = None

    def render(self, line: int | None = None) -> str:
        where = f"line {line}, {self.path}" if line else self.path
        return f"{where}: {self.message}" + (f" {self.hint}" if self.hint else "")


def validate(model: SemanticModel, *, skip: frozenset[str] = frozenset()) -> list[Problem]:
    """All cross-reference problems of ``model``.

    ``skip`` holds names of entries that failed their own shape checks (already reported),
    so references to them are not reported a second time as unknown.
    """
    checker = _Checker(model, skip)
    checker.run()
    return checker.problems


class _Checker:
    def __init__(self, model: SemanticModel, skip: frozenset[str]) -> None:
        self.model = model
        self.skip = skip
        self.problems: list[Problem] = []
        self.tables = {t.name: t for t in model.tables}

    def add(self, path: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(path, message, hint))

    def run(self) -> None:
        self.check_duplicates()
        for i, table in enumerate(self.model.tables):
            self.check_table(f"tables[{i}]", table)
        self.check_graph()
        for i in range(len(self.model.dimensions)):
            self.check_dimension(i)
        for i, measure in enumerate(self.model.measures):
            self.check_measure(f"measures[{i}]", measure)
        for i, metric in enumerate(self.model.metrics):
            self.check_metric(f"metrics[{i}]", metric)
        self.check_derived_cycles()
        for role, target in self.model.roles.items():
            self.check_column_ref(f"roles.{role}", target, allow_table=True)
        self.check_words()

    # -- names --

    def check_duplicates(self) -> None:
        model = self.model
        self._report_duplicates(
            [(f"tables[{i}].name", t.name) for i, t in enumerate(model.tables)], "table"
        )
        self._report_duplicates(
            [(f"measures[{i}].name", m.name) for i, m in enumerate(model.measures)], "measure"
        )
        output = [(f"dimensions[{i}].name", d.name) for i, d in enumerate(model.dimensions)]
        output += [(f"metrics[{i}].name", m.name) for i, m in enumerate(model.metrics)]
        self._report_duplicates(output, "dimension or metric")
        for path, name in output:
            if name == METRIC_TIME:
                self.add(path, f"'{METRIC_TIME}' is reserved for each metric's own time.")
        for i, table in enumerate(model.tables):
            columns = [(f"tables[{i}].columns[{j}]", c.name) for j, c in enumerate(table.columns)]
            self._report_duplicates(columns, f"column of '{table.name}'")
        for i, dimension in enumerate(model.dimensions):
            values = [
                (f"dimensions[{i}].values[{j}]", str(v.value))
                for j, v in enumerate(dimension.values)
            ]
            self._report_duplicates(values, f"value of '{dimension.name}'")

    def _report_duplicates(self, named: list[tuple[str, str]], what: str) -> None:
        first: dict[str, str] = {}
        for path, name in named:
            if name in first:
                self.add(
                    path,
                    f"Duplicate {what} name '{name}' (first defined at {first[name]}).",
                    "Names must be unique: rename or remove one of them.",
                )
            else:
                first[name] = path

    def check_words(self) -> None:
        """A word (name, label or synonym) must not name two metrics or dimensions."""
        owner: dict[str, str] = {}
        sections: tuple[tuple[str, tuple[Described, ...]], ...] = (
            ("metrics", self.model.metrics),
            ("dimensions", self.model.dimensions),
        )
        for section, items in sections:
            for i, item in enumerate(items):
                for word in dict.fromkeys(
                    w.lower() for w in (item.name, item.label, item.label_zh, *item.synonyms)
                ):
                    if word in owner and owner[word] != item.name:
                        self.add(
                            f"{section}[{i}].synonyms",
                            f"'{word}' already means '{owner[word]}', so it can't also mean "
                            f"'{item.name}'.",
                            "Keep each word for one metric or dimension.",
                        )
                    owner.setdefault(word, item.name)
        for i, close in enumerate(self.model.close_readings):
            for metric in close.metrics:
                if metric not in {m.name for m in self.model.metrics} and metric not in self.skip:
                    self.add(f"close_readings[{i}].metrics", f"Unknown metric '{metric}'.",
                             "Name metrics defined under 'metrics:'.")

    # -- tables and joins --

    def check_table(self, path: str, table: Table) -> None:
        if table.primary_key and table.column(table.primary_key) is None:
            self.unknown_column(f"{path}.primary_key", table, table.primary_key)
        for k, column in enumerate(table.columns):
            if column.parts:
                self.check_parts(f"{path}.columns[{k}]", table, column)
        for j, rel in enumerate(table.many_to_one):
            rel_path = f"{path}.many_to_one[{j}]"
            if table.column(rel.column) is None:
                self.unknown_column(f"{rel_path}.column", table, rel.column)
            parent = self.known_table(f"{rel_path}.to", rel.to)
            if parent is None:
                continue
            if rel.to_column is None and parent.primary_key is None:
                self.add(
                    rel_path,
                    f"'{rel.to}' has no primary_key, so the link has no column to join on.",
                    f"Give '{rel.to}' a primary_key or set to_column.",
                )
            elif rel.to_column and parent.column(rel.to_column) is None:
                self.unknown_column(f"{rel_path}.to_column", parent, rel.to_column)

    def check_parts(self, path: str, table: Table, column: Column) -> None:
        """A date read from year, month and day columns: those are plain columns of the table."""
        if column.type.upper() != "DATE" or column.source or column.date_format:
            self.add(path, f"'{column.name}' is read from its parts, so it is a DATE with no source or "
                           "date_format of its own.", "Set type: DATE and remove source and date_format.")
        for part in column.parts or ():
            found = table.column(part)
            if found is None:
                self.unknown_column(f"{path}.parts", table, part)
            elif found.parts:
                self.add(f"{path}.parts", f"'{part}' is itself read from parts.",
                         "Name the table's year, month and day columns.")

    def check_graph(self) -> None:
        graph = self.model.graph
        for cycle in graph.cycles(self.tables):
            self.add(
                "tables",
                "The many-to-one links form a cycle: " + " -> ".join(cycle) + ".",
                "Remove one link of the cycle; joins must only go from many rows to one.",
            )
        for source, target, paths in graph.ambiguous(self.tables):
            routes = "; ".join(describe_path(p) for p in paths)
            self.add(
                f"tables[{list(self.tables).index(source)}]",
                f"'{source}' reaches '{target}' by {len(paths)} equally short paths ({routes}).",
                "Keep one of the links, so every join path is unambiguous.",
            )

    # -- dimensions, measures, metrics --

    def check_dimension(self, index: int) -> None:
        path = f"dimensions[{index}]"
        dimension = self.model.dimensions[index]
        table = self.known_table(f"{path}.table", dimension.table)
        if (dimension.column is None) == (dimension.expr is None):
            self.add(path, "A dimension needs exactly one of column or expr.")
        elif table and dimension.column:
            column = table.column(dimension.column)
            if column is None:
                self.unknown_column(f"{path}.column", table, dimension.column)
            elif dimension.type == DimensionType.TIME and not column.is_temporal:
                self.add(
                    f"{path}.column",
                    f"The time dimension '{dimension.name}' uses '{table.name}.{column.name}', "
                    f"which is {column.type}, not DATE or TIMESTAMP.",
                    "Make it a categorical dimension or point it at a date column.",
                )
        elif table and dimension.expr:
            self.check_snippet(f"{path}.expr", table, dimension.expr)
        if dimension.type == DimensionType.TIME and dimension.expr:
            self.add(f"{path}.expr", "Time dimensions must name a column, not an expression.")
        if dimension.type != DimensionType.TIME and dimension.grains:
            self.add(f"{path}.grains", f"Only time dimensions have grains ('{dimension.name}').")
        if dimension.type in (DimensionType.TIME, DimensionType.NUMBER) and dimension.values:
            self.add(f"{path}.values", f"{dimension.type.value.capitalize()} dimensions do not list values.")
        if table and not any(
            self.model.graph.reachable(m.table, table.name)
            for m in self.model.measures
            if m.table in self.tables
        ):
            self.add(
                path,
                f"No measure can reach '{table.name}' through many-to-one links, so no metric "
                f"can be split by '{dimension.name}'.",
                "Add a many-to-one link to this table, or a measure on it.",
            )

    def check_measure(self, path: str, measure: Measure) -> None:
        table = self.known_table(f"{path}.table", measure.table)
        if table is None:
            return
        self.check_snippet(f"{path}.expr", table, measure.expr, parents=True)
        if measure.filter:
            self.check_snippet(f"{path}.filter", table, measure.filter)
        if measure.time is None:
            return
        time_table, time_column = self.check_column_ref(f"{path}.time", measure.time)
        if time_table is None or time_column is None:
            return
        column = time_table.column(time_column)
        if column is not None and not column.is_temporal:
            self.add(
                f"{path}.time",
                f"'{measure.time}' is {column.type}, not a DATE or TIMESTAMP column.",
                "Point time at the date or timestamp that says when the row happened.",
            )
        if not self.model.graph.reachable(measure.table, time_table.name):
            self.add(
                f"{path}.time",
                f"The time column '{measure.time}' cannot be reached from '{measure.table}' "
                "through many-to-one links.",
                f"Use a date column of '{measure.table}' or of a table it references.",
            )

    def check_metric(self, path: str, metric: Metric) -> None:
        needed = {
            MetricType.SIMPLE: ("measure",),
            MetricType.RATIO: ("numerator", "denominator"),
            MetricType.DERIVED: ("expr",),
            MetricType.SHARE: ("share",),
        }[metric.type]
        for field in ("measure", "numerator", "denominator", "expr", "share"):
            given = getattr(metric, field) is not None
            if field in needed and not given:
                self.add(f"{path}.{field}", f"A {metric.type.value} metric needs '{field}'.")
            elif field not in needed and given:
                self.add(f"{path}.{field}", f"A {metric.type.value} metric has no '{field}'.")
        for field in ("measure", "numerator", "denominator"):
            name = getattr(metric, field)
            if name is not None:
                self.known_measure(f"{path}.{field}", name)
        if metric.type == MetricType.DERIVED and metric.expr:
            self.check_derived(path, metric)
        if metric.type == MetricType.SHARE and metric.share:
            measure = self.known_measure(f"{path}.share.measure", metric.share.measure)
            table = self.tables.get(measure.table) if measure else None
            if table and table.column(metric.share.entity) is None:
                self.unknown_column(f"{path}.share.entity", table, metric.share.entity)

    def check_derived(self, path: str, metric: Metric) -> None:
        try:
            refs = referenced_columns(parse_expression(metric.expr or ""))
        except ModelError as error:
            self.add(f"{path}.expr", error.message, error.hint)
            return
        if not refs:
            self.add(f"{path}.expr", "A derived metric's expr must name other metrics.")
        names = self.model.metric_names
        for ref in refs:
            if ref not in names and ref not in self.skip:
                self.add(
                    f"{path}.expr",
                    f"Unknown metric '{ref}' in '{metric.expr}'.",
                    did_you_mean(ref, names) or "A derived metric combines other metrics.",
                )

    def check_derived_cycles(self) -> None:
        for i, metric in enumerate(self.model.metrics):
            if metric.type == MetricType.DERIVED and self._refers_to(metric.name, metric, set()):
                self.add(
                    f"metrics[{i}].expr",
                    f"The metric '{metric.name}' is defined in terms of itself.",
                    "Define it from simple or ratio metrics.",
                )

    def _refers_to(self, target: str, metric: Metric, seen: set[str]) -> bool:
        for ref in derived_inputs(metric.expr or ""):
            if ref == target:
                return True
            if ref in seen or not self.model.has_metric(ref):
                continue
            seen.add(ref)
            if self._refers_to(target, self.model.metric(ref), seen):
                return True
        return False

    # -- references --

    def check_snippet(self, path: str, table: Table, snippet: str, *, parents: bool = False) -> None:
        """Every column is the table's; with ``parents`` (a measure), ``parent.column`` may name
        a column of a table its rows reach through many-to-one links (an order's customer's
        ``customers.customer_unique_id``), one value per row."""
        try:
            tree = parse_expression(snippet, tables=parents)
        except ModelError as error:
            self.add(path, error.message, error.hint)
            return
        qualified = {(c.table, c.name) for c in tree.find_all(exp.Column) if c.table}
        for owner, column in qualified:
            other = self.tables.get(owner)
            if owner == table.name:
                continue
            if not parents or other is None or not self.model.graph.reachable(table.name, owner):
                self.add(path, f"'{owner}.{column}' is not a column of '{table.name}' nor of a table its rows "
                         "link to (many-to-one).", "Name a column of the table, or of a parent it links to.")
            elif other.column(column) is None:
                self.unknown_column(path, other, column)
        own = {c.name for c in tree.find_all(exp.Column) if not c.table or c.table == table.name}
        for column in referenced_columns(tree):
            if column in own and table.column(column) is None:
                self.unknown_column(path, table, column)

    def check_column_ref(
        self, path: str, ref: str, *, allow_table: bool = False
    ) -> tuple[Table | None, str | None]:
        table_name, _, column = ref.partition(".")
        table = self.known_table(path, table_name)
        if table is None:
            return None, None
        if not column:
            if not allow_table:
                self.add(path, f"'{ref}' must be written 'table.column'.")
            return table, None
        if table.column(column) is None:
            self.unknown_column(path, table, column)
            return table, None
        return table, column

    def known_table(self, path: str, name: str) -> Table | None:
        if name not in self.tables and name not in self.skip:
            self.add(path, f"Unknown table '{name}'.", did_you_mean(name, self.tables))
        return self.tables.get(name)

    def known_measure(self, path: str, name: str) -> Measure | None:
        measures = {m.name: m for m in self.model.measures}
        if name not in measures and name not in self.skip:
            self.add(path, f"Unknown measure '{name}'.", did_you_mean(name, measures))
        return measures.get(name)

    def unknown_column(self, path: str, table: Table, column: str) -> None:
        self.add(
            path,
            f"The table '{table.name}' has no column '{column}'.",
            did_you_mean(column, table.column_names)
            or f"Its columns: {', '.join(table.column_names)}.",
        )
