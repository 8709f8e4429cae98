"""``generate_warehouse``: build every contract table and write them in one go.

Why a module of its own: it is the only place that knows the order tables must be built
in (orders before their baskets, touches before attribution, attribution before spend,
final orders before experiment outcomes and loyalty tiers) and that times each table.
Builders stay pure functions of a random stream and their inputs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from genbi.demo import (
    attribution,
    basket,
    campaigns,
    customers,
    experiments,
    orders,
    products,
    sessions,
    spend,
    touchpoints,
)
from genbi.demo.columns import Frame, row_count
from genbi.demo.planted import SpendCut, cut_spend
from genbi.demo.schema import TABLE_NAMES
from genbi.demo.seeds import spawn_streams
from genbi.demo.writer import WarehouseWriter
from genbi.errors import GenbiError, WarehouseError

MIN_CUSTOMERS = 100
MAX_CUSTOMERS = 5_000_000
"""Generation holds about 4 GB of memory per million customers."""


@dataclass(frozen=True)
class GenerationReport:
    """What ``generate_warehouse`` wrote and how long it took."""

    path: Path  # the DuckDB file written
    customers: int  # scale: number of customers
    seed: int  # the seed every random stream was derived from
    rows: dict[str, int]  # rows per table, in contract order
    seconds: float  # wall-clock seconds for the whole generation
    seconds_per_table: dict[str, float]  # seconds spent building and writing each table

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass
class _Clock:
    """Accumulates seconds per table across the build steps that feed it."""

    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TABLE_NAMES, 0.0))

    @contextmanager
    def timing(self, table: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[table] += time.perf_counter() - started


@dataclass
class _Output:
    """The writer plus per-table bookkeeping."""

    writer: WarehouseWriter
    clock: _Clock
    rows: dict[str, int] = field(default_factory=dict)

    def write(self, name: str, frame: Frame) -> None:
        self.clock.seconds[name] += self.writer.write(name, frame)
        self.rows[name] = row_count(frame)


def _checked_scale(customers: int, seed: int) -> None:
    if isinstance(customers, bool) or not isinstance(customers, int | np.integer):
        raise GenbiError(f"customers must be a whole number, got {customers!r}.")
    if not MIN_CUSTOMERS <= customers <= MAX_CUSTOMERS:
        raise GenbiError(
            f"customers must be between {MIN_CUSTOMERS:,} and {MAX_CUSTOMERS:,}, got {customers:,}.",
            hint="Below 100 customers per-channel and per-city numbers are meaningless.",
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise GenbiError(f"seed must be a non-negative whole number, got {seed!r}.")


def _checked_target(path: str | os.PathLike[str]) -> Path:
    target = Path(path).expanduser()
    if target.is_dir():
        raise WarehouseError(f"{target} is a folder; give the path of a .duckdb file to write.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WarehouseError(
            f"Cannot create the folder {target.parent}: {error.strerror}."
        ) from error
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise WarehouseError(
            f"Cannot write to the folder {target.parent}.", hint="Choose a folder you can write to."
        )
    return target


def generate_warehouse(
    path: str | os.PathLike[str], *, customers: int = 20_000, seed: int = 42,
    spend_cut: SpendCut | None = None,
) -> GenerationReport:
    """Write the demo marketing warehouse to ``path`` (replacing any file there).

    The same ``customers`` and ``seed`` always give identical table contents. ``spend_cut``
    plants a known change (a channel's spend cut in one month) for testing explanations;
    off by default.

    >>> report = generate_warehouse("demo.duckdb", customers=2_000)  # doctest: +SKIP
    >>> report.rows["customers"]  # doctest: +SKIP
    2000
    """
    _checked_scale(customers, seed)
    target = _checked_target(path)
    started = time.perf_counter()
    clock = _Clock()
    with WarehouseWriter(target) as writer:
        output = _Output(writer, clock)
        _build_all(output, int(customers), int(seed), spend_cut)
    return GenerationReport(
        path=target,
        customers=int(customers),
        seed=int(seed),
        rows={name: output.rows[name] for name in TABLE_NAMES},
        seconds=time.perf_counter() - started,
        seconds_per_table=dict(clock.seconds),
    )


def _build_all(output: _Output, scale: int, seed: int, spend_cut: SpendCut | None = None) -> None:
    """Build and write every table, each step timed against the table it feeds."""
    rng = spawn_streams(seed)
    timing = output.clock.timing
    with timing("products"):
        catalogue = products.build_catalogue(rng["products"])
    output.write("products", products.products_frame(catalogue))
    with timing("customers"):
        people = customers.build_customers(rng["customers"], scale)
    with timing("campaigns"):
        plan = campaigns.build_campaigns(rng["campaigns"], scale)
        live = campaigns.campaign_days(plan)
    with timing("orders"):
        base = orders.base_orders(rng["orders"], people)
    with timing("experiment_assignments"):
        assignments, caused = experiments.run_experiments(rng["experiments"], people, base)
    with timing("orders"):
        placed = orders.with_extra_orders(base, caused.customer, caused.at)
        sales_channel = orders.sales_channels(rng["orders"], placed, people)
        first = orders.first_order_mask(placed)
    with timing("order_items"):
        lines = basket.build_lines(rng["order_items"], placed, people, catalogue)
        holders = experiments.coupon_holders(assignments, placed, people.count)
        amounts = basket.order_amounts(
            lines, basket.discount_rates(rng["order_items"], placed, holders)
        )
    output.write("order_items", basket.order_items_frame(lines))
    del lines
    with timing("touchpoints"):
        touches = touchpoints.combine(
            touchpoints.journey_touches(
                rng["touchpoints"], placed, first, sales_channel, people, live
            ),
            touchpoints.background_touches(rng["touchpoints"], people, live),
        )
    output.write("touchpoints", touchpoints.touchpoints_frame(touches, plan))
    with timing("orders"):
        credited = attribution.last_click_campaign(
            rng["attribution"], placed, sales_channel, touches, plan
        )
    output.write("orders", orders.orders_frame(placed, sales_channel, credited, amounts))
    revenue_cents = amounts.gross_cents - amounts.discount_cents
    _write_spend(output, rng, plan, credited, revenue_cents, touches, scale, spend_cut)
    del touches
    _write_events(output, rng["events"], placed, sales_channel, people)
    with timing("experiment_assignments"):
        tests = experiments.experiments_frame(assignments, placed, revenue_cents)
    output.write("experiment_assignments", tests)
    with timing("customers"):
        spent = np.bincount(placed.customer, weights=revenue_cents, minlength=people.count) / 100.0
        loyalty = customers.loyalty_tiers(rng["loyalty"], spent, people.signup_day)
        table = customers.customers_frame(rng["customers"], people, loyalty)
    output.write("customers", table)


def _write_events(
    output: _Output,
    rng: np.random.Generator,
    placed: orders.OrderTimes,
    sales_channel: np.ndarray,
    people: customers.Customers,
) -> None:
    """``events``: a session per order placed on site, plus browsing that did not buy."""
    with output.clock.timing("events"):
        visits = sessions.combine(
            sessions.purchase_sessions(rng, placed, sales_channel, people),
            sessions.browse_sessions(rng, people),
        )
        events = sessions.expand_events(rng, visits)
        table = sessions.events_frame(events, visits)
    output.write("events", table)


def _write_spend(
    output: _Output,
    rng: dict[str, np.random.Generator],
    plan: campaigns.Campaigns,
    credited: np.ndarray,
    revenue_cents: np.ndarray,
    touches: touchpoints.Touches,
    scale: int,
    spend_cut: SpendCut | None = None,
) -> None:
    """``ad_spend`` from attributed revenue, then ``campaigns`` with budgets from spend."""
    with output.clock.timing("ad_spend"):
        attributed = np.bincount(
            credited[credited >= 0], weights=revenue_cents[credited >= 0], minlength=plan.count
        )
        totals = spend.campaign_totals(rng["ad_spend"], plan, attributed, scale)
        daily = spend.daily_spend(rng["ad_spend"], plan, totals, touches)
        if spend_cut is not None:
            cents = cut_spend(daily.spend_cents, daily.day, plan.channel[daily.campaign], spend_cut)
            daily = spend.DailySpend(daily.day, daily.campaign, daily.impressions, daily.clicks, cents)
    output.write("ad_spend", spend.ad_spend_frame(daily))
    with output.clock.timing("campaigns"):
        budgets = spend.budgets_cents(rng["ad_spend"], daily, plan)
        table = campaigns.campaigns_frame(plan, budgets)
    output.write("campaigns", table)
