"""Identity resolution (One ID): records from many touchpoints stitched into people.

The first step of customer-data integration in a CDP. Records (CRM rows, app sign-ups,
WeChat followers, web visitors) carry some of: phone, union id, e-mail, device id. The
warehouse normalises each identifier (phone digits without +86, e-mail lower-cased, ids
trimmed) and codes every distinct value as an integer, so no personal data leaves it; the
records are then stitched by union-find in priority order (default phone > union id >
e-mail > device id, ``--priority``), a lower-priority identifier never joining two people
with different values of a higher-priority identifier a person has only one of (phone,
union id by default; ``--unique``) (``identity_graph``). The answer gives merge
statistics and conflicts per identifier; ``--out`` writes the record -> One ID mapping.

Inputs: the semantic roles ``identity_entity`` (table), ``identity_record`` (the record's
id; default the table's key), ``identity_phone`` / ``identity_union_id`` / ``identity_email``
/ ``identity_device_id`` (any of them) and ``identity_source``*; or ``--file`` with a file
or folder of records and ``--*-column`` flags. Columns tagged as personal data are refused
by the SQL policy unless the asker's role may read personal data: a CDP usually keeps
hashed identifiers, which work the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from genbi.lazy import lazy_module

from . import identity_graph, progress
from .base import ToolError, ToolResult, ToolSpec, chart, register_tool
from .file_source import FileTable, file_warehouse
from .roles import MissingRole, RoleSource

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
else:
    np = lazy_module("numpy")
    pd = lazy_module("pandas")
    go = lazy_module("plotly.graph_objects")

NAME = "identity_resolution"
KEYS = ("phone", "union_id", "email", "device_id")
KEY_ZH = {"phone": "手机号", "union_id": "微信UnionID", "email": "邮箱", "device_id": "设备号"}
_NORMAL = {
    "phone": ("CASE WHEN LENGTH(<d>) = 13 AND <d> LIKE '86%' THEN SUBSTR(<d>, 3) ELSE <d> END",
              "NULLIF(REGEXP_REPLACE(CAST({k} AS VARCHAR), '[^0-9]', '', 'g'), '')"),
    "email": ("<d>", "NULLIF(LOWER(TRIM(CAST({k} AS VARCHAR))), '')"),
    "union_id": ("<d>", "NULLIF(TRIM(CAST({k} AS VARCHAR)), '')"),
    "device_id": ("<d>", "NULLIF(TRIM(CAST({k} AS VARCHAR)), '')"),
}


class IdentityArgs(BaseModel):
    """Stitch records into people by phone, union id, e-mail and device id."""

    model_config = ConfigDict(extra="forbid")

    priority: str = Field("phone,union_id,email,device_id",
                          description="Identifiers in priority order (comma-separated; leave one out to ignore it).")
    unique: str = Field("phone,union_id", description="Identifiers a person has at most one of: a join through a "
                        "lower-priority identifier that would give a person two of them is refused.")
    file: str | None = Field(None, description="A file or folder of records (CSV/Parquet) instead of the warehouse.")
    record_column: str | None = Field(None, description="Record id column in the file; default: the row number.")
    source_column: str | None = Field(None, description="Source system column in the file (optional).")
    phone_column: str | None = Field(None, description="Phone column in the file.")
    union_id_column: str | None = Field(None, description="WeChat union id column in the file.")
    email_column: str | None = Field(None, description="E-mail column in the file.")
    device_id_column: str | None = Field(None, description="Device id column in the file.")


def priority_order(text: str) -> list[str]:
    keys = [k.strip().lower().replace(" ", "_").replace("-", "_") for k in text.replace(">", ",").split(",") if k.strip()]
    unknown = [k for k in keys if k not in KEYS]
    if unknown or not keys or len(set(keys)) != len(keys):
        raise ToolError(f"The priority '{text}' is not a list of distinct identifiers.",
                        f"Use some of {', '.join(KEYS)} in order, e.g. 'phone,union_id,email,device_id'.")
    return keys


def _file_source(args: IdentityArgs, wanted: list[str]) -> tuple[RoleSource, list[str]]:
    assert args.file is not None
    columns: dict[str, tuple[str, str]] = {}
    roles = {"identity_entity": "records", "identity_record": "records.row_id"}
    if args.record_column:
        columns[args.record_column] = ("record", "text")
        roles["identity_record"] = "records.record"
    if args.source_column:
        columns[args.source_column] = ("source", "text")
        roles["identity_source"] = "records.source"
    for key in wanted:
        column = getattr(args, f"{key}_column") or key
        columns[column] = (key, "text")
        roles[f"identity_{key}"] = f"records.{key}"
    flagged = [k for k in wanted if getattr(args, f"{k}_column")]
    if not flagged:
        missing = ", ".join(f"--{k.replace('_', '-')}-column" for k in wanted)
        raise ToolError("Name the identifier columns of the file.", f"Use {missing} (any of them).")
    columns = {c: v for c, v in columns.items() if v[0] not in wanted or v[0] in flagged}
    roles = {r: t for r, t in roles.items() if not r.startswith("identity_") or r.removeprefix("identity_") not in wanted
             or r.removeprefix("identity_") in flagged}
    source = RoleSource(roles=roles, runner=file_warehouse([FileTable("records", args.file, columns)]),
                        keys={"records": "row_id"})
    return source, flagged


def _codes_sql(source: RoleSource, keys: list[str]) -> tuple[str, dict[str, str]]:
    """One row per record: its position, id, source, and an integer code per identifier."""
    slots = {"T_r": "identity_entity", "rec": "identity_record"}
    normal = []
    coded = []
    for i, key in enumerate(keys):
        slots[f"k{i}"] = f"identity_{key}"
        outer = _NORMAL[key][0]
        normal.append(f"{outer.replace('<d>', f'd{i}')} AS n{i}")
        coded.append(f"CASE WHEN n{i} IS NULL THEN -1 ELSE DENSE_RANK() OVER (ORDER BY n{i}) - 1 END AS c{i}")
    raw = ", ".join(f"{_NORMAL[k][1].replace('{k}', '{k' + str(i) + '}')} AS d{i}" for i, k in enumerate(keys))
    has_source = source.has("identity_source")
    if has_source:
        slots["src"] = "identity_source"
    source_sql = "CAST({src} AS VARCHAR)" if has_source else "CAST(NULL AS VARCHAR)"
    sql = (f"WITH raw AS (SELECT CAST({{rec}} AS VARCHAR) AS record, {source_sql} AS source, {raw} FROM {{T_r}}),\n"
           f"norm AS (SELECT record, source, {', '.join(normal)} FROM raw)\n"
           f"SELECT record, source, {', '.join(coded)} FROM norm ORDER BY record")
    return sql, slots


def run(args: IdentityArgs, source: RoleSource | None = None) -> ToolResult:
    """Stitch every record into a person; merge statistics, conflicts, the mapping on demand."""
    wanted = priority_order(args.priority)
    if args.file:
        source, keys = _file_source(args, wanted)
    elif source is None:
        raise ToolError("Identity resolution needs a warehouse with identity roles, or --file with records.")
    else:
        if not source.has("identity_entity"):
            raise MissingRole("The semantic model declares no identity records (role 'identity_entity').",
                            "Map identity_entity, identity_record and identity_phone / identity_union_id / "
                            "identity_email / identity_device_id in the model, or run on a file: "
                            "genbi tool identity_resolution --file records.csv --phone-column phone ...")
        keys = [k for k in wanted if source.has(f"identity_{k}")]
        if not keys:
            raise ToolError("The semantic model maps none of the identifiers asked for.",
                            f"Map one of identity_{', identity_'.join(wanted)}.")
    start = len(source.executed)
    progress.step("Coding identifiers in the warehouse", 0.1)
    sql, slots = _codes_sql(source, keys)
    frame = source.query(sql, slots)
    if frame.empty:
        raise ToolError("There are no records to stitch.")
    progress.step(f"Stitching {len(frame):,} records", 0.5)
    codes = frame[[f"c{i}" for i in range(len(keys))]].to_numpy(dtype=np.int64)
    single = set(priority_order(args.unique)) if args.unique.strip() else set()
    stitched = identity_graph.stitch(codes, [k in single for k in keys])
    table, facts = _summary(frame, codes, keys, stitched)
    conflicts = pd.DataFrame(
        [{"identifier": keys[level], "record_a": frame["record"].iloc[a], "record_b": frame["record"].iloc[b],
          "refused_by": keys[h]} for level, a, b, h in stitched.examples],
        columns=["identifier", "record_a", "record_b", "refused_by"])
    progress.step("Done", 1.0)
    return ToolResult(tool=NAME, table=table, chart=chart(lambda: _chart(table)), facts=facts, tables={"conflicts": conflicts},
                      sql=tuple(source.executed[start:]), per_customer=_mapping(frame, stitched))


def _summary(frame: pd.DataFrame, codes: np.ndarray, keys: list[str],
             stitched: identity_graph.Stitched) -> tuple[pd.DataFrame, dict[str, Any]]:
    records = len(frame)
    sizes = np.bincount(stitched.labels)
    people = len(sizes)
    table = pd.DataFrame({
        "identifier": keys, "identifier_zh": [KEY_ZH[k] for k in keys],
        "records_with_value": [(codes[:, i] >= 0).sum() for i in range(len(keys))],
        "distinct_values": [len(np.unique(codes[codes[:, i] >= 0, i])) for i in range(len(keys))],
        "merges": stitched.merges, "conflicts": stitched.conflicts,
    })
    facts: dict[str, Any] = {
        "records": records, "identities": people, "merged_records": records - people,
        "reduction": round((records - people) / records, 4),
        "multi_record_identities": int((sizes > 1).sum()), "largest_identity": int(sizes.max()),
        "priority": keys, "merges_by_identifier": dict(zip(keys, stitched.merges, strict=True)),
        "conflicts_by_identifier": dict(zip(keys, stitched.conflicts, strict=True)),
        "conflicts": int(sum(stitched.conflicts)),
        "unique": [k for k, flag in zip(keys, stitched.unique, strict=True) if flag],
        "method": ("union-find in priority order; a lower-priority identifier never joins records whose values of "
                   "a higher-priority one-per-person identifier differ (counted as a conflict)"),
    }
    if frame["source"].notna().any():
        facts["records_by_source"] = {str(k): int(v) for k, v in frame["source"].value_counts().head(10).items()}
    return table, facts


def _mapping(frame: pd.DataFrame, stitched: identity_graph.Stitched) -> Callable[[], pd.DataFrame]:
    def fetch() -> pd.DataFrame:
        sizes = np.bincount(stitched.labels)
        return pd.DataFrame({"record": frame["record"], "source": frame["source"],
                             "one_id": stitched.labels + 1, "identity_records": sizes[stitched.labels]})
    return fetch


def _chart(table: pd.DataFrame) -> go.Figure:
    labels = [f"{k} / {zh}" for k, zh in zip(table["identifier"], table["identifier_zh"], strict=True)]
    figure = go.Figure([
        go.Bar(name="merges / 合并", x=labels, y=table["merges"], marker_color="#10b981"),
        go.Bar(name="conflicts / 冲突", x=labels, y=table["conflicts"], marker_color="#f59e0b"),
    ])
    figure.update_layout(barmode="group", title="Identity stitching by identifier / 各标识的合并与冲突",
                         xaxis_title="identifier / 标识", yaxis_title="records / 记录数")
    return figure


SPEC = register_tool(
    ToolSpec(
        name=NAME,
        args_model=IdentityArgs,
        run=run,
        description=(
            "Identity resolution (One ID): stitches records into people by phone > union id > e-mail > "
            "device id (configurable priority, union-find), reports merges and conflicts per identifier, "
            "and writes the record -> One ID mapping with --out."
        ),
        intents=("identity resolution", "one id", "oneid", "id mapping", "stitch identities", "identity stitching",
                 "deduplicate customers", "身份识别", "身份打通", "ID打通", "ID-Mapping", "统一身份", "用户合并"),
        actions=(
            r"\b(?:merge|dedupe|de-?duplicate|stitch|unify|match up)\b.{0,30}\b(?:customers?|records|profiles|ids|identities|accounts)\b",
            r"\bduplicate (?:customers?|records|profiles|accounts)\b",
            r"(?:合并|去重|打通).{0,10}(?:客户|用户|档案|记录|身份|账号)|重复(?:的)?(?:客户|用户|档案|账号)",
        ),
    )
)
