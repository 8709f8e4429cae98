"""Who may see what: roles, personal data (数据脱敏) and row filters, for every front end.

A role comes from configuration, never from the question: ``roles.yaml`` (``$GENBI_ROLES``,
else ``<state dir>/roles.yaml``) maps people to roles; ``$GENBI_ROLE`` (or the CLI's
``--role``) sets the role of everyone not mapped. Built in: ``marketer`` (the default) and
``analyst`` see aggregates and never personal data; ``admin`` may see personal data::

    default_role: marketer
    roles:
      east_marketer:
        description: Marketing for the East region.
        row_filters: [{dimension: region, values: [East]}]
    users:
      "slack:T0TEAM:U0ADMIN": admin      # a Slack user (team:user)
      "slack:*:U0EAST": east_marketer    # fnmatch patterns work too
      "ui:*": marketer

What each role gets, per request (``Access``):

- a SQL policy (``semantic_layer.guard.SqlPolicy``): the model's tables and columns, personal
  data refused unless the role allows it, applied by the warehouse to every statement of the
  request (the LLM agent's SQL included) through ``guard.policy_scope``;
- its row filters added to every query spec (``restrict``) — a metric they cannot limit is
  refused, and so are hand-written SQL and the marketing tools, which could not honour them;
- masking of every answer (``mask``): rows, narrative, chart, tool extras. Personal data is
  raw only for a role that allows it *and* when no LLM brain is on: an answer feeds later
  prompts, and the LLM never receives raw personal data.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from genbi import safe_yaml, settings
from genbi.assistant.answer import Answer, AnswerRequest, Decline
from genbi.errors import ConfigError, PlanError
from genbi.semantic_layer.guard import SqlPolicy, model_policy, policy_scope
from genbi.semantic_layer.masking import (
    mask_private,
    mask_private_columns,
    mask_rows,
    mask_text,
    strings_in,
    texts_unchanged,
)
from genbi.semantic_layer.model import SemanticModel
from genbi.semantic_layer.query_spec import Filter, QuerySpec
from genbi.text_safety import INVALID_TEXT_NOTE, clean_text

log = logging.getLogger(__name__)

ROLE_ENV = "GENBI_ROLE"
ROLES_FILE_ENV = "GENBI_ROLES"
DEFAULT_ROLE = "marketer"


class RoleSpec(BaseModel):
    """One role in ``roles.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    allow_pii: bool = Field(default=False, description="May see personal data unmasked.")
    row_filters: tuple[Filter, ...] = Field(
        default=(), description="Conditions added to every query (region = East)."
    )


BUILT_IN_ROLES: dict[str, RoleSpec] = {
    "marketer": RoleSpec(description="Aggregates and tools; personal data withheld."),
    "analyst": RoleSpec(description="Like marketer, for people who also write SQL."),
    "admin": RoleSpec(description="Everything, personal data included.", allow_pii=True),
}


class RolesConfig(BaseModel):
    """``roles.yaml``: roles (added to the built-in ones), the default role, people's roles."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default_role: str = DEFAULT_ROLE
    roles: dict[str, RoleSpec] = Field(default_factory=dict)
    users: dict[str, str] = Field(
        default_factory=dict, description="Who asked ('slack:TEAM:USER', 'ui:*') -> role."
    )

    @property
    def all_roles(self) -> dict[str, RoleSpec]:
        return {**BUILT_IN_ROLES, **self.roles}

    @model_validator(mode="after")
    def _known_roles(self) -> RolesConfig:
        known = self.all_roles
        unknown = sorted({self.default_role, *self.users.values()} - set(known))
        if unknown:
            raise ValueError(f"unknown role(s) {', '.join(unknown)}; roles: {', '.join(sorted(known))}")
        return self


@dataclass(frozen=True)
class Role:
    name: str
    allow_pii: bool = False
    row_filters: tuple[Filter, ...] = ()
    description: str = ""

    def describe_filters(self) -> str:
        """``region = East and channel in (email, sms)``."""
        return " and ".join(_describe(f) for f in self.row_filters)


class AccessControl:
    """The roles of one deployment, checked against the semantic model."""

    def __init__(self, config: RolesConfig, model: SemanticModel, *, role: str | None = None) -> None:
        self.config = config
        self.model = model
        self.forced = role
        self.roles = {name: Role(name, spec.allow_pii, spec.row_filters, spec.description)
                      for name, spec in config.all_roles.items()}
        for name in [r for r in (role,) if r is not None]:
            self._known(name)
        for found in self.roles.values():
            self._check_filters(found)

    @classmethod
    def load(cls, model: SemanticModel, *, path: str | Path | None = None,
             role: str | None = None) -> AccessControl:
        """Roles from ``path``, ``$GENBI_ROLES`` or ``<state dir>/roles.yaml`` (built-in roles
        when there is none); ``role`` (else ``$GENBI_ROLE``) overrides the default role."""
        return cls(load_roles_config(path), model, role=role or os.environ.get(ROLE_ENV) or None)

    def forcing(self, role: str | None) -> AccessControl:
        """The same roles with everyone in ``role`` (the CLI's ``--role``)."""
        return self if role is None else AccessControl(self.config, self.model, role=role)

    def role_for(self, user: str | None) -> Role:
        """The forced role, else the user's mapped role (exact, then patterns), else the default."""
        if self.forced:
            return self.roles[self.forced]
        users = self.config.users
        name = users.get(user or "")
        if name is None and user:
            name = next((r for pattern, r in users.items() if fnmatch.fnmatchcase(user, pattern)), None)
        return self.roles[name or self.config.default_role]

    def for_request(self, request: AnswerRequest, *, llm: bool) -> Access:
        access = Access(self.role_for(request.user), self.model, self.base_policy, llm=llm)
        # the names depend on the model and its policy only: worked out once, not per request
        access.__dict__["private_names"] = self._private_names
        return access

    @cached_property
    def _private_names(self) -> frozenset[str]:
        return private_names(self.model, self.base_policy)

    @cached_property
    def base_policy(self) -> SqlPolicy:
        """The model's tables and columns; personal data refused."""
        return model_policy(self.model)

    def _known(self, name: str) -> None:
        if name not in self.roles:
            raise ConfigError(f"Unknown role '{name}'.", f"Roles: {', '.join(sorted(self.roles))}.")

    def _check_filters(self, role: Role) -> None:
        for item in role.row_filters:
            if not self.model.has_dimension(item.dimension):
                raise ConfigError(f"Role '{role.name}' filters on '{item.dimension}', which the model "
                                  "does not have.", "Use a dimension name from `genbi model show`.")
            if self.model.dimension(item.dimension).pii:
                raise ConfigError(f"Role '{role.name}' filters on personal data ('{item.dimension}').",
                                  "Filter on a dimension such as region or channel.")


def private_names(model: SemanticModel, base: SqlPolicy) -> frozenset[str]:
    """Lower-case names of ``model``'s personal-data dimensions and of the columns ``base``
    keeps private: result columns of those names are masked whole."""
    names = {d.name for d in model.dimensions if d.pii}
    names |= {c for columns in base.private.values() for c in columns}
    return frozenset(n.lower() for n in names)


def load_roles_config(path: str | Path | None = None) -> RolesConfig:
    """``roles.yaml`` as configured, or the built-in roles; ``ConfigError`` when invalid."""
    chosen = Path(path) if path else _configured_roles_path()
    if chosen is None:
        return RolesConfig()
    try:
        data = safe_yaml.load(chosen.read_text(encoding="utf-8", errors="replace")) or {}
        return RolesConfig.model_validate(data)
    except OSError as error:
        raise ConfigError(f"Cannot read the roles file {chosen}: {error.strerror}.") from None
    except (yaml.YAMLError, ValidationError, ValueError) as error:
        first = str(error).strip().splitlines()
        raise ConfigError(f"The roles file {chosen} is invalid: {' '.join(first[:3])}",
                          "See the example in genbi/assistant/access.py.") from None


def _configured_roles_path() -> Path | None:
    env = settings.roles_file()  # $GENBI_ROLES, else the project file's roles
    if env:
        return Path(env).expanduser()
    default = settings.state_dir() / "roles.yaml"
    return default if default.is_file() else None


@dataclass(frozen=True)
class Access:
    """What one request may read and see."""

    role: Role
    model: SemanticModel
    base: SqlPolicy
    llm: bool = False
    """An LLM brain is answering: personal data is never raw, whatever the role."""

    @property
    def raw_pii(self) -> bool:
        return self.role.allow_pii and not self.llm

    @property
    def policy(self) -> SqlPolicy:
        """For every statement of the request that does not come from a restricted spec."""
        return self.compiled_policy.closing(self._closed_reason())

    @property
    def compiled_policy(self) -> SqlPolicy:
        """For the SQL compiled from a spec that went through ``restrict``."""
        return self.base.allowing_private(self.raw_pii)

    @cached_property
    def private_names(self) -> frozenset[str]:
        """Names of personal-data dimensions and columns (result column names to mask)."""
        return private_names(self.model, self.base)

    # --- row filters ---

    def restrict(self, spec: QuerySpec) -> QuerySpec:
        """``spec`` with the role's row filters; ``PlanError`` when a metric can't take them."""
        if not self.role.row_filters:
            return spec
        for metric in spec.metrics:
            for item in self.role.row_filters:
                if self.model.has_metric(metric) and not self.model.can_filter_by(metric, item.dimension):
                    raise PlanError(
                        f"Your role ({self.role.name}) sees only data where "
                        f"{self.role.describe_filters()}, and '{metric}' cannot be limited that way.",
                        "Ask about a metric of the customers or orders of your scope.",
                    )
        missing = tuple(f for f in self.role.row_filters if f not in spec.filters)
        return spec.model_copy(update={"filters": (*spec.filters, *missing)}) if missing else spec

    def check_tool(self, tool: str) -> None:
        """``PlanError`` for a role with row filters: the tools read every customer."""
        if self.role.row_filters:
            raise PlanError(f"Your role ({self.role.name}) sees only data where "
                            f"{self.role.describe_filters()}; the {tool} tool reads all customers.",
                            "Ask for a metric instead, e.g. revenue by month.")

    def _closed_reason(self) -> str | None:
        if not self.role.row_filters:
            return None
        return (f"your role ({self.role.name}) sees only data where {self.role.describe_filters()}, "
                "which hand-written SQL cannot guarantee.")

    # --- masking ---

    def mask_request(self, request: AnswerRequest) -> AnswerRequest:
        """The question with e-mail addresses and phone numbers masked (it may reach an LLM)."""
        if self.raw_pii:
            return request
        masked = mask_text(request.question)
        return request if masked == request.question else dataclasses.replace(request, question=masked)

    def private_positions(self, columns: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(i for i, c in enumerate(columns) if c.lower() in self.private_names)

    def mask_rows(self, columns: tuple[str, ...], rows: tuple[tuple[Any, ...], ...]) -> tuple[tuple[Any, ...], ...]:
        return rows if self.raw_pii else mask_rows(rows, self.private_positions(columns))

    def mask_fetched(self, columns: tuple[str, ...], rows: tuple[tuple[Any, ...], ...]) -> tuple[tuple[Any, ...], ...]:
        """``mask_rows`` for rows the warehouse fetched under ``compiled_policy``: it has
        already masked e-mail addresses and phone numbers in every text cell (``Warehouse.run``
        masks unless the policy allows personal data, which it does exactly when ``raw_pii``),
        so only the personal-data columns are left to mask whole. Masking is idempotent, so
        the rows equal ``mask_rows``'s; ``mask`` still masks the whole answer after."""
        if self.raw_pii:
            return rows
        private = self.private_positions(columns)
        return mask_private_columns(rows, private) if private else rows

    def mask(self, answer: Answer) -> Answer:
        """``answer`` with personal data masked everywhere a front end or an LLM reads it."""
        if self.raw_pii:
            return answer
        return dataclasses.replace(
            answer,
            question=mask_text(answer.question),
            interpretation=mask_text(answer.interpretation),
            sql=mask_text(answer.sql) if answer.sql else answer.sql,
            rows=self.mask_rows(answer.columns, answer.rows),
            chart=mask_chart(answer.chart),
            narrative=mask_text(answer.narrative),
            decline=_mask_decline(answer.decline),
            error=mask_text(answer.error) if answer.error else answer.error,
            warnings=tuple(mask_text(w) for w in answer.warnings),
            extras={k: mask_any(v, self.private_names) for k, v in answer.extras.items()},
        )


def _describe(item: Filter) -> str:
    values = ", ".join(str(v) for v in item.values)
    return f"{item.dimension} {item.op.value} {values if len(item.values) == 1 else f'({values})'}"


def _mask_decline(decline: Decline | None) -> Decline | None:
    if decline is None:
        return None
    return Decline(mask_text(decline.reason), tuple(mask_text(s) for s in decline.suggestions))


def mask_any(value: Any, private: frozenset[str] = frozenset()) -> Any:
    """Strings, containers, DataFrames, charts and tool results with personal data masked;
    values under a personal-data key or column are masked whole."""
    import pandas as pd

    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        # Personal data is text (an address, a number written as digits); a number under a
        # key like "email" is a channel's share or revenue, and masking it would be a wrong number.
        return {k: mask_private(v) if str(k).lower() in private and isinstance(v, str)
                else mask_any(v, private) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_any(v, private) for v in value) if not hasattr(value, "_fields") else value
    if isinstance(value, pd.DataFrame):
        return _mask_frame(value, private)
    if hasattr(value, "to_plotly_json"):
        return mask_chart(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: mask_any(getattr(value, f.name), private)
                   for f in dataclasses.fields(value) if f.init and _maskable(getattr(value, f.name))}
        return dataclasses.replace(value, **changes)
    return value


def _maskable(value: Any) -> bool:
    import pandas as pd

    return isinstance(value, str | Mapping | list | tuple | pd.DataFrame) or hasattr(value, "to_plotly_json")


def _mask_frame(frame: Any, private: frozenset[str]) -> Any:
    import pandas as pd

    masked = frame.copy()
    for column in masked.columns:
        if str(column).lower() in private and not pd.api.types.is_numeric_dtype(masked[column]):
            masked[column] = masked[column].map(lambda v: mask_private(v) if isinstance(v, str) else v)
        elif masked[column].dtype == object or str(masked[column].dtype).startswith("str"):
            masked[column] = masked[column].map(lambda v: mask_text(v) if isinstance(v, str) else v)
    return masked


def mask_chart(chart: Any) -> Any:
    """A chart (an answer's ``ChartSpec`` or a tool's plotly figure) with personal data in its
    labels and data masked: the same object when clean, else one of the same kind."""
    if chart is None or not hasattr(chart, "to_plotly_json"):
        return chart
    figure = chart.to_plotly_json()
    texts = strings_in(figure, skip="bdata")  # what ``_mask_plotly`` masks
    if texts is not None and texts_unchanged(texts):  # most charts: one look at all their text
        return chart
    changed: list[bool] = []
    masked = _mask_plotly(figure, changed)
    if not changed:
        return chart
    from genbi.assistant.chart_spec import ChartSpec

    if isinstance(chart, ChartSpec):
        return ChartSpec.from_json(masked)
    import plotly.graph_objects as go

    return go.Figure(masked)


def _mask_plotly(value: Any, changed: list[bool]) -> Any:
    """``value`` masked; appends to ``changed`` when anything was. Figures hold numpy arrays,
    which cannot be compared with ``==`` as a whole, hence the flag."""
    if value is None or isinstance(value, int | float):  # most of a figure: nothing to mask
        return value
    if isinstance(value, str):
        masked = mask_text(value)
        if masked != value:
            changed.append(True)
        return masked
    if isinstance(value, dict):
        return {k: v if k == "bdata" else _mask_plotly(v, changed) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_plotly(v, changed) for v in value]
    np = sys.modules.get("numpy")  # not imported: no array can exist (and a chart without one loads none)
    if np is None:
        return value
    if isinstance(value, np.ndarray) and value.dtype == object:
        return np.array([_mask_plotly(v, changed) for v in value.tolist()], dtype=object)
    if isinstance(value, np.ndarray) and value.dtype.kind in "US":
        return np.array([_mask_plotly(str(v), changed) for v in value.tolist()])
    return value


# --- the guarded entry point -----------------------------------------------------------------


def answer_with_guardrails(
    assistant: Any, request: AnswerRequest, brain: Callable[[AnswerRequest], Answer]
) -> Answer:
    """Run ``brain`` for ``request`` under the asker's role: its SQL policy on every statement,
    the question and the answer masked, and one audit record whatever happens."""
    from genbi.assistant.audit import audit_answer, audit_failure

    started = time.perf_counter()
    question, replaced = clean_text(request.question)
    if replaced:
        request = dataclasses.replace(request, question=question)
    access = assistant.access.for_request(request, llm=assistant.agent is not None)
    asked = access.mask_request(request)
    try:
        with policy_scope(access.policy):
            answer = access.mask(brain(asked))
    except RecursionError:
        answer = _too_complex(asked)
    except Exception as error:
        audit_failure(assistant.audit, asked, access.role.name, error, started)
        raise
    if replaced:
        answer = dataclasses.replace(answer, warnings=(*answer.warnings, INVALID_TEXT_NOTE))
    audit_answer(assistant.audit, asked, access.role.name, answer, started)
    return answer


def _too_complex(request: AnswerRequest) -> Answer:
    """A question nested too deeply for the parsers (thousands of parentheses)."""
    from genbi.assistant.planner.text import language_of

    language = request.language or ("zh" if language_of(request.question) == "zh" else "en")
    reason = ("这个问题太复杂, 无法解析 (嵌套过深)。" if language == "zh"
              else "That question is too complex to read (nested too deeply).")
    return Answer(question=request.question, language=language, brain="guardrails",
                  decline=Decline(reason, ("revenue by channel last month",)))
