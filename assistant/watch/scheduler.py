"""The monitors' schedule: APScheduler 3 with a persistent job store in the state directory.

Each monitor is one APScheduler job whose kwargs hold the monitor itself, so the job store
(``<state dir>/monitors.sqlite``) is the only copy: list, pause and delete are job
operations, and a restart reloads every job with its next run time. APScheduler moves a
job's next run time forward *before* running it, so a run happens at most once — a
restart right after a report never posts it twice. Runs missed while nothing was running
are run once (coalesced) if the process is back within ``MISFIRE_GRACE_S``.

One process runs the monitors (``genbi slack`` or ``genbi watch``; a lock file keeps a
second one from doubling every post); any process may list, add, pause or delete them —
the runner sees those changes within ``REFRESH_S``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.debug import DebugExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.triggers.cron import CronTrigger

from genbi import settings
from genbi.assistant.watch.monitors import Monitor, Outcome, check, failure_text
from genbi.assistant.watch.replay import live_as_of
from genbi.assistant.watch.schedule import configured_timezone
from genbi.errors import ConfigError, GenbiError

log = logging.getLogger(__name__)

MISFIRE_GRACE_S = 2 * 3600
REFRESH_S = 30
"""How often the runner looks at the job store for monitors other processes changed."""
_STORE = "monitors"
_REFRESH = "refresh"

Deliver = Callable[[Outcome], None]

_runner: Watcher | None = None
"""The watcher whose scheduler runs jobs in this process (job functions find it here: a
persistent job can only name a module-level function)."""


def fire(monitor: dict[str, Any]) -> None:
    """The job function of every monitor."""
    runner = _runner
    if runner is None:
        log.warning("monitor %s is due but no watcher runs in this process", monitor.get("id"))
        return
    runner.run(Monitor.model_validate(monitor))


def _refresh() -> None:
    """Nothing to do: being due wakes the scheduler, which then reads the job store again."""


@dataclass(frozen=True)
class Listed:
    monitor: Monitor
    next_run: datetime | None
    """None when paused."""

    @property
    def paused(self) -> bool:
        return self.next_run is None


class Watcher:
    """The monitors of one state directory; ``open(run=True)`` also runs them."""

    def __init__(self, assistant: Any = None, deliver: Deliver | None = None, *,
                 path: str | Path | None = None, timezone: ZoneInfo | None = None,
                 inline: bool = False) -> None:
        self.assistant = assistant
        self.deliver = deliver
        self.path = Path(path) if path else settings.state_dir() / "monitors.sqlite"
        self.timezone = timezone or configured_timezone()
        self.inline = inline
        self.running = False
        self._lock_file: Any = None
        self._ids = threading.Lock()
        self.scheduler: BaseScheduler = self._scheduler(threaded=False)

    def _scheduler(self, *, threaded: bool) -> BaseScheduler:
        stores = {_STORE: SQLAlchemyJobStore(url=f"sqlite:///{self.path}"), _REFRESH: MemoryJobStore()}
        options: dict[str, Any] = {
            "jobstores": stores, "executors": {"default": ThreadPoolExecutor(2) if threaded else DebugExecutor()},
            "timezone": self.timezone,
            "job_defaults": {"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_S},
        }
        return _ThreadedScheduler(**options) if threaded else _InlineScheduler(**options)

    def open(self, *, run: bool = False) -> Watcher:
        """Start: with ``run``, due monitors run here (``ConfigError`` when another process
        already runs them); without, this watcher only lists and edits them."""
        global _runner
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigError(f"Cannot create {self.path.parent} for the monitors ({error.strerror}).",
                              "Set GENBI_HOME to a writable folder.") from None
        if run:
            if self.assistant is None or self.deliver is None:
                raise ValueError("a watcher that runs monitors needs an assistant and a deliver function")
            self._lock_file = _take_lock(self.path.with_suffix(".lock"))
            if not self.inline:  # a thread of its own runs due jobs; a watcher that only lists has none
                self.scheduler = self._scheduler(threaded=True)
        self.scheduler.start(paused=not run)
        if run:
            self.running = True
            _runner = self
            if not self.inline:
                self.scheduler.add_job(_refresh, "interval", seconds=REFRESH_S, id="refresh",
                                       jobstore=_REFRESH, replace_existing=True)
        return self

    def close(self) -> None:
        global _runner
        if self.scheduler.running:
            self.scheduler.shutdown(wait=not self.inline)
        if _runner is self:
            _runner = None
        self.running = False
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- the monitors ---

    def add(self, monitor: Monitor) -> Monitor:
        """Store ``monitor`` under the next free number; returns it with that number."""
        with self._ids:
            numbered = monitor.model_copy(update={
                "id": max((m.monitor.id for m in self.monitors()), default=0) + 1,
                "created_at": monitor.created_at or datetime.now(UTC).isoformat(timespec="seconds")})
            self.scheduler.add_job(
                fire, CronTrigger(timezone=self.timezone, **numbered.schedule.cron()),
                id=_job_id(numbered.id), name=numbered.describe("en")[:200], jobstore=_STORE,
                kwargs={"monitor": numbered.model_dump(mode="json")},
            )
        return numbered

    def monitors(self, destination: str | None = None) -> list[Listed]:
        """Every monitor (or those posting to ``destination``), by number."""
        found = []
        for job in self.scheduler.get_jobs(jobstore=_STORE):
            monitor = _monitor_of(job)
            if monitor is not None and (destination is None or monitor.destination == destination):
                found.append(Listed(monitor, job.next_run_time))
        return sorted(found, key=lambda item: item.monitor.id)

    def get(self, number: int) -> Listed | None:
        return next((m for m in self.monitors() if m.monitor.id == number), None)

    def pause(self, number: int) -> bool:
        return self._job_call(self.scheduler.pause_job, number)

    def resume(self, number: int) -> bool:
        return self._job_call(self.scheduler.resume_job, number)

    def delete(self, number: int) -> bool:
        return self._job_call(self.scheduler.remove_job, number)

    def _job_call(self, call: Callable[..., Any], number: int) -> bool:
        try:
            call(_job_id(number), jobstore=_STORE)
        except JobLookupError:
            return False
        return True

    # --- running ---

    def run_due(self) -> None:
        """Run every monitor due now, in this thread (``genbi watch --once``, a cron entry,
        tests with a frozen clock); needs an inline watcher opened with ``run=True``."""
        if not (self.inline and self.running):
            raise RuntimeError("run_due needs Watcher(inline=True).open(run=True)")
        self.scheduler._process_jobs()  # APScheduler's own due-job pass (what its thread runs)

    def run(self, monitor: Monitor) -> Outcome:
        """One run of ``monitor``: check it and post what it found; never raises."""
        try:
            as_of = live_as_of(self.assistant, datetime.now(self.timezone).date())
            outcome = check(self.assistant, monitor, as_of=as_of)
        except GenbiError as problem:
            outcome = Outcome(monitor, "error", failure_text(monitor, str(problem)))
        except Exception:  # the outermost handler of a scheduled run: log it, say it failed
            log.exception("monitor %s failed", monitor.id)
            internal = "内部错误（已记录在日志中）。" if monitor.language == "zh" else "an internal error (logged)."
            outcome = Outcome(monitor, "error", failure_text(monitor, internal))
        log.info("monitor %s ran: %s", monitor.id, outcome.kind)
        if outcome.kind != "quiet" and self.deliver is not None:
            try:
                self.deliver(outcome)
            except Exception:
                log.exception("could not post monitor %s to %s", monitor.id, monitor.destination)
        return outcome


class _ThreadedScheduler(BackgroundScheduler):
    """APScheduler's background scheduler, minus one race: woken by its own shutdown, its
    loop makes one more pass, which would hand a job due that instant to the stopped
    executor and move the job's next run on — a report lost. A stopped scheduler runs none."""

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        return super()._process_jobs()


class _InlineScheduler(BaseScheduler):
    """A scheduler without a thread of its own: ``Watcher.run_due`` runs its due jobs, and a
    watcher that only lists and edits never runs (nor moves) any."""

    def wakeup(self) -> None:
        """Nothing waits: the next ``run_due`` looks again."""

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def _create_default_executor(self) -> DebugExecutor:
        return DebugExecutor()


def _job_id(number: int) -> str:
    return f"monitor-{number}"


def _monitor_of(job: Job) -> Monitor | None:
    try:
        return Monitor.model_validate(job.kwargs["monitor"])
    except (KeyError, ValueError) as error:
        log.warning("job %s holds no readable monitor: %s", job.id, error)
        return None


def _take_lock(path: Path) -> Any:
    """An exclusive lock on ``path`` for this process's lifetime; ``ConfigError`` if taken."""
    handle = path.open("a+")
    try:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # not on POSIX: no cross-process lock, one runner is up to the user
        return handle
    except OSError:
        handle.close()
        raise ConfigError("Another genbi process (genbi slack or genbi watch) already runs the monitors.",
                          "Run only one of them; the others can still list, pause and delete.") from None
    return handle
